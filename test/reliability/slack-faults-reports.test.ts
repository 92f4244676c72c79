import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually } from '../helpers/fast-clock';
import { ManualClock } from '../helpers/manual-clock';
import { DEFAULT_OUTBOUND } from '../../src/outbound';
import type { RecordedCall, ScriptedReply } from '../../src/playground/slack-stand-in';

const ALICE = 'U0ALICE01';
const SLACK_TIMEOUT_MS = 3_000;

/** One Slack fault on a scheduled report's post, and what the product rules (product.md §7, pacer.ts) say happens. */
interface Row {
  fault: string;
  reply: ScriptedReply | 'hang';
  /**
   * `retried`: the pacer posts it again in the same occurrence (Slack surely did not post it: 429, or it said why
   * and the replier fixed it); `recorded`: that occurrence is recorded as failed with `error` and not sent again
   * (a timeout or a 5xx may have posted; a refusal would be refused again), the next occurrence posts.
   */
  expect: { retried: true; waitMs?: number } | { recorded: RegExp };
}

const ROWS: Row[] = [
  { fault: '429 with Retry-After: 3', reply: { status: 429, retryAfter: 3 }, expect: { retried: true, waitMs: 3_000 } },
  { fault: 'HTTP 503', reply: { status: 503, body: 'unavailable' }, expect: { recorded: /posted: unknown/ } },
  { fault: 'timeout (Slack posts, but answers too late)', reply: 'hang', expect: { recorded: /posted: unknown/ } },
  { fault: 'msg_too_long', reply: { ok: false, error: 'msg_too_long' }, expect: { recorded: /unexpected error|too long/i } },
  { fault: 'not_in_channel (public: joins, posts)', reply: { ok: false, error: 'not_in_channel' }, expect: { retried: true } },
  { fault: 'archived channel', reply: { ok: false, error: 'is_archived' }, expect: { recorded: /archived/ } },
];

interface ReportState {
  lastRunAt: number | null;
  lastResult: string | null;
  lastError: string | null;
  nextRunAt: number | null;
}

/**
 * Issue 13 item 4, scheduled reports: the real scheduler and pacer on a ManualClock, the real WebClient against the
 * Slack stand-in. Each Slack fault is played on one occurrence's post; per row: the run is recorded with its result
 * (`/report list` shows it), the post is retried by the pacer only where Slack surely did not post, the occurrence
 * is never posted twice, the next occurrence posts, and every occurrence has its audit row (none silently lost).
 */
describe('reliability: scheduled reports under Slack faults', () => {
  let bench: Bench;
  const clock = new ManualClock(Date.UTC(2026, 10, 29, 9, 0, 30));
  beforeAll(async () => {
    bench = await startBench({
      yaml: 'channels:\n  default: { allow: ["*"] }\n',
      start: { sandbox: true, clock, outbound: { ...DEFAULT_OUTBOUND, slack: { requestMs: SLACK_TIMEOUT_MS, responseUrlMs: SLACK_TIMEOUT_MS } } },
    });
  });
  afterAll(async () => {
    // Stopping drains work that waits on the clock (the pacer, the scheduler's sleep): keep time moving meanwhile.
    const ticking = setInterval(() => void clock.advance(1_000), 10);
    await bench?.stop();
    clearInterval(ticking);
  });

  const state = async (id: string) => (await bench.app.store.get<ReportState>('report', id))!.data;
  const posts = (channel: string, id: string, since = 0) =>
    bench.slack.calls
      .slice(since)
      .filter((c: RecordedCall) => c.method === 'chat.postMessage' && c.args.channel === channel && c.status === 200 && (c.reply as { ok?: boolean })?.ok && textOf(c.args).includes(`Report \`${id}\``));
  /** Moves the clock to the report's next occurrence and waits for that run to be recorded. */
  const occurrence = async (id: string, during?: () => Promise<void>): Promise<ReportState> => {
    const before = await state(id);
    await clock.advance(before.nextRunAt! - clock.now() + 1);
    await during?.();
    return eventually(async () => {
      const s = await state(id);
      return s.lastRunAt !== before.lastRunAt ? s : undefined;
    }, 20_000);
  };

  it.each(ROWS.map((r, i) => [r.fault, r, `C0RPFLT${String(i).padStart(3, '0')}`] as const))('%s', async (_name, row, channel) => {
    await bench.driver.command('/report', 'add "* * * * *" -- /metrics up', { user: ALICE, channel });
    const added = await bench.slack.waitFor((c) => c.args.channel === channel && / added: runs/.test(textOf(c.args)), 10_000);
    const id = /`(r-[a-z0-9]+)` added/.exec(textOf(added.args))![1];
    const audits = async () => (await bench.app.store.listAudit({ channelId: channel, limit: 100 })).filter((a) => a.kind === 'report');

    let release: (() => void) | undefined;
    const hung = new Promise<void>((resolve) => (release = resolve));
    bench.slack.script('chat.postMessage', row.reply === 'hang' ? async () => (await hung, undefined) : row.reply, { times: 1 });
    const since = bench.slack.calls.length;

    // Occurrence 1 meets the fault.
    const first = await occurrence(id, async () => {
      if (!('retried' in row.expect) || !row.expect.waitMs) return;
      // The 429 holds the pacer for Retry-After (the clock's time): step through it and see when the post goes out.
      await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && c.status === 429, { since, timeoutMs: 10_000 });
      const at = clock.now();
      for (let waited = 0; posts(channel, id, since).length === 0 && waited < 10_000; waited += 500) {
        await clock.advance(500);
        await new Promise((r) => setTimeout(r, 30));
      }
      expect(clock.now() - at).toBeGreaterThanOrEqual(row.expect.waitMs);
    });
    if ('retried' in row.expect) {
      expect(first.lastResult).toBe('posted');
      expect(posts(channel, id, since)).toHaveLength(1);
    } else {
      expect(first.lastResult).toBe('failed');
      expect(first.lastError).toMatch(row.expect.recorded);
      expect(first.lastError).not.toMatch(/WebAPI|Error:|at .*:\d+:\d+/);
      release?.(); // the hung post now lands: Slack did post it, late; Lookout must not have sent it again
      await eventually(() => row.reply !== 'hang' || bench.slack.calls.slice(since).some((c) => c.method === 'chat.postMessage' && c.args.channel === channel));
      expect(posts(channel, id, since)).toHaveLength(row.reply === 'hang' ? 1 : 0);
    }
    // The result is visible where people look: `/report list` shows the last run and its error.
    const listedAt = bench.slack.calls.length;
    await bench.driver.command('/report', 'list', { user: ALICE, channel });
    const list = textOf((await bench.slack.waitFor((c) => c.args.channel === channel && textOf(c.args).includes(id), { since: listedAt, timeoutMs: 10_000 })).args);
    expect(list).toMatch('retried' in row.expect ? /last run [^\n]*: posted/ : /last run [^\n]*failed/);

    // Occurrence 2 posts normally, once.
    const second = await occurrence(id);
    expect(second.lastResult).toBe('posted');
    const expected = ('retried' in row.expect ? 1 : 0) + (row.reply === 'hang' ? 1 : 0) + 1;
    await eventually(() => posts(channel, id, since).length >= expected);
    expect(posts(channel, id, since)).toHaveLength(expected);
    // Two occurrences, two audit rows: none lost, none run twice.
    expect((await eventually(async () => ((await audits()).length >= 2 ? audits() : undefined))).length).toBe(2);
    release?.();
    // Done with it: a report left running would meet the next row's fault.
    const removedAt = bench.slack.calls.length;
    await bench.driver.command('/report', `remove ${id}`, { user: ALICE, channel });
    await bench.slack.waitFor((c) => c.args.channel === channel && /removed/i.test(textOf(c.args)), { since: removedAt, timeoutMs: 10_000 });
  });
});
