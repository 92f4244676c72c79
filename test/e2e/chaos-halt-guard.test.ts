import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { createSandboxFis } from '../../src/sandbox/fis';
import { hasButton, valueOf } from '../helpers/buttons';

const CHANNEL = 'C0HALT0001';
const ALICE = 'U0ALICE01'; // requester and admin
const BOB = 'U0BOB0001'; // approver
const CAROL = 'U0CAROL01'; // neither admin nor approver, except in TWO_APPROVALS
const NO_METRICS = 'C0NOMETRIC';
const TWO_APPROVALS = 'C0TWOAPPRO';
const yaml = `
admins: [${ALICE}]
# The ad-hoc guard's preflight query gets half a guard interval of the 20× clock: 1 s real (the default 15s left 375 ms)
chaos: { approvalTtl: 30m, maxRunning: 3, guardInterval: 40s }
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
  ${NO_METRICS}: { allow: ["chaos:run", "chaos:read"], approvers: [${BOB}], minApprovals: 1 }
  ${TWO_APPROVALS}: { allow: ["*"], approvers: [${BOB}, ${CAROL}], minApprovals: 2 }
`;

describe('e2e /chaos halt, resume, --guard and --account on the sandbox account', () => {
  let bench: Bench;
  beforeAll(async () => {
    const clock = fastClock(20); // the 3-minute experiment runs about 9 s: long enough to halt it mid-way
    bench = await startBench({ yaml, start: { sandbox: true, clock, sandboxFis: createSandboxFis({ clock, seedHistory: false }) } });
  });
  afterAll(() => bench.stop());

  async function command(text: string, user: string, channel = CHANNEL) {
    const since = bench.slack.calls.length;
    const res = await bench.driver.command('/chaos', text, { user, channel });
    expect(res.status).toBe(200);
    return since;
  }
  async function ephemeralAfter(since: number, pattern: RegExp): Promise<string> {
    return eventually(() => {
      const hit = bench.slack.calls.slice(since).find((c) => c.method === 'response_url' && pattern.test(textOf(c.args)));
      return hit ? textOf(hit.args) : undefined;
    });
  }
  const cardFor = (reason: string, channel = CHANNEL) => bench.slack.find((m) => m.channel === channel && !m.threadTs && textOf(m as never).includes(reason) && hasButton(m, 'chaos_approve'));

  it('halt stops a running experiment, refuses the next run until resume, and shows in /lookout status', async () => {
    await command('run cpu-stress-web --reason "before the halt"', ALICE);
    const card = await eventually(() => cardFor('before the halt'));
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: valueOf(card, 'chaos_approve') });
    const running = await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /running/i.test(textOf(c as never)) && hasButton(c, 'chaos_stop') ? c : undefined;
    });
    const request = await bench.app.store.get<{ experimentId?: string }>('chaos-request', valueOf(running, 'chaos_stop')!);
    const experimentId = request?.data.experimentId;
    expect(experimentId).toMatch(/^EXPsbx/);

    await command('run cpu-stress-web --reason "pending across the halt"', ALICE);
    const pendingCard = await eventually(() => cardFor('pending across the halt'));

    // Only admins may halt.
    const refusedAt = await command('halt', CAROL);
    expect(await ephemeralAfter(refusedAt, /needs the `admin` permission/)).toContain(`This needs the \`admin\` permission, which only Lookout admins have (<@${ALICE}>).`);
    expect(await bench.app.store.get('chaos-halt', 'all')).toBeNull();

    await command('halt --reason "incident 42"', ALICE);
    const answer = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && /halted/.test(textOf(m as never)) && /Stopped 1 experiment/.test(textOf(m as never))));
    expect(textOf(answer as never)).toContain(experimentId!);
    expect(textOf(answer as never)).toContain('incident 42');
    await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /stopped/i.test(textOf(c as never)) && !hasButton(c, 'chaos_stop') ? c : undefined;
    }, 30_000);

    // A card posted before the halt cannot start anything while it lasts: the approving click refuses it, on the card.
    const pendingId = valueOf(pendingCard, 'chaos_approve')!;
    await bench.driver.action(pendingCard, 'chaos_approve', { user: BOB, value: pendingId });
    const refusedCard = await eventually(() => {
      const c = bench.slack.find((m) => m.ts === pendingCard.ts);
      return c && /Refused at approval/.test(textOf(c as never)) ? c : undefined;
    });
    expect(textOf(refusedCard as never)).toMatch(/Chaos experiments are halted: incident 42/);
    expect(hasButton(refusedCard, 'chaos_approve')).toBe(false);
    const refusedRequest = await bench.app.store.get<{ experimentId?: string }>('chaos-request', pendingId);
    expect(refusedRequest).toMatchObject({ state: 'refused' });
    expect(refusedRequest?.data.experimentId).toBeUndefined();

    const refusedRun = await command('run cpu-stress-web --reason "during the halt"', ALICE);
    expect(await ephemeralAfter(refusedRun, /halted/)).toMatch(/Chaos experiments are halted: incident 42 \(by <@U0ALICE01>/);
    expect(cardFor('during the halt')).toBeUndefined();

    const statusAt = bench.slack.calls.length;
    await bench.driver.command('/lookout', 'status', { user: CAROL, channel: CHANNEL });
    expect(await ephemeralAfter(statusAt, /\*Chaos\*/)).toMatch(/\*Chaos\* — HALTED by U0ALICE01 since .* UTC: incident 42/);

    await command('resume', ALICE);
    await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && /lifted the halt/.test(textOf(m as never))));
    await command('run cpu-stress-web --reason "after the resume"', ALICE);
    await eventually(() => cardFor('after the resume'));
  }, 60_000);

  it('--guard needs the metrics permission too; allowed, the card lists the ad-hoc guard', async () => {
    // The threshold is far above what the run halted above leaves in the error rate, so the preflight passes.
    const guard = 'run cpu-stress-web --reason "ad-hoc guarded" --guard "sum(rate(http_requests_total{service="web",code="500"}[1m])) > 1000" --guard-for 30s';
    const noMetrics = await command(guard, ALICE, NO_METRICS);
    expect(await ephemeralAfter(noMetrics, /metrics/)).toMatch(/needs the `metrics` permission here as well as `chaos:run`/);
    await command(guard, ALICE);
    const card = await eventually(() => cardFor('ad-hoc guarded'));
    expect(textOf(card as never)).toMatch(/\*ad-hoc\* — :large_green_circle: ok/);
    const plain = await command('run cpu-stress-web --reason "plain run, no metrics verb"', ALICE, NO_METRICS);
    await eventually(() => cardFor('plain run, no metrics verb', NO_METRICS));
    expect(bench.slack.calls.slice(plain).some((c) => c.method === 'response_url' && /metrics/.test(textOf(c.args)))).toBe(false);
  });

  it('--account picks among the channel’s accounts (here: none, so it is refused with the reason)', async () => {
    const at = await command('list --account prod', ALICE);
    expect(await ephemeralAfter(at, /--account/)).toMatch(/no AWS accounts to choose from/);
  });

  it('halt shows on every card still waiting for approval, in every channel, with its Approve button; resume takes it off again', async () => {
    await command('run cpu-stress-web --reason "waiting through the halt"', ALICE);
    await command('run cpu-stress-web --reason "waiting elsewhere"', ALICE, NO_METRICS);
    await command('run cpu-stress-web --reason "two approvals"', ALICE, TWO_APPROVALS);
    const cards = [
      await eventually(() => cardFor('waiting through the halt')),
      await eventually(() => cardFor('waiting elsewhere', NO_METRICS)),
      await eventually(() => cardFor('two approvals', TWO_APPROVALS)),
    ];
    const now = (ts: string) => bench.slack.find((m) => m.ts === ts)!;
    const halted = /Chaos experiments are \*halted\* by <@U0ALICE01> since .*: drill\. `\/chaos resume` lifts it \(admin\)\.\nApproving this request while the halt lasts refuses it\./;
    for (const c of cards) expect(textOf(c as never)).not.toMatch(/halted/);

    await command('halt --reason "drill"', ALICE);
    for (const c of cards) {
      const shown = await eventually(() => halted.test(textOf(now(c.ts) as never)) && now(c.ts));
      expect(hasButton(shown, 'chaos_approve')).toBe(true); // kept: a click is refused on the card, and works again after resume
    }
    // A first of two approvals re-renders the card: the halt stays on it.
    const updates = bench.slack.callsTo('chat.update').length;
    await bench.driver.action(cards[2], 'chaos_approve', { user: BOB, value: valueOf(cards[2], 'chaos_approve') });
    const partly = await eventually(() => bench.slack.callsTo('chat.update').slice(updates).find((c) => c.args.ts === cards[2].ts && /\*Approvals:\* 1 of 2/.test(textOf(c.args))));
    expect(textOf(partly.args)).toMatch(halted);

    await command('resume', ALICE);
    for (const c of cards) {
      const shown = await eventually(() => !/halted/.test(textOf(now(c.ts) as never)) && now(c.ts));
      expect(hasButton(shown, 'chaos_approve')).toBe(true);
    }
    // The same card starts the experiment once the halt is lifted.
    await bench.driver.action(cards[0], 'chaos_approve', { user: BOB, value: valueOf(cards[0], 'chaos_approve') });
    await eventually(() => hasButton(now(cards[0].ts), 'chaos_stop') || undefined, 30_000);
  }, 60_000);
});
