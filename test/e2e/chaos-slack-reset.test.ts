import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { stopRecordingFis } from '../helpers/replicas';
import { valueOf } from '../helpers/chaos-card';

const CHANNEL = 'C0RESET01';
const ALICE = 'U0ALICE01'; // requester
const BOB = 'U0BOB0001'; // approver
const ERRORS = 'sum(rate(http_requests_total{service="web",code="500"}[1m]))';
const yaml = `
chaos:
  approvalTtl: 30m
  guardInterval: 10s # a guard query gets half an interval of the 5× clock: 1 s real (1s left 100 ms, which a loaded machine overran)
  guards:
    - { name: web-5xx, expr: '${ERRORS} > 5', templates: [cpu-stress-web] }
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
`;

/**
 * Issue 13 item 6: a Slack post of the chaos runtime (here the "guard stopped" post) whose connection is reset
 * (`ECONNRESET`, the WebClient's "fetch failed") is logged, never an unhandled rejection, and the app goes on:
 * the experiment still gets its summary and a later command its answer.
 */
describe('e2e: a chaos post whose Slack connection is reset', () => {
  let bench: Bench;
  const clock = fastClock(5);
  const { fis, stops } = stopRecordingFis(clock);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    bench = await startBench({ yaml, start: { sandbox: true, clock, sandboxFis: fis } });
  });
  afterAll(async () => {
    await bench.stop();
    process.off('unhandledRejection', onUnhandled);
  });

  it('the guard post is reset: no unhandled rejection, the summary is posted and commands are answered', async () => {
    let resets = 0;
    bench.slack.script(
      'chat.postMessage',
      (args) => (/^Guard web-5xx stopped experiment/.test(String(args.text ?? '')) ? (resets++, { status: 0 }) : undefined),
      { times: Infinity },
    );
    await bench.driver.command('/chaos', 'run cpu-stress-web --reason "reset post"', { user: ALICE, channel: CHANNEL });
    const card = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && textOf(m as never).includes('reset post')));
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: valueOf(card, 'chaos_approve') });
    await eventually(() => resets > 0 || undefined, 60_000);
    expect(stops).toHaveLength(1);
    // The end of the run is another event: its summary is still posted in the thread.
    const summary = (c: { method: string; args: Record<string, any> }) =>
      c.method === 'chat.postMessage' && c.args.thread_ts === card.ts && String(c.args.text).startsWith('Experiment ') && JSON.stringify(c.args.blocks ?? '').includes('*Actions*');
    await eventually(() => bench.slack.calls.find(summary), 60_000);
    const since = bench.slack.calls.length;
    await bench.driver.command('/lookout', 'help', { user: ALICE, channel: CHANNEL });
    await eventually(() => bench.slack.calls.slice(since).find((c) => c.method === 'response_url' || c.method === 'chat.postEphemeral'));
    // Unhandled rejections surface on a later turn of the event loop: the checks above took many.
    expect(unhandled.map(String)).toEqual([]);
    // Not 1: under Jest the WebClient (in the test's realm) re-wraps fetch's TypeError (Node's realm) as
    // `new Error(String(e))`, losing the ECONNRESET cause, so src/outbound.ts cannot see the reset and the client
    // retries it. In a plain process (the replica children) the cause is kept and a reset post is sent once.
    expect(resets).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
