import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Clock } from '../ports/clock';

export interface SlackIdentity {
  userId: string;
  botId: string;
  teamId?: string;
}

/** Slack errors that mean the token itself is wrong: retrying cannot help. */
const FATAL = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope', 'not_allowed_token_type']);

export class SlackAuthError extends Error {}

/**
 * `auth.test` at start (product.md §1): a bad token stops Lookout with a clear message; a network failure is
 * retried with back-off (1 s doubling to 30 s) until it works or the signal aborts.
 */
export async function verifySlackAuth(web: WebClient, o: { clock: Clock; logger: Logger; signal?: AbortSignal }): Promise<SlackIdentity> {
  let delay = 1000;
  for (;;) {
    try {
      const r = await web.auth.test();
      return { userId: String(r.user_id), botId: String(r.bot_id ?? ''), teamId: r.team_id };
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code && FATAL.has(code)) {
        throw new SlackAuthError(`Slack rejected SLACK_BOT_TOKEN (auth.test: ${code}). Check the token is the app's current Bot User OAuth Token (xoxb-…) and that the app is installed in the workspace.`);
      }
      o.logger.warn({ err, retryInMs: delay }, 'Slack auth.test failed; retrying (readyz answers 503 meanwhile)');
      await o.clock.sleep(delay, o.signal);
      delay = Math.min(delay * 2, 30_000);
    }
  }
}
