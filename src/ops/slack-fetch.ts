import type { OpsMetrics } from './metrics';

/** How much of a JSON answer is read for its `ok`/`error` fields: Slack puts them first. */
const PEEK_BYTES = 4096;
// Slack error codes are snake_case words; anything else is one label value, so the series stay few.
const SLACK_ERROR = /^[a-z0-9_]{1,64}$/;

/**
 * The WebClient's fetch, measured: every Slack Web API call (and response-URL post) is counted and timed by
 * method and outcome, and 429s counted separately (product.md §10). An HTTP 200 answering `ok: false` counts as
 * its Slack error (`channel_not_found`, …), read from a clone so the WebClient reads the body untouched. The
 * WebClient still does its own retries and pacing; each attempt is one call here.
 */
export function measuredFetch(metrics: Pick<OpsMetrics, 'slackCalls' | 'slackCallSeconds' | 'slackRateLimited'>, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = /\/api\/([\w.]+)/.exec(url)?.[1] ?? 'other';
    const started = performance.now();
    const record = (outcome: string) => {
      metrics.slackCalls.inc({ method, outcome });
      metrics.slackCallSeconds.observe({ method, outcome }, (performance.now() - started) / 1000);
    };
    let res: Response;
    try {
      res = await inner(input, init);
    } catch (err) {
      record('network_error');
      throw err;
    }
    if (res.status === 429) metrics.slackRateLimited.inc({ method });
    record(res.ok ? await slackOutcome(res) : `http_${res.status}`);
    return res;
  };
}

/** `ok`, or the `error` of an `ok: false` JSON answer, from at most the first PEEK_BYTES of a clone. */
async function slackOutcome(res: Response): Promise<string> {
  if (!res.body || !/^application\/json\b/i.test(res.headers.get('content-type') ?? '')) return 'ok';
  let head: string;
  try {
    head = await readPrefix(res.clone(), PEEK_BYTES);
  } catch {
    return 'ok'; // the WebClient meets the same body and reports what is wrong with it
  }
  if (/"ok"\s*:\s*(true|false)/.exec(head)?.[1] !== 'false') return 'ok';
  const error = /"error"\s*:\s*"([^"]*)"/.exec(head)?.[1] ?? '';
  return SLACK_ERROR.test(error) ? error : 'slack_error';
}

async function readPrefix(res: Response, limit: number): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (let bytes = 0; bytes < limit; ) {
      const { done, value } = await reader.read();
      if (done) break;
      const part = value.subarray(0, limit - bytes); // a chunk may be larger than what is left to read
      bytes += part.byteLength;
      text += decoder.decode(part, { stream: true });
    }
  } finally {
    // Cancelling the clone's branch leaves the original's untouched.
    reader.cancel().catch(() => {});
  }
  return text;
}
