import { startBench, textOf, SIGNING_SECRET, type Bench } from '../helpers/app';
import { openStore } from '../../src/store';
import { eventually } from '../helpers/fast-clock';

const CHANNEL = 'C0123ABCDEF';
const ALICE = 'U0ALICE01';

describe('foundation e2e: the real app over HTTP, Slack stand-in on loopback, no lookout.yml', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench();
  });
  afterAll(() => bench.stop());
  beforeEach(() => bench.slack.reset());

  it('serves /healthz, /readyz and /metrics', async () => {
    expect((await fetch(`${bench.app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bench.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, store: 'ok', slack: 'ok' });
    const metrics = await (await fetch(`${bench.app.url}/metrics`)).text();
    expect(metrics).toContain('lookout_ack_latency_seconds');
    expect(metrics).toContain('lookout_commands_total');
  });

  it('answers a signed /lookout help privately, listing what the caller may run, and audits it', async () => {
    const res = await bench.driver.command('/lookout', 'help', { user: ALICE, channel: CHANNEL });
    expect(res.status).toBe(200);
    const reply = await bench.slack.waitFor('response_url');
    expect(reply.args.response_type).toBe('ephemeral');
    const text = textOf(reply.args);
    expect(text).toContain('/lookout whoami');
    expect(text).toContain('/lookout status');
    // `audit` needs the admin verb, which nobody has without a configuration: not listed.
    expect(text).not.toContain('/lookout audit');
    await waitForAudit(bench, (e) => e.command === '/lookout help' && e.outcome === 'ok' && e.userId === ALICE && e.channelId === CHANNEL);
    const metrics = await (await fetch(`${bench.app.url}/metrics`)).text();
    expect(metrics).toMatch(/lookout_commands_total\{command="\/lookout",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/lookout_ack_latency_seconds_count\{kind="http"\} [1-9]/);
    expect(metrics).toMatch(/lookout_slack_calls_total\{method="auth.test",outcome="ok"\} [1-9]/);
  });

  it('refuses forged signatures, stale and future timestamps with 401 and makes no Web API call', async () => {
    const body = new URLSearchParams({ command: '/lookout', text: 'help', user_id: ALICE, channel_id: CHANNEL, team_id: 'T0TEAM', response_url: bench.slack.responseUrl({ channel: CHANNEL, user: ALICE }) }).toString();
    const now = Math.floor(Date.now() / 1000);
    const contentType = 'application/x-www-form-urlencoded';
    const forged = await bench.driver.raw(body, { contentType, secret: 'not-the-secret' });
    const stale = await bench.driver.raw(body, { contentType, timestamp: now - 301 });
    // Ahead by more than the 300 s window even after `now` was floored and the request took its time (a bare +301
    // could land inside the window by the time the server read its clock: a CI failure).
    const future = await bench.driver.raw(body, { contentType, timestamp: now + 330 });
    const unsigned = await bench.driver.raw(body, { contentType, signature: null });
    expect([forged.status, stale.status, future.status, unsigned.status]).toEqual([401, 401, 401, 401]);
    const control = await bench.driver.raw(body, { contentType });
    expect(control.status).toBe(200);
    await bench.slack.waitFor('response_url');
    // Only the correctly signed control request produced a call.
    expect(bench.slack.calls.filter((c) => c.method !== 'usergroups.users.list')).toHaveLength(1);
    expect(SIGNING_SECRET).not.toBe('not-the-secret');
  });

  it('escapes hostile text it echoes: mentions, broadcasts, links and ampersands stay inert', async () => {
    await bench.driver.command('/lookout', '<!channel>&<@U999><http://evil.example|innocent> more', { user: ALICE, channel: CHANNEL });
    const reply = await bench.slack.waitFor('response_url');
    const text = textOf(reply.args);
    expect(text).toContain('&lt;!channel&gt;&amp;&lt;@U999&gt;&lt;http://evil.example');
    expect(text).not.toMatch(/<!channel>|<@U999>|<http:\/\/evil/);
    expect(text).toContain('Usage');
    await waitForAudit(bench, (e) => e.outcome === 'usage' && e.command.startsWith('/lookout <!channel>'));
  });

  it.each([
    ['/chaos', '<!channel>&'],
    ['/metrics', 'up --at <!channel>&'],
    ['/report', '<!channel>&'],
  ])('%s parse errors show hostile input escaped exactly once', async (command, text) => {
    await bench.driver.command(command, text, { user: ALICE, channel: CHANNEL });
    const reply = await bench.slack.waitFor('response_url');
    const shown = textOf(reply.args);
    expect(shown).toContain('&lt;!channel&gt;&amp;');
    expect(shown).not.toContain('&amp;lt;');
    expect(shown).not.toContain('<!channel>');
  });

  it('refuses /lookout audit to non-admins with a message that says what to do', async () => {
    await bench.driver.command('/lookout', 'audit', { user: ALICE, channel: CHANNEL });
    const reply = await bench.slack.waitFor('response_url');
    // What happened and what to do: the permission, and where admins are configured.
    expect(textOf(reply.args)).toContain('This needs the `admin` permission, and no Lookout admins are configured. Add Slack user or user-group ids under `admins` in lookout.yml.');
    await waitForAudit(bench, (e) => e.outcome === 'denied' && e.command === '/lookout audit');
  });

  it('runs mentions through the same pipeline, answering in the thread, and processes a retried event once', async () => {
    const first = await bench.driver.mention('whoami', { user: ALICE, channel: CHANNEL, eventId: 'Ev0DUPLICATE' });
    expect(first.status).toBe(200);
    const reply = await bench.slack.waitFor('chat.postEphemeral');
    expect(reply.args.thread_ts).toBe(first.ts);
    expect(textOf(reply.args)).toContain('*AWS account:* *default*');
    const retry = await bench.driver.mention('whoami', { user: ALICE, channel: CHANNEL, eventId: 'Ev0DUPLICATE', retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    // Wait for the retry to be recognised (an effect), then check it produced nothing.
    await eventually(async () => /lookout_duplicate_events_total 1\b/.test(await (await fetch(`${bench.app.url}/metrics`)).text()));
    expect(bench.slack.callsTo('chat.postEphemeral')).toHaveLength(1);
  });

  it('decodes HTML entities in mention text before parsing', async () => {
    const mention = await bench.driver.mention('lookout status &', { user: ALICE, channel: CHANNEL });
    const reply = await bench.slack.waitFor('chat.postEphemeral');
    // `&` (decoded) is an unexpected argument: the usage error shows it escaped once, not as &amp;amp;.
    const text = textOf(reply.args);
    expect(text).toContain('takes no arguments');
    expect(reply.args.thread_ts).toBe(mention.ts);
  });
});

describe('foundation e2e with a configuration', () => {
  const yaml = `
aws: { region: eu-west-1 }
admins: [U0ALICE01]
limits: { perUserPerMinute: 3, perChannelPerMinute: 60 }
channels:
  default: { allow: [reach, metrics] }
`;
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench({ yaml });
  });
  afterAll(() => bench.stop());
  beforeEach(() => bench.slack.reset());

  it('shows admins the audit log of the channel, newest first', async () => {
    await bench.driver.command('/lookout', 'whoami', { user: 'U0BOB0001', channel: CHANNEL });
    await bench.slack.waitFor('response_url');
    await waitForAudit(bench, (e) => e.command === '/lookout whoami');
    bench.slack.reset();
    await bench.driver.command('/lookout', 'audit --limit 5', { user: ALICE, channel: CHANNEL });
    const reply = await bench.slack.waitFor('response_url');
    const text = textOf(reply.args);
    expect(text).toContain('/lookout whoami');
    expect(text).toContain('<@U0BOB0001>');
  });

  it('stops a person who runs more than the per-user limit and tells them', async () => {
    const user = 'U0LOOPER1';
    for (let i = 0; i < 3; i++) {
      await bench.driver.command('/lookout', 'help', { user, channel: 'C0LIMITS01' });
      await bench.slack.waitFor('response_url');
      bench.slack.reset();
    }
    await bench.driver.command('/lookout', 'help', { user, channel: 'C0LIMITS01' });
    const reply = await bench.slack.waitFor('response_url');
    expect(textOf(reply.args)).toContain("You have run 3 commands in the last minute, which is Lookout's limit.");
    expect(textOf(reply.args)).toMatch(/Try again in \d+ s\./);
    await waitForAudit(bench, (e) => e.userId === user && e.outcome === 'rate_limited');
  });

  it('counts Re-run clicks (each a billed analysis) towards the same limit, before any AWS work', async () => {
    const user = 'U0CLICKER';
    for (let i = 0; i < 3; i++) {
      await bench.driver.command('/lookout', 'help', { user, channel: 'C0LIMITS02' });
      await bench.slack.waitFor('response_url');
      bench.slack.reset();
    }
    const button = { type: 'actions', elements: [{ type: 'button', action_id: 'reach_rerun', text: { type: 'plain_text', text: 'Re-run' }, value: 'nip-0123456789abcdef0' }] };
    const answer = { channel: 'C0LIMITS02', ts: '1764400000.000100', user: 'ULOOKOUT', text: 'an answer', blocks: [button] } as never;
    await bench.driver.action(answer, 'reach_rerun', { user });
    const reply = await bench.slack.waitFor('response_url');
    expect(textOf(reply.args)).toContain("You have run 3 commands in the last minute, which is Lookout's limit.");
    expect(textOf(reply.args)).toMatch(/Try again in \d+ s\./);
    await waitForAudit(bench, (e) => e.userId === user && e.command.startsWith('reach re-run') && e.outcome === 'rate_limited');
  });
});

describe('start-up', () => {
  it('refuses a broken configuration before touching Slack, listing every problem', async () => {
    const yaml = `
chaos: { approvalTtl: forever, maxRunning: -1 }
channels:
  C0123: { allow: [reach, teleport], minApprovals: 0 }
`;
    await expect(startBench({ yaml })).rejects.toThrow(/configuration problems/);
    const err = await startBench({ yaml }).catch((e: Error) => e);
    const msg = (err as Error).message;
    expect(msg).toMatch(/chaos\.approvalTtl/);
    expect(msg).toMatch(/chaos\.maxRunning/);
    expect(msg).toMatch(/teleport/);
    expect(msg).toMatch(/minApprovals/);
  });

  it('stops with a clear message when Slack rejects the token', async () => {
    await expect(startBench({ env: { SLACK_BOT_TOKEN: 'xoxb-wrong-token-123' } })).rejects.toThrow(/Slack rejected SLACK_BOT_TOKEN \(auth\.test: invalid_auth\)/);
  });
});

async function waitForAudit(bench: Bench, pred: (e: Awaited<ReturnType<Bench['app']['store']['listAudit']>>[number]) => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = await bench.app.store.listAudit({ limit: 100 });
    const hit = entries.find(pred);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no matching audit entry; have: ${entries.map((e) => `${e.command}→${e.outcome}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
void openStore;
