import type { WebClient } from '@slack/web-api';
import type { Config } from '../../../src/config/types';
import { LookoutError } from '../../../src/errors';
import { createHealthChecks, type BackendCheck } from '../../../src/ops/health';
import { systemClock } from '../../../src/clock';
import type { Store } from '../../../src/ports/store';

const config = { env: { databaseUrl: 'sqlite::memory:' } } as unknown as Config;
const store = { ping: async () => undefined, get: async () => null } as unknown as Store;
const web = (authTest: () => Promise<unknown>) => ({ auth: { test: authTest } }) as unknown as WebClient;
const okWeb = web(async () => ({ user: 'lookout', team: 'Acme' }));

function backends(touched: string[]): BackendCheck[] {
  const check = (name: string, uses: BackendCheck['uses'], account?: string): BackendCheck => ({ name, uses, account, check: async () => (touched.push(name), 'fine') });
  return [check('AWS prod', 'aws', 'prod'), check('AWS staging', 'aws', 'staging'), check('Metrics', 'metrics'), check('Grafana', 'grafana')];
}

describe('/lookout status checks (issue 10, finding 7)', () => {
  it('an admin (no scope) gets every account and backend checked', async () => {
    const touched: string[] = [];
    const checks = await createHealthChecks({ web: okWeb, store, config, clock: systemClock, backends: backends(touched) })();
    expect(touched.sort()).toEqual(['AWS prod', 'AWS staging', 'Grafana', 'Metrics']);
    expect(checks.map((c) => c.name)).toEqual(['Slack', 'Store', 'AWS prod', 'AWS staging', 'Metrics', 'Grafana', 'Chaos']);
  });

  it('a caller assumes only the channel’s accounts, and backends only with the verbs that use them', async () => {
    const touched: string[] = [];
    const health = createHealthChecks({ web: okWeb, store, config, clock: systemClock, backends: backends(touched) });
    const checks = await health({ accounts: ['staging'], aws: true, metrics: false, grafana: true });
    expect(touched.sort()).toEqual(['AWS staging', 'Grafana']);
    expect(checks.find((c) => c.name === 'Not checked')?.detail).toBe('2 backends this channel does not let you use');
    touched.length = 0;
    await health({ accounts: ['prod', 'staging'], aws: false, metrics: true, grafana: false });
    expect(touched).toEqual(['Metrics']);
  });

  it('never shows raw exception text: Lookout errors keep their message, Slack its code, the rest a reference', async () => {
    const log: object[] = [];
    const failing: BackendCheck[] = [
      { name: 'AWS prod', uses: 'aws', account: 'prod', check: async () => Promise.reject(new LookoutError('access_denied', 'Lookout may not assume the role `arn:aws:iam::1:role/x`.')) },
      { name: 'Metrics', uses: 'metrics', check: async () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'secretKey') at /srv/app/dist/x.js:12")) },
    ];
    const slackDown = web(async () => Promise.reject(Object.assign(new Error('An API error occurred: invalid_auth'), { data: { ok: false, error: 'invalid_auth' } })));
    const checks = await createHealthChecks({ web: slackDown, store, config, clock: systemClock, backends: failing, log: { warn: (o) => void log.push(o) } })();
    const detail = Object.fromEntries(checks.map((c) => [c.name, c.detail]));
    expect(detail['Slack']).toBe('Slack answered `invalid_auth`');
    expect(detail['AWS prod']).toBe('Lookout may not assume the role `arn:aws:iam::1:role/x`.');
    expect(detail['Metrics']).toMatch(/^failed unexpectedly \(reference lk-[0-9a-f]{10}\)$/);
    expect(JSON.stringify(checks)).not.toMatch(/secretKey|\/srv\/app/);
    expect(log).toEqual([expect.objectContaining({ ref: detail['Metrics'].match(/lk-[0-9a-f]+/)![0], check: 'Metrics' })]);
  });
});
