import { LogLevel, WebAPIPlatformError, WebClient } from '@slack/web-api';
import type { Logger } from '@slack/web-api';
import type { SlackStandIn } from '../../../src/playground/slack-stand-in';

export const BOT_TOKEN = 'xoxb-stand-in-test';

// WebClient logs Slack's `[ERROR]` response messages; the tests assert on the errors instead.
const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** The real WebClient pointed at the stand-in, with test-friendly retry settings (slack-platform.md §8.4). */
export function clientFor(standIn: SlackStandIn, token = BOT_TOKEN): WebClient {
  return new WebClient(token, {
    slackApiUrl: standIn.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quietLogger,
  });
}

/** The Slack error code a Web API call failed with (fails the test if it did not fail that way). */
export async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    if (err instanceof WebAPIPlatformError) return err.data.error;
    throw err;
  }
  throw new Error('expected the call to fail with a Slack error');
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}
