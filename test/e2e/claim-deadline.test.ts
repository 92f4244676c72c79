import { startBench, textOf, type Bench } from '../helpers/app';
import type { Store } from '../../src/ports/store';

// Issue 13 item 7 at full size: with Postgres cut, the delivery-id claim before the ack waited for a pool connection
// (5 s) and Slack's 3 s passed. A claim the store does not settle in CLAIM_BEFORE_ACK_MS no longer holds the ack.
describe('the delivery id recorded before the ack', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench();
  });
  afterAll(() => bench.stop());

  it('a store that never settles the claim does not hold the ack: the command is acknowledged and answered', async () => {
    const store = bench.app.store as Store;
    const real = store.claimEvent;
    const claims: string[] = [];
    // A pool waiting for a connection to a database that went away: the promise never settles.
    store.claimEvent = (id) => (claims.push(id), new Promise<boolean>(() => undefined));
    try {
      const since = bench.slack.calls.length;
      const res = await bench.driver.command('/lookout', 'help');
      expect(res.status).toBe(200);
      expect(claims).toEqual([`trigger:${res.triggerId}`]);
      const answer = await bench.slack.waitFor('response_url', { since, timeoutMs: 10_000 });
      expect(textOf(answer.args)).toContain('/reach');
    } finally {
      store.claimEvent = real;
    }
  });
});
