import type { OpsMetrics } from './metrics';

/**
 * The WebClient's fetch, measured: every Slack Web API call (and response-URL post) is counted by method and
 * outcome, and 429s counted separately (product.md §10). The WebClient still does its own retries and pacing.
 */
export function measuredFetch(metrics: Pick<OpsMetrics, 'slackCalls' | 'slackRateLimited'>, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = /\/api\/([\w.]+)/.exec(url)?.[1] ?? 'other';
    try {
      const res = await inner(input, init);
      if (res.status === 429) metrics.slackRateLimited.inc({ method });
      metrics.slackCalls.inc({ method, outcome: res.ok ? 'ok' : `http_${res.status}` });
      return res;
    } catch (err) {
      metrics.slackCalls.inc({ method, outcome: 'network_error' });
      throw err;
    }
  };
}
