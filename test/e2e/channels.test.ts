import { startBench, textOf, type Bench } from '../helpers/app';

const PUBLIC = 'C0PUBLIC01';
const CHARTS = 'C0CHARTS01';
const PRIVATE = 'G0PRIVATE1';
const ALICE = 'U0ALICE01';

// Product §2: where Lookout is not a member, it joins public channels itself and otherwise tells the person,
// privately, how to invite it. Answers are posted with a channel answer (/reach list needs no AWS path).
describe('e2e: channels Lookout is not in', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench({
      start: { sandbox: true },
      slack: {
        channels: [
          { id: PUBLIC, name: 'ops', isMember: false },
          { id: CHARTS, name: 'charts', isMember: false },
          { id: PRIVATE, name: 'secret-ops', isPrivate: true, isMember: false },
        ],
      },
    });
  });
  afterAll(() => bench.stop());

  it('joins a public channel by itself and posts the answer there', async () => {
    await bench.driver.command('/reach', 'list', { user: ALICE, channel: PUBLIC });
    await bench.slack.waitFor('conversations.join', 10_000);
    const post = await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && c.status === 200 && (c.reply as { ok?: boolean }).ok === true, 10_000);
    expect(post.args.channel).toBe(PUBLIC);
  });

  it('tells the person privately how to invite it to a private channel, and posts nothing there', async () => {
    bench.slack.reset();
    await bench.driver.command('/reach', 'list', { user: ALICE, channel: PRIVATE });
    const reply = await bench.slack.waitFor('response_url', 10_000);
    expect(reply.args.response_type).toBe('ephemeral');
    expect(textOf(reply.args)).toMatch(/\/invite @Lookout/);
    expect(bench.slack.callsTo('conversations.join')).toHaveLength(0);
    expect(bench.slack.messages(PRIVATE).filter((m) => !m.ephemeralTo)).toHaveLength(0);
  });

  it('shares a chart in a public channel it has not joined yet: /metrics --range joins, then uploads there', async () => {
    bench.slack.reset();
    await bench.driver.command('/metrics', 'up --range 1h', { user: ALICE, channel: CHARTS });
    const upload = await bench.slack.waitFor((c) => c.method === 'files.completeUploadExternal' && (c.reply as { ok?: boolean }).ok === true, 20_000);
    expect(upload.args.channel_id).toBe(CHARTS);
    expect(bench.slack.callsTo('conversations.join').map((c) => c.args.channel)).toEqual([CHARTS]);
    expect(bench.slack.messages(CHARTS).some((m) => m.files?.length)).toBe(true);
    expect(bench.slack.callsTo('response_url').map((c) => textOf(c.args)).join('\n')).not.toMatch(/went wrong/i);
  });
});
