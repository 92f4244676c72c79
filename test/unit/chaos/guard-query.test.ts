import { composeMetrics } from '../../../src/compose/metrics';
import { loadConfig } from '../../../src/config/load';
import type { AwsAccounts } from '../../../src/ports/aws';
import { startFakeHttp, success, type FakeHttp } from '../aws/prometheus-fake-http';

/** Guards query without retries (issue 12): the next guard interval is the retry. `/metrics` keeps its retries. */
let http: FakeHttp;
beforeEach(async () => {
  http = await startFakeHttp();
});
afterEach(() => http.close());

function backend() {
  const loaded = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, `metrics: { prometheus: { url: "${http.url}" } }`);
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const clock = { now: () => Date.now(), sleep: async () => undefined };
  return composeMetrics({ config: loaded.config, accounts: {} as AwsAccounts, clock, sandbox: false, env: {} });
}

describe('the metrics backend chaos guards use', () => {
  it('sends one request for a guard evaluation that meets a 502, where /metrics retries', async () => {
    const metrics = backend();
    const actor = { teamId: 'T1', userId: 'lookout-guard' };
    http.reply({ status: 502, body: 'bad gateway' });
    // The 502 itself reaches the guard (it counts as a failed evaluation), not a retried answer.
    await expect((await metrics.guardProm(actor)).instant('up')).rejects.toMatchObject({ code: 'upstream', message: expect.stringContaining('502') });
    expect(http.requests).toHaveLength(1);
    http.reply({ status: 502, body: 'bad gateway' }, success({ resultType: 'vector', result: [] }));
    await (await metrics.prom(actor)).instant('up');
    expect(http.requests).toHaveLength(3); // the 502, then the retry that succeeds
  });
});
