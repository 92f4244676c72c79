import type { StoredAuditEntry } from '../ports/store';
import { escapeText, slackDate, truncate, formatDuration, listWithMore } from './text';
import { context, header, section, capBlocks, message, type SlackMessage } from './message';

export interface HelpSection {
  command: string;
  lines: { syntax: string; description: string }[];
}

/** Rendered listings kept: one per distinct (commands, allowed lines, channel note); at most a few per channel. */
const HELP_CACHE_SIZE = 500;
const helpCache = new Map<string, SlackMessage>();

/**
 * `/lookout help` and per-command help: only what the caller may run in this channel. The same inputs give the
 * same message, so it is rendered once and handed out frozen (help is the most frequent command; rendering the
 * full listing escapes every usage line).
 */
export function renderHelp(sections: HelpSection[], channelNote: string): SlackMessage {
  const key = `${channelNote}\0${sections.map((s) => `${s.command}:${s.lines.map(lineId).join(',')}`).join(';')}`;
  let msg = helpCache.get(key);
  if (!msg) {
    if (helpCache.size >= HELP_CACHE_SIZE) helpCache.clear();
    msg = deepFreeze(renderHelpOnce(sections, channelNote));
    helpCache.set(key, msg);
  }
  return msg;
}

// Usage lines are constants of each command: an id per line object keys the cache cheaply (an equal line
// built afresh only misses the cache).
const lineIds = new WeakMap<object, number>();
function lineId(line: object): number {
  let id = lineIds.get(line);
  if (id === undefined) lineIds.set(line, (id = nextLineId++));
  return id;
}
let nextLineId = 0;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function renderHelpOnce(sections: HelpSection[], channelNote: string): SlackMessage {
  const shown = sections.filter((s) => s.lines.length > 0);
  const blocks: SlackMessage['blocks'] = [header('Lookout — what you can run here')];
  for (const s of shown) {
    const body = s.lines.map((l) => `\`${escapeText(`${s.command} ${l.syntax}`)}\` — ${escapeText(l.description)}`).join('\n');
    blocks.push(section(body));
  }
  if (shown.length === 0) blocks.push(section('Nothing is allowed in this channel. Ask a Lookout admin to add it under `channels` in lookout.yml.'));
  blocks.push(context(escapeText(channelNote)));
  return message(capBlocks(blocks, 'commands'), 'Lookout help');
}

export interface WhoamiView {
  userId: string;
  channelId: string;
  account?: { name: string; id?: string; region: string; roleArn?: string };
  accountProblem?: string; // why no account could be resolved
  otherAccounts: string[];
  verbs: string[];
  isAdmin: boolean;
  approver: boolean;
  configured: boolean;
}

export function renderWhoami(v: WhoamiView): SlackMessage {
  const acct = v.account
    ? `*${escapeText(v.account.name)}*${v.account.id ? ` (${v.account.id})` : ''} in *${escapeText(v.account.region)}*${v.account.roleArn ? ` via \`${escapeText(v.account.roleArn)}\`` : " with Lookout's own credentials"}`
    : `none — ${v.accountProblem ?? 'not configured'}`;
  const lines = [
    `*You:* <@${v.userId}> in <#${v.channelId}>`,
    `*AWS account:* ${acct}`,
    v.otherAccounts.length ? `*Also selectable with \`--account\`:* ${v.otherAccounts.map(escapeText).join(', ')}` : '',
    `*You may:* ${v.verbs.length ? v.verbs.map((x) => `\`${x}\``).join(' ') : 'nothing here'}`,
    `*Approver for chaos experiments here:* ${v.approver ? 'yes' : 'no'}${v.isAdmin ? ' · *Lookout admin*' : ''}`,
  ].filter(Boolean);
  const blocks: SlackMessage['blocks'] = [section(lines.join('\n'))];
  if (!v.configured) blocks.push(context('No lookout.yml is loaded: defaults apply (everything but `chaos:run` and `admin`).'));
  return message(blocks, 'Who am I here');
}

export interface HealthCheck {
  name: string;
  ok: boolean;
  detail: string; // built by Lookout, may include ids; escaped here
  latencyMs?: number;
}

export function renderStatus(checks: HealthCheck[]): SlackMessage {
  const allOk = checks.every((c) => c.ok);
  const lines = checks.map(
    (c) => `${c.ok ? ':large_green_circle:' : ':red_circle:'} *${escapeText(c.name)}* — ${escapeText(truncate(c.detail, 300))}${c.latencyMs !== undefined ? ` (${formatDuration(c.latencyMs)})` : ''}`,
  );
  return message([section(`*Lookout status:* ${allOk ? 'all good' : 'some checks failed'}`), section(lines.join('\n'))], allOk ? 'Lookout is healthy' : 'Lookout has problems');
}

// `pending`: the command is still running, or its process stopped mid-way (after an AWS call that changes something).
const OUTCOME_ICON: Record<StoredAuditEntry['outcome'], string> = {
  pending: ':hourglass_flowing_sand:',
  ok: ':white_check_mark:',
  usage: ':grey_question:',
  denied: ':no_entry:',
  rate_limited: ':hourglass:',
  error: ':x:',
};

export function renderAudit(entries: StoredAuditEntry[], channelId: string): SlackMessage {
  if (entries.length === 0) return message([section(`No audit entries for <#${channelId}> yet.`)], 'No audit entries');
  const rows = entries.map((e) => {
    const ids = e.awsRequestIds?.length ? ` · AWS ${listWithMore(e.awsRequestIds.map((i) => `\`${escapeText(i)}\``), 2)}` : '';
    return `${OUTCOME_ICON[e.outcome]} ${slackDate(e.at)} <@${e.userId}> \`${escapeText(truncate(e.command, 120))}\` → ${e.outcome}${e.detail ? ` (${escapeText(truncate(e.detail, 100))})` : ''}${ids} · ref \`${e.requestId}\``;
  });
  const blocks: SlackMessage['blocks'] = [header('Audit log')];
  // Group rows into sections that stay under the 3,000-character section limit.
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) blocks.push(section(chunk.join('\n')));
    chunk = [];
  };
  for (const r of rows) {
    if ([...chunk, r].join('\n').length > 2900) flush();
    chunk.push(r);
  }
  flush();
  return message(capBlocks(blocks, 'entries'), `Audit log for ${channelId}`);
}
