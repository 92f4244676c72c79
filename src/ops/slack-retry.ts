import type { RetryOptions } from '@slack/web-api';

/**
 * The WebClient's retry policy for command replies: network failures and 5xx are retried with back-off
 * (0.5 s, 1 s, 2 s); any other HTTP refusal (404 for a channel or method that is gone, 4xx) is not, since asking
 * again gets the same answer and only holds a slot in the client's queue. 429s never reach this: the WebClient
 * waits for Retry-After itself.
 */
export const SLACK_RETRY: RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  // p-retry (under the WebClient) gives up at once when onFailedAttempt throws.
  onFailedAttempt(err: Error) {
    const e = err as { code?: string; statusCode?: number };
    if (e.code === 'slack_webapi_http_error' && e.statusCode !== undefined && e.statusCode < 500) throw err;
  },
} as RetryOptions;
