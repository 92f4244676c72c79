import { createOpsMetrics } from '../../../src/ops/metrics';
import { measuredFetch } from '../../../src/ops/slack-fetch';

describe('measured Slack fetch', () => {
  it('counts calls by method and outcome, 429s separately, and network failures', async () => {
    const metrics = createOpsMetrics();
    const statuses = [200, 429, 500];
    const inner = (async () => new Response('{}', { status: statuses.shift() ?? 200 })) as unknown as typeof fetch;
    const f = measuredFetch(metrics, inner);
    await f('http://127.0.0.1/api/chat.postMessage', { method: 'POST' });
    await f('http://127.0.0.1/api/chat.postMessage', { method: 'POST' });
    await f(new URL('http://127.0.0.1/api/chat.update'), { method: 'POST' });
    const failing = measuredFetch(metrics, (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch);
    await expect(failing('http://127.0.0.1/api/auth.test')).rejects.toThrow('fetch failed');
    const text = await metrics.registry.metrics();
    expect(text).toContain('lookout_slack_calls_total{method="chat.postMessage",outcome="ok"} 1');
    expect(text).toContain('lookout_slack_calls_total{method="chat.postMessage",outcome="http_429"} 1');
    expect(text).toContain('lookout_slack_calls_total{method="chat.update",outcome="http_500"} 1');
    expect(text).toContain('lookout_slack_calls_total{method="auth.test",outcome="network_error"} 1');
    expect(text).toContain('lookout_slack_rate_limited_total{method="chat.postMessage"} 1');
  });
});
