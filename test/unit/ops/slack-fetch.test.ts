import { createOpsMetrics } from '../../../src/ops/metrics';
import { measuredFetch } from '../../../src/ops/slack-fetch';

const json = (body: unknown, status = 200) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
const answering = (...responses: Response[]) => (async () => responses.shift() ?? json({ ok: true })) as unknown as typeof fetch;

describe('measured Slack fetch', () => {
  it('counts calls by method and outcome, 429s separately, and network failures', async () => {
    const metrics = createOpsMetrics();
    const f = measuredFetch(metrics, answering(json({ ok: true }), json({ ok: false, error: 'ratelimited' }, 429), new Response('oops', { status: 500 })));
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

  it('times every call by method and outcome', async () => {
    const metrics = createOpsMetrics();
    const f = measuredFetch(metrics, answering(json({ ok: true }), json({ ok: false, error: 'not_in_channel' })));
    await f('http://127.0.0.1/api/chat.postMessage');
    await f('http://127.0.0.1/api/chat.postMessage');
    const text = await metrics.registry.metrics();
    expect(text).toContain('lookout_slack_call_seconds_count{method="chat.postMessage",outcome="ok"} 1');
    expect(text).toContain('lookout_slack_call_seconds_count{method="chat.postMessage",outcome="not_in_channel"} 1');
    expect(text).toMatch(/lookout_slack_call_seconds_bucket\{le="3",method="chat.postMessage",outcome="ok"\} 1/);
  });

  it('an HTTP 200 with ok:false counts as its Slack error, and the caller still reads the whole body', async () => {
    const metrics = createOpsMetrics();
    const body = { ok: false, error: 'channel_not_found', response_metadata: { messages: ['x'] } };
    const f = measuredFetch(metrics, answering(json(body), json({ ok: false, error: 'Weird Error!' })));
    const res = await f('http://127.0.0.1/api/chat.postMessage');
    expect(await res.json()).toEqual(body);
    await f('http://127.0.0.1/api/chat.postMessage');
    const text = await metrics.registry.metrics();
    expect(text).toContain('lookout_slack_calls_total{method="chat.postMessage",outcome="channel_not_found"} 1');
    // An error that is not a Slack error code does not become a label value of its own.
    expect(text).toContain('lookout_slack_calls_total{method="chat.postMessage",outcome="slack_error"} 1');
  });

  it('reads only JSON answers, only their first few KB, and never takes a large body from the caller', async () => {
    const metrics = createOpsMetrics();
    const big = JSON.stringify({ ok: true, messages: Array.from({ length: 5000 }, (_, i) => ({ ts: String(i), ok: false, error: 'nested' })) });
    const late = `{"padding":"${'x'.repeat(10_000)}","ok":false,"error":"too_late_to_see"}`;
    const f = measuredFetch(metrics, answering(json(big), json(late), new Response('{"ok":false,"error":"invalid_auth"}', { status: 200, headers: { 'content-type': 'text/plain' } })));
    const res = await f('http://127.0.0.1/api/conversations.history');
    expect((await res.text()).length).toBe(big.length);
    expect(await (await f('http://127.0.0.1/api/conversations.history')).text()).toBe(late);
    await f('http://127.0.0.1/api/conversations.history');
    const text = await metrics.registry.metrics();
    expect(text).toContain('lookout_slack_calls_total{method="conversations.history",outcome="ok"} 3');
  });
});
