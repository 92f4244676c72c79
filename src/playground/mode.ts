/** What `npm start` and the image's CMD run: the Slack app, the playground, or nothing (with the reason). */
export type StartMode = { kind: 'slack' } | { kind: 'playground'; host: string } | { kind: 'refuse'; message: string };

export const NO_SLACK_CREDENTIALS =
  'Lookout has no Slack credentials. Set SLACK_BOT_TOKEN (xoxb-…) and SLACK_SIGNING_SECRET for HTTP mode, ' +
  'or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (xapp-…) for Socket Mode (docs/deploy.md). ' +
  'To try the playground instead (no Slack, a sandbox AWS account), set LOOKOUT_PLAYGROUND=1.';

/**
 * product.md §9: on a laptop, no Slack variables means the playground, on 127.0.0.1 only. Where NODE_ENV=production
 * (the image sets it) a missing token is a mistake to report, never a reason to serve a simulation; the playground
 * is then asked for with LOOKOUT_PLAYGROUND=1, which listens on every interface because a container's loopback is
 * unreachable from its host. LOOKOUT_PLAYGROUND=0 turns the local fallback off. Blank values count as unset.
 */
export function chooseStartMode(env: Record<string, string | undefined>): StartMode {
  const value = (key: string) => env[key]?.trim() || undefined;
  const flag = value('LOOKOUT_PLAYGROUND');
  if (flag === '1') return { kind: 'playground', host: '0.0.0.0' };
  if (flag !== undefined && flag !== '0') return { kind: 'refuse', message: `LOOKOUT_PLAYGROUND must be 1 (serve the playground) or 0, not ${JSON.stringify(flag)}.` };
  if (value('SLACK_BOT_TOKEN') || value('SLACK_APP_TOKEN')) return { kind: 'slack' };
  if (flag === undefined && value('NODE_ENV') !== 'production') return { kind: 'playground', host: '127.0.0.1' };
  return { kind: 'refuse', message: NO_SLACK_CREDENTIALS };
}
