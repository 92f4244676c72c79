import { startBench, type Bench } from '../helpers/app';
import { eventually } from '../helpers/fast-clock';

// When Slack refuses a reply (an expired response URL answers 404, a 429), Lookout must not post the error
// message to the same URL right away: that second post fails the same way and doubles the cost of a failure.
describe('Slack refuses the reply', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench();
  });
  afterAll(() => bench.stop());

  it.each([404, 429])('response_url answering %i gets one post, and the command is audited as an error', async (status) => {
    bench.slack.reset();
    bench.slack.script('response_url', { status, ...(status === 429 ? { retryAfter: 1 } : {}) }, { times: Infinity });
    const res = await bench.driver.command('/lookout', 'help');
    expect(res.status).toBe(200);
    const row = await eventually(async () => (await bench.app.store.listAudit({ limit: 10 })).find((e) => e.command === '/lookout help' && e.outcome === 'error' && !seen.has(e.id)));
    seen.add(row.id);
    expect(row.detail).toBe('upstream');
    expect(bench.slack.callsTo('response_url')).toHaveLength(1);
  });
  const seen = new Set<number>();
});
