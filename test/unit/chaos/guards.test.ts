import { createGuardEvaluator, GUARD_STATE_KIND, type GuardSpec } from '../../../src/chaos/guards/evaluate';
import { guardsFor } from '../../../src/chaos/guards/select';
import { INITIAL_GUARD_STATE, stepGuard, type GuardState, type Observation } from '../../../src/chaos/guards/state';
import { LookoutError } from '../../../src/errors';
import { ManualClock } from '../../helpers/manual-clock';
import type { PromQuery } from '../../../src/ports/prom-query';
import type { InstantResult } from '../../../src/metrics/model';
import type { Store } from '../../../src/ports/store';
import { openStore } from '../../../src/store';
import { eventually } from '../../helpers/fast-clock';

const S = 1000;
const MIN = 60 * S;
const series = (n: number): Observation => ({ ok: true, series: n });
const failed: Observation = { ok: false, error: 'upstream down' };

/** Runs observations 15 s apart from t=0 and returns each status and the transitions. */
function run(observations: Observation[], forMs: number, maxFailures = 3) {
  let state: GuardState = INITIAL_GUARD_STATE;
  const statuses: string[] = [];
  const transitions: string[] = [];
  observations.forEach((o, i) => {
    const step = stepGuard('g', state, o, i * 15 * S, { forMs, maxFailures });
    state = step.state;
    statuses.push(state.status);
    transitions.push(...step.transitions.map((t) => `${t.from}→${t.to}@${t.at / S}s`));
  });
  return { statuses, transitions, state };
}

describe('stepGuard: Prometheus alerting-rule semantics', () => {
  it('for: 0s fires on the first evaluation that returns series (through pending, in one step)', () => {
    const r = run([series(0), series(2)], 0);
    expect(r.statuses).toEqual(['inactive', 'firing']);
    expect(r.transitions).toEqual(['inactive→pending@15s', 'pending→firing@15s']);
    expect(r.state).toMatchObject({ since: 15 * S, firedAt: 15 * S, reason: 'returned 2 series', series: 2 });
  });

  it('stays pending until an evaluation at or past since + for, then fires', () => {
    const r = run([series(1), series(1), series(1), series(1), series(1)], 1 * MIN);
    expect(r.statuses).toEqual(['pending', 'pending', 'pending', 'pending', 'firing']);
    expect(r.transitions).toEqual(['inactive→pending@0s', 'pending→firing@60s']);
    expect(r.state).toMatchObject({ since: 0, firedAt: 60 * S, reason: 'returned 1 series for 1m' });
  });

  it('an empty result resets pending to inactive, and the next series start a new `for`', () => {
    const r = run([series(1), series(1), series(0), series(1), series(1), series(1), series(1), series(1)], 1 * MIN);
    expect(r.statuses).toEqual(['pending', 'pending', 'inactive', 'pending', 'pending', 'pending', 'pending', 'firing']);
    expect(r.transitions).toEqual(['inactive→pending@0s', 'pending→inactive@30s', 'inactive→pending@45s', 'pending→firing@105s']);
  });

  it('a failed evaluation neither fires nor resets a pending guard, and does not stop `for` from counting', () => {
    const r = run([series(1), failed, failed, series(1), series(1)], 1 * MIN);
    expect(r.statuses).toEqual(['pending', 'pending', 'pending', 'pending', 'firing']);
    expect(r.state.since).toBe(0);
  });

  it('counts failures in a row and resets the count on any success', () => {
    const r = run([failed, failed, series(0), failed, failed], 0);
    expect(r.statuses).toEqual(['inactive', 'inactive', 'inactive', 'inactive', 'inactive']);
    expect(r.state).toMatchObject({ failures: 2, evaluations: 5, lastError: 'upstream down' });
    const afterSeries = run([failed, failed, series(1)], 5 * MIN);
    expect(afterSeries.state).toMatchObject({ status: 'pending', failures: 0 });
  });

  it('fails safe: guardFailures failures in a row fire regardless of `for`', () => {
    const r = run([series(1), failed, failed, failed], 60 * MIN);
    expect(r.statuses).toEqual(['pending', 'pending', 'pending', 'firing']);
    expect(r.transitions).toEqual(['inactive→pending@0s', 'pending→firing@45s']);
    expect(r.state.reason).toBe('evaluation failed 3 times in a row (upstream down)');
    expect(run([failed], 0, 1).state).toMatchObject({ status: 'firing', reason: 'evaluation failed 1 time in a row (upstream down)' });
  });

  it('stays firing once fired (it stopped the experiment), still counting evaluations', () => {
    const r = run([series(1), series(0), failed], 0);
    expect(r.statuses).toEqual(['firing', 'firing', 'firing']);
    expect(r.state).toMatchObject({ evaluations: 3, firedAt: 0 });
  });
});

type Script = (expr: string) => InstantResult | Error | 'hang';

/** A PromQuery whose instant answers come from a script; counts calls per expression. */
function scripted(script: Script): PromQuery & { calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const instant = async (expr: string, _at?: number, signal?: AbortSignal) => {
    calls.set(expr, (calls.get(expr) ?? 0) + 1);
    const answer = script(expr);
    if (answer === 'hang') return new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    if (answer instanceof Error) throw answer;
    return { result: answer, meta: { warnings: [] } };
  };
  const unused = async (): Promise<never> => {
    throw new Error('not used by guards');
  };
  return { calls, describe: () => 'scripted', instant, range: unused, series: unused, labels: unused, labelValues: unused };
}

const vector = (...values: number[]): InstantResult => ({ type: 'vector', samples: values.map((value, i) => ({ labels: { i: String(i) }, value })) });

describe('createGuardEvaluator', () => {
  let store: Store;
  let clock: ManualClock;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = new ManualClock();
  });
  afterEach(() => store.close());

  const evaluator = (o: { intervalMs?: number; maxFailures?: number; store?: Store } = {}) =>
    createGuardEvaluator({ store: o.store ?? store, clock, intervalMs: o.intervalMs ?? 15 * S, maxFailures: o.maxFailures ?? 3 });

  it('keeps state in the store between evaluations, so another evaluator (replica) continues it', async () => {
    const guards: GuardSpec[] = [{ name: 'web-5xx', expr: 'errors > 5', forMs: 30 * S }];
    const query = scripted(() => vector(7));
    const first = await evaluator().evaluate('EXP1', guards, query);
    expect(first.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['inactive→pending']);
    expect(first.firing).toBeNull();
    await clock.advance(30 * S);
    const second = await evaluator().evaluate('EXP1', guards, query); // a fresh evaluator: nothing in memory
    expect(second.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['pending→firing']);
    expect(second.firing).toEqual({ name: 'web-5xx', reason: 'returned 1 series for 30s', series: 1, value: 7, newly: true });
    const stored = await store.get<{ guards: Record<string, GuardState> }>(GUARD_STATE_KIND, 'EXP1');
    expect(stored?.data.guards['web-5xx']).toMatchObject({ status: 'firing', evaluations: 2, since: first.at });
    const third = await evaluator().evaluate('EXP1', guards, query);
    expect(third.firing).toMatchObject({ name: 'web-5xx', newly: false });
    expect(query.calls.get('errors > 5')).toBe(3);
  });

  it('reports the value: expression (the largest of its series) for the firing guard, and evaluates it only then', async () => {
    const guards: GuardSpec[] = [{ name: 'g', expr: 'rate > 5', forMs: 0, value: 'rate' }];
    let unhealthy = false;
    const query = scripted((expr) => (expr === 'rate' ? vector(3.5, 12.25) : unhealthy ? vector(12.25) : vector()));
    expect((await evaluator().evaluate('EXP1', guards, query)).firing).toBeNull();
    expect(query.calls.get('rate')).toBeUndefined();
    unhealthy = true;
    const fired = await evaluator().evaluate('EXP1', guards, query);
    expect(fired.firing).toEqual({ name: 'g', reason: 'returned 1 series', series: 1, value: 12.25, newly: true });
    expect(query.calls.get('rate')).toBe(1);
  });

  it('leaves value out when the value expression fails', async () => {
    const query = scripted((expr) => (expr === 'v' ? new Error('boom') : vector(1)));
    const fired = await evaluator().evaluate('EXP1', [{ name: 'g', expr: 'x', forMs: 0, value: 'v' }], query);
    expect(fired.firing).toEqual({ name: 'g', reason: 'returned 1 series', series: 1, newly: true });
  });

  it('a query that does not answer within half the interval is a failed evaluation; guardFailures of them fire', async () => {
    const guards: GuardSpec[] = [{ name: 'slow', expr: 'slow', forMs: 10 * MIN }];
    const query = scripted(() => 'hang');
    const ev = evaluator({ intervalMs: 10 * S, maxFailures: 2 });
    let asked = 0;
    const once = async () => {
      const waiting = clock.pending;
      const pending = ev.evaluate('EXP1', guards, query);
      await eventually(() => clock.pending > waiting); // the query is out and its timeout armed
      await clock.advance(4999); // just under half the interval: still waiting
      expect(query.calls.get('slow')).toBe(++asked);
      await clock.advance(1);
      return pending;
    };
    const first = await once();
    expect(first.states.slow).toMatchObject({ status: 'inactive', failures: 1, lastError: 'no answer within 5s' });
    const second = await once();
    expect(second.firing).toEqual({ name: 'slow', reason: 'evaluation failed 2 times in a row (no answer within 5s)', series: 0, newly: true });
    expect(query.calls.get('slow')).toBe(2); // no retries
  });

  it('an error is a failed evaluation, counted per guard; a matrix or string answer is an error too', async () => {
    const query = scripted((expr) => (expr === 'down' ? new LookoutError('upstream', 'Prometheus is down') : expr === 'm' ? { type: 'matrix', series: [] } : vector()));
    const guards: GuardSpec[] = [
      { name: 'ok', expr: 'fine', forMs: 0 },
      { name: 'down', expr: 'down', forMs: 0 },
      { name: 'matrix', expr: 'm', forMs: 0 },
    ];
    const r = await evaluator().evaluate('EXP1', guards, query);
    expect(r.states.ok).toMatchObject({ status: 'inactive', failures: 0, evaluations: 1 });
    expect(r.states.down).toMatchObject({ failures: 1, lastError: 'Prometheus is down' });
    expect(r.states.matrix).toMatchObject({ failures: 1, lastError: 'a guard must return an instant vector, not a matrix' });
    expect(r.firing).toBeNull();
  });

  it('a scalar answer counts as one series (as Prometheus rules treat it)', async () => {
    const r = await evaluator().evaluate('EXP1', [{ name: 's', expr: 'vector(1)', forMs: 0 }], scripted(() => ({ type: 'scalar', value: 4, at: 0 })));
    expect(r.firing).toMatchObject({ series: 1, value: 4 });
  });

  it('the first firing guard in list order is the one reported', async () => {
    const guards: GuardSpec[] = [
      { name: 'quiet', expr: 'q', forMs: 0 },
      { name: 'b', expr: 'b', forMs: 0 },
      { name: 'c', expr: 'c', forMs: 0 },
    ];
    const r = await evaluator().evaluate('EXP1', guards, scripted((e) => (e === 'q' ? vector() : vector(1))));
    expect(r.firing?.name).toBe('b');
    expect(r.transitions.filter((t) => t.to === 'firing').map((t) => t.guard)).toEqual(['b', 'c']);
  });

  it('records nothing when another replica stored a newer state first', async () => {
    const guards: GuardSpec[] = [{ name: 'g', expr: 'x', forMs: 0 }];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow: PromQuery = { ...scripted(() => vector(1)), instant: async () => (await gate, { result: vector(1), meta: { warnings: [] } }) };
    const racing = evaluator().evaluate('EXP1', guards, slow);
    await new Promise((r) => setImmediate(r));
    const winner = await evaluator().evaluate('EXP1', guards, scripted(() => vector(1)));
    release();
    const loser = await racing;
    expect(winner).toMatchObject({ recorded: true, firing: { name: 'g', newly: true } });
    expect(loser).toMatchObject({ recorded: false, firing: null, transitions: [] });
  });
});

describe('guardsFor', () => {
  const configured = [
    { name: 'all', expr: 'a', forMs: 0 },
    { name: 'db', expr: 'd', forMs: 60_000, value: 'dv', templates: ['kill-db-primary'] },
    { name: 'by-id', expr: 'i', forMs: 0, templates: ['EXT1'] },
  ];
  it('picks guards without templates, and those naming the template by id or Name tag; the ad-hoc one last', () => {
    expect(guardsFor(configured, { id: 'EXT9', name: 'cpu-stress-web' }).map((g) => g.name)).toEqual(['all']);
    expect(guardsFor(configured, { id: 'EXT9', name: 'kill-db-primary' })).toEqual([
      { name: 'all', expr: 'a', forMs: 0 },
      { name: 'db', expr: 'd', forMs: 60_000, value: 'dv' },
    ]);
    expect(guardsFor(configured, { id: 'EXT1' }, { expr: 'up == 0', forMs: 0 }).map((g) => g.name)).toEqual(['all', 'by-id', 'ad-hoc']);
  });
});
