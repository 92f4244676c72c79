import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { startPromStandIn, type PromStandIn } from '../helpers/prom-stand-in';
import { createSandboxFis } from '../../src/sandbox/fis';
import { IMPACT_LEAD_MS } from '../../src/chaos/guards/impact';
import { hasButton, valueOf } from '../helpers/chaos-card';

const CHANNEL = 'C0IMPACT01';
const ALICE = 'U0ALICE01'; // requester
const BOB = 'U0BOB0001'; // approver
const VALUE = 'sum(rate(db_errors_total[1m]))';
const WATCHED = 'sum(rate(http_requests_total[1m]))';
const yaml = (promUrl: string) => `
metrics: { prometheus: { url: '${promUrl}' } }
chaos:
  guardInterval: 20s # a guard query gets half an interval of the 20× clock: 0.5 s real (1s left 25 ms, which a loaded machine overran: no card)
  guards:
    - { name: db-errors, expr: '${VALUE} > 5', value: '${VALUE}', templates: [kill-db-primary] }
    - { name: web-only, expr: 'up == 0', templates: [cpu-stress-web] }
  watchMetrics: ['${WATCHED}', '${VALUE}']
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
`;

/**
 * Issue 12 item 3, the impact summary: when an experiment ends its thread gets one chart per applying guard's
 * `value:` and one per `chaos.watchMetrics` expression (a watched expression that is also a guard's value is charted
 * once), each queried from 10 minutes before the start to the end. The guard stays healthy (the Prometheus stand-in
 * answers instant queries with nothing), so no firing chart is posted: exactly two charts.
 */
describe('e2e: the impact summary when an experiment ends', () => {
  let bench: Bench;
  let prom: PromStandIn;
  const clock = fastClock(20);
  const sandbox = createSandboxFis({ clock, seedHistory: false });
  beforeAll(async () => {
    prom = await startPromStandIn({ emptyInstant: true });
    bench = await startBench({ yaml: yaml(prom.url), start: { sandbox: true, clock, sandboxFis: sandbox } });
  });
  afterAll(async () => {
    await bench.stop();
    await prom.close();
  });

  it('charts each guard value and watched metric once, over [start − 10 min, end]', async () => {
    await bench.driver.command('/chaos', 'run kill-db-primary --reason "impact run"', { user: ALICE, channel: CHANNEL });
    const card = await eventually(() =>
      bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && textOf(m as never).includes('impact run') && hasButton(m, 'chaos_approve')),
    );
    const requestId = valueOf(card, 'chaos_approve')!;
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: requestId });

    const charts = await eventually(() => {
      const files = bench.slack.thread(CHANNEL, card.ts).filter((m) => m.files?.length);
      return files.length >= 2 && files;
    }, 60_000);
    const { experimentId } = (await bench.app.store.get<{ experimentId: string }>('chaos-request', requestId))!.data;
    const experiment = await sandbox.experiments.get(experimentId);
    expect(experiment.status).toMatch(/completed|stopped|failed/);
    expect(bench.slack.thread(CHANNEL, card.ts).some((m) => /Guard \*db-errors\* fired/.test(textOf(m as never)))).toBe(false);

    expect(charts.map((m) => m.files![0].title)).toEqual([`Guard db-errors: ${VALUE}`, WATCHED]);
    const ranges = prom.requests.filter((r) => r.path.endsWith('/query_range'));
    expect(ranges.map((r) => r.params.query)).toEqual([VALUE, WATCHED]);
    for (const r of ranges) {
      expect(Number(r.params.start) * 1000).toBeCloseTo(experiment.startedAt! - IMPACT_LEAD_MS, -1);
      expect(Number(r.params.end) * 1000).toBeCloseTo(experiment.endedAt!, -1);
    }
    expect(bench.slack.thread(CHANNEL, card.ts).filter((m) => m.files?.length)).toHaveLength(2);
  }, 90_000);
});
