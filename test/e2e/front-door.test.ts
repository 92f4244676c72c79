import { startBench, textOf, SIGNING_SECRET, type Bench } from '../helpers/app';
import { EXPECTED_HOSTILE, sendHostileRequests } from '../helpers/hostile-http';

describe('the HTTP front door: every method, path and body gets an answer and nothing reaches a handler', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench();
  });
  afterAll(() => bench.stop());

  it('answers hostile requests 4xx, makes no Web API call, and keeps serving signed commands', async () => {
    bench.slack.reset();
    const answers = await sendHostileRequests(bench.app.url, SIGNING_SECRET);
    expect(Object.fromEntries(answers.map((a) => [a.name, a.status]))).toEqual(EXPECTED_HOSTILE);
    expect(answers.find((a) => a.name === 'GET /slack/events')?.allow).toBe('POST');
    expect(bench.slack.calls).toEqual([]);
    await bench.driver.command('/lookout', 'help', { user: 'U0ALICE01', channel: 'C0123ABCDEF' });
    expect(textOf((await bench.slack.waitFor('response_url')).args)).toContain('/lookout whoami');
    expect((await fetch(`${bench.app.url}/healthz`)).status).toBe(200);
  });
});
