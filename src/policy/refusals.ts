import type { LookoutConfig, Verb } from '../config/types';
import type { ChannelPolicy } from './channel-policy';
import { inlineCode } from '../text';

/**
 * Refusal messages (mrkdwn, shown ephemerally): what happened, in the person's terms, and what to do.
 * Escaped here by hand because policy/ may not import views/ (lint boundary).
 */
const ACTIVITY: Record<Verb, string> = {
  reach: 'run reachability checks',
  'reach:watch': 'watch reachability paths',
  'chaos:read': 'look at chaos experiments',
  'chaos:run': 'request chaos experiments',
  'chaos:stop': 'stop chaos experiments',
  metrics: 'query metrics',
  grafana: 'use Grafana dashboards',
  'report:read': 'look at scheduled reports',
  'report:write': 'change scheduled reports',
  admin: 'use admin commands',
};

export { inlineCode };

/** Slack renders these as names and notifies nobody in an ephemeral message. */
function mention(id: string): string {
  if (/^S[A-Z0-9]+$/.test(id)) return `<!subteam^${id}>`;
  if (/^[UW][A-Z0-9]+$/.test(id)) return `<@${id}>`;
  return inlineCode(id);
}

function whoCanChange(cfg: LookoutConfig): string {
  return cfg.admins.length > 0
    ? `A Lookout admin (${cfg.admins.map(mention).join(', ')})`
    : 'Whoever manages Lookout’s configuration';
}

export function adminRefusal(cfg: LookoutConfig): string {
  if (cfg.admins.length === 0) {
    return 'This needs the `admin` permission, and no Lookout admins are configured. Add Slack user or user-group ids under `admins` in lookout.yml.';
  }
  return `This needs the \`admin\` permission, which only Lookout admins have (${cfg.admins.map(mention).join(', ')}). Admins are listed under \`admins\` in lookout.yml.`;
}

export function noConfigChaosRefusal(channelId: string): string {
  // With a file, unlisted channels get only `default`: the snippet keeps what every channel has today.
  return [
    'Chaos experiments need approvers, and Lookout is running without a configuration, so `chaos:run` is off everywhere.',
    'To allow it here, create `lookout.yml` (or point `LOOKOUT_CONFIG` at a file) naming who approves, then restart Lookout:',
    '```',
    'channels:',
    '  default: { allow: [reach, metrics, grafana, report, chaos:read] }   # what every channel has now',
    `  ${channelId.replace(/[^A-Za-z0-9]/g, '')}:`,
    '    allow: ["*"]',
    '    approvers: [U0123ABCD, S0456EFGH]   # Slack user or user-group ids',
    '    minApprovals: 1',
    '```',
  ].join('\n');
}

/** Whether the channel's policy allows `verb` (and, for chaos:run, someone could approve): channelRefusal is null. */
export function channelAllows(policy: ChannelPolicy, verb: Verb): boolean {
  return policy.configured && policy.verbs.has(verb) && !(verb === 'chaos:run' && policy.approvers.length === 0);
}

/** null when the channel's policy allows `verb` (channelAllows); otherwise what to tell the person. */
export function channelRefusal(cfg: LookoutConfig, channelId: string, policy: ChannelPolicy, verb: Verb): string | null {
  if (channelAllows(policy, verb)) return null;
  const key = inlineCode(`channels.${channelId}`);
  if (!policy.configured) {
    return `Lookout isn’t set up for this channel: lookout.yml has no entry for it and no \`channels.default\`. ${whoCanChange(cfg)} can add ${key} with an \`allow\` list (or a \`default\` entry).`;
  }
  const listed = cfg.channels[channelId] !== undefined;
  const where = listed ? `${inlineCode(`channels.${channelId}.allow`)}` : `a ${key} entry (or to \`channels.default.allow\`)`;
  if (!policy.verbs.has(verb)) {
    const granted = [...policy.verbs].map(inlineCode);
    const here = granted.length > 0 ? `this channel allows ${granted.join(', ')}` : 'this channel allows nothing';
    return `You can’t ${ACTIVITY[verb]} in this channel: \`${verb}\` isn’t allowed here (${here}). ${whoCanChange(cfg)} can add \`${verb}\` to ${where} in lookout.yml.`;
  }
  if (verb === 'chaos:run' && policy.approvers.length === 0) {
    const target = listed ? key : `${key} (or \`channels.default\`)`;
    return `\`chaos:run\` is allowed in this channel, but no approvers are configured, so a request could never be approved. ${whoCanChange(cfg)} can add \`approvers\` (Slack user or user-group ids) to ${target} in lookout.yml.`;
  }
  return null;
}
