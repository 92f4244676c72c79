import { Writable } from 'node:stream';
import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { chaosYaml, hasButton, valueOf } from '../helpers/chaos-card';
import { startPromStandIn, type PromStandIn } from '../helpers/prom-stand-in';
import { startGrafanaStandIn, type GrafanaStandIn } from '../unit/grafana/stand-in';
import { SANDBOX_DASHBOARDS } from '../../src/sandbox/grafana/dashboards-json';
import { createSandboxFis } from '../../src/sandbox/fis';
import { createLogger } from '../../src/log/logger';
import { CANARY, NEEDLES, registerForScan, scanRegistry, scannedLogger } from '../helpers/canaries';

const needles = NEEDLES;

const CHANNEL = 'C0SECRETS1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

/**
 * Issue 13 item 8: a representative flow set (/reach, /chaos run → approve → stop, /metrics range, /grafana panel,
 * /report add and its run, an error) with every secret set to a canary and logs at `trace`; then every log line,
 * every Slack call and message, every audit row and the /metrics body are scanned for the canaries: zero hits.
 * The canaries are really in use: Prometheus and Grafana received them, the driver signed with the canary secret.
 */
describe('reliability: no secret reaches a log line, a Slack message, an audit row or /metrics', () => {
  let bench: Bench;
  let prom: PromStandIn;
  let grafana: GrafanaStandIn;
  const logs: string[] = [];
  const savedAws = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = CANARY.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = CANARY.AWS_SECRET_ACCESS_KEY;
    prom = await startPromStandIn();
    grafana = await startGrafanaStandIn(SANDBOX_DASHBOARDS, [CANARY.GRAFANA_TOKEN]);
    const clock = fastClock(200);
    const destination = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) });
    bench = await startBench({
      yaml: `${chaosYaml(BOB)}
metrics:
  prometheus: { url: "${prom.url}", tokenEnv: PROM_TOKEN }
grafana: { url: "${grafana.url}", tokenEnv: GRAFANA_TOKEN }
`,
      botToken: CANARY.SLACK_BOT_TOKEN,
      signingSecret: CANARY.SLACK_SIGNING_SECRET,
      env: { PROM_TOKEN: CANARY.PROM_TOKEN, GRAFANA_TOKEN: CANARY.GRAFANA_TOKEN, AWS_ACCESS_KEY_ID: CANARY.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: CANARY.AWS_SECRET_ACCESS_KEY, LOG_LEVEL: 'trace' },
      start: { sandbox: true, clock, sandboxFis: createSandboxFis({ clock }), logger: createLogger({ level: 'trace', destination }) },
    });
  });
  afterAll(async () => {
    await bench?.stop();
    await prom?.close();
    await grafana?.close();
    process.env.AWS_ACCESS_KEY_ID = savedAws.id;
    process.env.AWS_SECRET_ACCESS_KEY = savedAws.secret;
  });

  const audited = (prefix: string, n = 1) =>
    eventually(async () => {
      const rows = (await bench.app.store.listAudit({ limit: 1000 })).filter((r) => r.command.startsWith(prefix));
      return rows.length >= n ? rows : undefined;
    }, 30_000);

  it('runs the flows with canary secrets and finds none of them anywhere', async () => {
    await bench.driver.command('/reach', 'web-1 -> db-1:5432', { user: ALICE, channel: CHANNEL });
    await audited('/reach');

    await bench.driver.command('/chaos', 'run cpu-stress-web --reason "secrets scan"', { user: ALICE, channel: CHANNEL });
    const card = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && hasButton(m, 'chaos_approve')));
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: valueOf(card, 'chaos_approve') });
    const running = await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && hasButton(c, 'chaos_stop') ? c : undefined;
    });
    await bench.driver.action(running, 'chaos_stop', { user: BOB, value: valueOf(running, 'chaos_stop') });
    await audited('chaos stop');

    await bench.driver.command('/metrics', 'up --range 1h', { user: ALICE, channel: CHANNEL });
    await audited('/metrics');
    await bench.driver.command('/grafana', 'panel sandbox-overview "Request rate" --range 1h', { user: ALICE, channel: CHANNEL });
    await bench.driver.command('/grafana', 'panel no-such-dashboard "x"', { user: ALICE, channel: CHANNEL });
    await audited('/grafana', 2);
    await bench.driver.command('/report', 'add "* * * * *" -- /metrics up', { user: ALICE, channel: CHANNEL });
    await eventually(async () => (await bench.app.store.listAudit({ limit: 1000 })).find((r) => r.kind === 'report'), 30_000);

    // The canaries were in use: each backend got its token.
    expect(prom.auth).toContain(`Bearer ${CANARY.PROM_TOKEN}`);
    expect(grafana.requests.map((r) => r.auth)).toContain(`Bearer ${CANARY.GRAFANA_TOKEN}`);
    expect(bench.slack.calls.length).toBeGreaterThan(10);
    expect(logs.length).toBeGreaterThan(50);

    const audit = await bench.app.store.listAudit({ limit: 1000 });
    const metrics = await (await fetch(`${bench.app.url}/metrics`)).text();
    const haystacks: Record<string, string[]> = {
      logs,
      // The stand-in records the token each call was authorised with (transport, not content): left out.
      'Slack calls': bench.slack.calls.map(({ token: _token, ...c }) => JSON.stringify(c)),
      'Slack messages': bench.slack.allMessages().map((m) => JSON.stringify(m)),
      audit: audit.map((r) => JSON.stringify(r)),
      '/metrics': [metrics],
    };
    const hits = Object.entries(haystacks).flatMap(([where, items]) =>
      needles.flatMap(([name, needle]) => items.filter((s) => s.includes(needle)).map((s) => `${name} in ${where}: ${s.slice(0, 300)}`)),
    );
    expect(hits).toEqual([]);
    expect(textOf((await bench.slack.waitFor((c) => /No dashboard|not found/i.test(textOf(c.args)))).args)).toBeTruthy();
  }, 90_000);

  it('the end-of-file scan of every e2e file finds a canary wherever one would leak', async () => {
    const { tally } = scanRegistry();
    const before = tally.hits.length;
    scannedLogger().info({ note: `connecting with ${CANARY.DB_PASSWORD}` }, 'a leaky line');
    const scan = registerForScan({
      url: () => bench.app.url,
      listAudit: async () => [{ command: `/x ${CANARY.AWS_SESSION_TOKEN.slice(-10)}` }],
      slackCalls: () => [{ method: 'chat.postMessage', token: CANARY.SLACK_BOT_TOKEN, args: { text: CANARY.SLACK_APP_TOKEN } }],
      slackMessages: () => [{ text: `grafana ${CANARY.GRAFANA_TOKEN}` }],
    });
    await scan();
    const found = tally.hits.splice(before);
    expect(found.map((h) => h.split(':')[0]).sort()).toEqual(
      [
        'AWS_SESSION_TOKEN (tail) in an audit row',
        'DB_PASSWORD (tail) in a log line',
        'DB_PASSWORD in a log line',
        'GRAFANA_TOKEN (tail) in a Slack message',
        'GRAFANA_TOKEN in a Slack message',
        'SLACK_APP_TOKEN (tail) in a Slack call',
        'SLACK_APP_TOKEN in a Slack call',
      ].sort(),
    );
  });
});
