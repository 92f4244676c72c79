import { createPrometheusPromQuery } from '../../../src/aws/prometheus-auth';
import { createGuardEvaluator, type GuardEvaluation, type GuardSpec } from '../../../src/chaos/guards/evaluate';
import { ManualClock } from '../../helpers/manual-clock';
import type { PromQuery } from '../../../src/ports/prom-query';
import type { Store } from '../../../src/ports/store';
import { openStore } from '../../../src/store';
import { eventually } from '../../helpers/fast-clock';
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus';

// A real Prometheus scraping itself every second. The series the guard watches is its own count of /api/v1/query
// requests, which this test drives by querying; the threshold is chosen above the count at the start.
let server: RunningPrometheus;
let prom: PromQuery;
let store: Store;

beforeAll(async () => {
  server = await startPrometheus();
  prom = createPrometheusPromQuery({ url: server.url }, {});
  store = await openStore('sqlite::memory:');
}, 60_000);
afterAll(async () => {
  await store?.close();
  await server?.stop();
});

const COUNTER = 'prometheus_http_requests_total{handler="/api/v1/query"}';

async function queriesSoFar(): Promise<number> {
  const { result } = await prom.instant(COUNTER);
  return result.type === 'vector' ? (result.samples[0]?.value ?? 0) : 0;
}

describe('guards against a real Prometheus', () => {
  it('a guard over a real series goes inactive → pending when it crosses the threshold, and fires after `for`', async () => {
    const clock = new ManualClock(Date.now()); // the guard's `for` runs on this clock; Prometheus on its own
    const threshold = (await queriesSoFar()) + 20;
    const guard: GuardSpec = { name: 'queries', expr: `${COUNTER} > ${threshold}`, forMs: 60_000, value: COUNTER };
    const evaluator = createGuardEvaluator({ store, clock, intervalMs: 15_000, maxFailures: 3 });
    const results: GuardEvaluation[] = [];
    const evaluate = async () => {
      const r = await evaluator.evaluate('EXPreal1', [guard], prom);
      results.push(r);
      return r;
    };

    const before = await evaluate();
    expect(before.states.queries).toMatchObject({ status: 'inactive', series: 0 });
    expect(before.transitions).toEqual([]);

    // Drive the series: each round asks Prometheus a few more queries, until a scrape shows it past the threshold.
    const pending = await eventually(async () => {
      await Promise.all(Array.from({ length: 5 }, () => prom.instant('up')));
      const r = await evaluate();
      return r.states.queries.status === 'pending' ? r : undefined;
    }, 30_000);
    expect(pending.transitions).toEqual([{ guard: 'queries', from: 'inactive', to: 'pending', at: clock.now() }]);
    expect(pending.states.queries).toMatchObject({ since: clock.now(), series: 1 });

    await clock.advance(59_999);
    const almost = await evaluate();
    expect(almost.states.queries.status).toBe('pending');
    await clock.advance(1);
    const fired = await evaluate();
    expect(fired.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['pending→firing']);
    expect(fired.firing).toMatchObject({ name: 'queries', reason: 'returned 1 series for 1m', newly: true });
    expect(fired.firing?.value).toBeGreaterThan(threshold);

    // Every evaluation was counted, and the guard moved exactly twice.
    expect(fired.states.queries.evaluations).toBe(results.length);
    expect(results.flatMap((r) => r.transitions).map((t) => `${t.from}→${t.to}`)).toEqual(['inactive→pending', 'pending→firing']);
  }, 60_000);

  it('a syntax error from Prometheus is a failed evaluation, and guardFailures of them fire it', async () => {
    const evaluator = createGuardEvaluator({ store, clock: new ManualClock(Date.now()), intervalMs: 15_000, maxFailures: 2 });
    const guard: GuardSpec = { name: 'broken', expr: 'sum(', forMs: 600_000 };
    const first = await evaluator.evaluate('EXPreal2', [guard], prom);
    expect(first.states.broken).toMatchObject({ status: 'inactive', failures: 1 });
    const second = await evaluator.evaluate('EXPreal2', [guard], prom);
    expect(second.firing).toMatchObject({ name: 'broken', newly: true, reason: expect.stringMatching(/^evaluation failed 2 times in a row \(/) });
  }, 30_000);
});
