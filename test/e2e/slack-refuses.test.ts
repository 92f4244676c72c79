import net from 'node:net';
import type { AddressInfo } from 'node:net';
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

  it('a response_url whose connection fails gets one attempt, not a second post of the error', async () => {
    let attempts = 0;
    const dropper = net.createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((r) => dropper.listen(0, '127.0.0.1', () => r()));
    try {
      const responseUrl = `http://127.0.0.1:${(dropper.address() as AddressInfo).port}/hooks/gone`;
      const body = new URLSearchParams({ command: '/lookout', text: 'help', user_id: 'U0DROP001', channel_id: 'C0DROP001', team_id: 'T0TEAM', response_url: responseUrl }).toString();
      expect((await bench.driver.raw(body, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
      await eventually(async () => (await bench.app.store.listAudit({ limit: 10 })).find((e) => e.userId === 'U0DROP001' && e.outcome === 'error'));
      expect(attempts).toBe(1);
    } finally {
      dropper.close();
    }
  });
});
