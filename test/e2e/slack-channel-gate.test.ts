import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually } from '../helpers/fast-clock';

// Slack limits posting per channel. The WebClient's own answer to a 429 paused its whole queue (every channel's
// replies waited), and a channel whose posts hang held a queue slot each. The gate under the client
// (src/ops/slack-gate.ts) keeps one channel's trouble to that channel. `/chaos history` (sandbox) answers in the
// channel with chat.postMessage, through the real WebClient, against the stand-in.
describe('a channel Slack rate-limits or does not answer', () => {
  let bench: Bench;
  beforeAll(async () => {
    // Lookout's own per-person limits stay out of the way: every refusal counted here is the gate's.
    bench = await startBench({ start: { sandbox: true }, yaml: 'limits: { perUserPerMinute: 100000, perChannelPerMinute: 100000 }\nchannels:\n  default: { allow: ["*"] }\n' });
  });
  afterAll(() => bench.stop());
  beforeEach(() => bench.slack.reset());

  const history = (channel: string) => bench.driver.command('/chaos', 'history', { channel });
  const postsTo = (channel: string) => bench.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
  const auditOf = (channel: string) => eventually(async () => (await bench.app.store.listAudit({ channelId: channel, limit: 20 })).find((e) => e.command === '/chaos history'));

  it("one channel answering 429 does not hold another channel's answer", async () => {
    const busyArrivals: number[] = [];
    bench.slack.script(
      'chat.postMessage',
      (args) => {
        if (args.channel !== 'C0BUSY01') return undefined;
        busyArrivals.push(Date.now());
        return { status: 429, retryAfter: 3 };
      },
      { times: Infinity },
    );
    await history('C0BUSY01');
    await eventually(async () => busyArrivals.length === 1 || undefined);
    await history('C0CALM01');
    // With the queue paused, the calm channel's post would only leave after the busy channel's 3 s.
    await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0CALM01' && c.status === 200, 2500);
    expect(busyArrivals).toHaveLength(1);
  });

  it('a channel that keeps answering 429 gets each post after Retry-After, at most three times, and the person is told', async () => {
    bench.slack.script('chat.postMessage', (args) => (args.channel === 'C0BUSY02' ? { status: 429, retryAfter: 1 } : undefined), { times: Infinity });
    const cmd = await history('C0BUSY02');
    const row = await auditOf('C0BUSY02');
    expect(row.outcome).toBe('rate_limited');
    const attempts = postsTo('C0BUSY02');
    expect(attempts).toHaveLength(3);
    for (let i = 1; i < attempts.length; i++) expect(attempts[i].at - attempts[i - 1].at).toBeGreaterThanOrEqual(950);
    const told = bench.slack.callsTo('response_url').find((c) => c.args.url === cmd.responseUrl || textOf(c.args).includes('limiting'));
    expect(told && textOf(told.args)).toContain('Slack is limiting how fast I may post in this channel');
  });

  it('a channel whose posts hang holds a bounded number; more are refused at once, others still answer, nothing is posted twice', async () => {
    const held: (() => void)[] = [];
    bench.slack.script(
      'chat.postMessage',
      (args) => (args.channel === 'C0HUNG01' ? new Promise<undefined>((release) => held.push(() => release(undefined))) : undefined),
      { times: Infinity },
    );
    for (let i = 0; i < 36; i++) await history('C0HUNG01');
    // 2 with Slack, 32 waiting behind them, 2 refused and told so without waiting for the hung ones.
    const refused = await eventually(async () => {
      const rows = (await bench.app.store.listAudit({ channelId: 'C0HUNG01', limit: 50 })).filter((e) => e.outcome === 'rate_limited');
      return rows.length >= 2 ? rows : undefined;
    });
    expect(refused).toHaveLength(2);
    expect(held).toHaveLength(2);
    await history('C0CALM02');
    await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0CALM02' && c.status === 200);
    // Slack answers again: the waiting posts go out one after another, each once.
    const releaseAll = () => held.splice(0).forEach((r) => r());
    await eventually(async () => {
      releaseAll();
      return postsTo('C0HUNG01').length >= 34 || undefined;
    });
    const done = await eventually(async () => {
      const rows = (await bench.app.store.listAudit({ channelId: 'C0HUNG01', limit: 50 })).filter((e) => e.command === '/chaos history');
      return rows.length === 36 ? rows : undefined;
    });
    expect(done.filter((e) => e.outcome === 'ok')).toHaveLength(34);
    expect(postsTo('C0HUNG01')).toHaveLength(34);
    expect(new Set(bench.slack.messages('C0HUNG01').filter((m) => !m.ephemeralTo).map((m) => m.ts)).size).toBe(34);
  });
});
