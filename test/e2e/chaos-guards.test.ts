import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { stopRecordingFis } from '../helpers/replicas';
import { LOOKOUT_TAGS } from '../../src/chaos/model';
import type { StoredMessage } from '../../src/playground/slack-stand-in';
import { hasButton, valueOf } from '../helpers/chaos-card';

const CHANNEL = 'C0GUARD001';
const ALICE = 'U0ALICE01'; // requester
const BOB = 'U0BOB0001'; // approver
const ERRORS = 'sum(rate(http_requests_total{service="web",code="500"}[1m]))';
const yaml = `
chaos:
  approvalTtl: 30m
  maxRunning: 3
  guardInterval: 10s # a guard query gets half an interval of the 5× clock: 1 s real (1s left 100 ms, which a loaded machine overran); for: 30s is still three intervals
  guards:
    - { name: web-5xx, expr: '${ERRORS} > 5', for: 30s, value: '${ERRORS}', templates: [cpu-stress-web] }
    - { name: web-5xx-now, expr: '${ERRORS} > 5', templates: [kill-db-primary] }
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
`;

interface GuardStates {
  guards: Record<string, { status: string; since?: number; firedAt?: number; evaluations: number; reason?: string }>;
}

/**
 * Issue 12 item 2 on the sandbox account, whose web 5xx rate rises by 25/s while cpu-stress-web injects faults:
 * the guard goes pending when the rate crosses 5, fires `for:` later, and Lookout stops the experiment once.
 */
describe('e2e: guards on the sandbox account', () => {
  let bench: Bench;
  const clock = fastClock(5);
  const { sandbox, fis, stops } = stopRecordingFis(clock);
  beforeAll(async () => {
    bench = await startBench({ yaml, start: { sandbox: true, clock, sandboxFis: fis } });
  });
  afterAll(() => bench.stop());

  async function command(text: string): Promise<number> {
    const since = bench.slack.calls.length;
    await bench.driver.command('/chaos', text, { user: ALICE, channel: CHANNEL });
    return since;
  }
  const cardFor = (reason: string) => bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && textOf(m as never).includes(reason) && hasButton(m, 'chaos_approve'));
  const cardWhen = (card: StoredMessage, pattern: RegExp) =>
    eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && pattern.test(textOf(c as never)) ? c : undefined;
    }, 60_000);

  it('a guarded run: the card lists the guard; the guard goes pending, fires after for:, stops the experiment once, and the thread names it with a chart', async () => {
    await command('run cpu-stress-web --reason "guarded run"');
    const card = await eventually(() => cardFor('guarded run'));
    const requestId = valueOf(card, 'chaos_approve')!;
    expect(textOf(card as never)).toMatch(/\*web-5xx\* — :large_green_circle: ok/);
    // The template without stop conditions may run because a guard applies; the card says it is its only brake.
    await command('run kill-db-primary --reason "only brake"');
    const onlyBrake = await eventually(() => cardFor('only brake'));
    expect(textOf(onlyBrake as never)).toMatch(/these guards are its only brake/);

    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: requestId });
    const stopped = await cardWhen(card, /stopped by guard \*web-5xx\*/);
    // While it ran, the card showed the guard pending (its state is refreshed when it changes).
    const cardUpdates = bench.slack.callsTo('chat.update').filter((c) => c.args.ts === card.ts).map((c) => textOf(c.args));
    expect(cardUpdates.some((t) => /\*web-5xx\* — :hourglass_flowing_sand: pending: 1 series/.test(t))).toBe(true);
    const request = await bench.app.store.get<{ experimentId: string }>('chaos-request', requestId);
    const experimentId = request!.data.experimentId;
    expect(textOf(stopped as never)).toContain(experimentId);

    const state = (await bench.app.store.get<GuardStates>('guard-state', experimentId))!.data.guards['web-5xx'];
    expect(state.status).toBe('firing');
    expect(state.firedAt! - state.since!).toBeGreaterThanOrEqual(30_000); // pending first, firing `for:` later
    expect(state.evaluations).toBeGreaterThanOrEqual(3);
    expect(state.reason).toMatch(/returned 1 series for/);
    expect(stops).toEqual([experimentId]);
    const tags = (await sandbox.experiments.get(experimentId)).tags;
    expect(tags[LOOKOUT_TAGS.guards]).toBe('web-5xx');
    expect(tags[LOOKOUT_TAGS.stoppedBy]).toBe('guard:web-5xx');

    const fired = await eventually(() => bench.slack.thread(CHANNEL, card.ts).find((m) => /Guard \*web-5xx\* fired/.test(textOf(m as never))));
    expect(textOf(fired as never)).toMatch(/Its value: \*\d/);
    // The firing guard's chart, then (the experiment ended) the impact summary: one chart per guard value.
    // Exactly two: no watchMetrics are configured, so the summary has only the guard's value.
    const charts = await eventually(() => {
      const files = bench.slack.thread(CHANNEL, card.ts).filter((m) => m.files?.length);
      return files.length >= 2 && files;
    }, 30_000);
    expect(charts.map((m) => m.files![0].title)).toEqual([`Fired: Guard web-5xx: ${ERRORS}`, `Guard web-5xx: ${ERRORS}`]);
    const audit = await eventually(async () => (await bench.app.store.listAudit({ channelId: CHANNEL, limit: 50 })).find((a) => a.command.startsWith('chaos guard web-5xx stopped')));
    expect(audit).toMatchObject({ userId: 'lookout-guard', kind: 'system', outcome: 'ok' });

    const exposition = await (await fetch(`${bench.app.url}/metrics`)).text();
    expect(exposition).toMatch(/lookout_guard_evaluations_total\{guard="web-5xx",outcome="pending"\} [1-9]/);
    expect(exposition).toMatch(/lookout_guard_evaluations_total\{guard="web-5xx",outcome="firing"\} [1-9]/);

    // The errors are still high: approving the card posted while healthy is refused by the guard's preflight.
    await bench.driver.action(onlyBrake, 'chaos_approve', { user: BOB, value: valueOf(onlyBrake, 'chaos_approve') });
    const refused = await cardWhen(onlyBrake, /Refused at approval/);
    expect(textOf(refused as never)).toMatch(/The guard `web-5xx-now` \(1 series\) already fires/);
    expect(stops).toHaveLength(1);
  }, 90_000);

  it('an ad-hoc --guard that already returns series refuses the run before any card is posted', async () => {
    const since = await command('run stop-api-tasks --reason "ad-hoc preflight" --guard "sum(rate(http_requests_total{service="web"}[1m])) > 0"');
    const answer = await eventually(() => bench.slack.calls.slice(since).find((c) => c.method === 'response_url' && /already fires/.test(textOf(c.args))));
    expect(textOf(answer.args)).toMatch(/The guard `ad-hoc` \(1 series\) already fires/);
    expect(cardFor('ad-hoc preflight')).toBeUndefined();
  });
});
