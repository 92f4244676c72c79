import http from 'node:http';
import { LogLevel, WebClient } from '@slack/web-api';
import { createSlackDriver } from '../../src/playground/driver';
import { startPlayground, type PlaygroundHandle } from '../../src/playground/server';
import { BOT_TOKEN, startBench, type Bench } from '../helpers/app';
import { PLAYGROUND_CHANNEL, PLAYGROUND_USERS, recordDriver, sandboxPanel, type RecordingDriver } from '../helpers/browser';

// The playground's HTTP surface without a browser: the page, the snapshot, the stream, the file proxy, the guards.
const CHANNEL = PLAYGROUND_CHANNEL.id;
const ALICE = 'U0ALICE01';
const PAGE_BUDGET_BYTES = 64 * 1024;

/** node:http, because fetch will not send a forged Host header. */
function request(url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('playground server', () => {
  let bench: Bench;
  let driver: RecordingDriver;
  let pg: PlaygroundHandle;
  let web: WebClient;
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(`${pg.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = async (p: Promise<{ status: number; body: Buffer }>) => {
    const r = await p;
    return { status: r.status, ...JSON.parse(r.body.toString()) };
  };

  beforeAll(async () => {
    bench = await startBench({ slack: { channels: [PLAYGROUND_CHANNEL, { id: 'C0ELSEWHERE', name: 'elsewhere' }], users: PLAYGROUND_USERS } });
    driver = recordDriver(bench.driver);
    pg = await startPlayground({ port: 0, standIn: bench.slack, driver, users: PLAYGROUND_USERS, channel: PLAYGROUND_CHANNEL, sandbox: sandboxPanel() });
    web = new WebClient(BOT_TOKEN, { slackApiUrl: bench.slack.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
  });
  afterAll(async () => {
    await pg?.close();
    await bench?.stop();
  });
  beforeEach(() => {
    bench.slack.reset();
    driver.calls.length = 0;
  });

  it('serves a small page from its own origin with a strict content security policy', async () => {
    expect(pg.url).toMatch(/^http:\/\/localhost:\d+$/);
    const index = await request(`${pg.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    const html = index.body.toString();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.every((a) => a.startsWith('/static/'))).toBe(true);
    let total = index.body.length;
    for (const asset of assets) {
      const res = await request(`${pg.url}${asset}`);
      expect(res.status).toBe(200);
      total += res.body.length;
    }
    expect(total).toBeLessThan(PAGE_BUDGET_BYTES);
    expect((await request(`${pg.url}/static/../server.ts`)).status).toBe(404);
  });

  it('gives a snapshot of the channel only, with files served through the playground', async () => {
    await web.chat.postMessage({ channel: 'C0ELSEWHERE', text: 'not here' });
    await web.files.uploadV2({ channel_id: CHANNEL, file: Buffer.from('hello'), filename: 'note.txt', title: 'A note' });
    const state = await json(request(`${pg.url}/api/state`));
    expect(state).toMatchObject({ channel: PLAYGROUND_CHANNEL, users: PLAYGROUND_USERS, bot: { id: bench.slack.bot.userId, name: 'Lookout' } });
    expect(state.directory.users).toMatchObject({ U0ALICE01: 'alice', [bench.slack.bot.userId]: 'Lookout' });
    expect(state.sandbox.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['web-1', 'db-1', 'db-sg']));
    expect(state.messages).toHaveLength(1);
    const [file] = state.messages[0].files;
    expect(file.url).toMatch(/^\/files\/F\w+\/note\.txt$/);
    const bytes = await request(`${pg.url}${file.url}`);
    expect([bytes.status, bytes.body.toString(), bytes.headers['content-type']]).toEqual([200, 'hello', 'text/plain']);
    expect((await request(`${pg.url}/files/..%2f..%2fapi/x`)).status).toBe(404);
  });

  it('turns composer input into a slash command, a mention or a plain message from the chosen user', async () => {
    expect(await json(postJson('/api/send', { user: ALICE, text: '/lookout   help me' }))).toMatchObject({ ok: true, status: 200 });
    expect(driver.calls[0]).toMatchObject({ kind: 'command', args: ['/lookout', 'help me', { user: ALICE, channel: CHANNEL }] });

    const parent = bench.slack.postAsUser({ channel: CHANNEL, user: ALICE, text: 'parent' });
    expect(await json(postJson('/api/send', { user: 'U0BOB0001', text: '@lookout whoami', threadTs: parent.ts }))).toMatchObject({ ok: true });
    expect(driver.calls[1]).toMatchObject({ kind: 'mention', args: [`<@${bench.slack.bot.userId}> whoami`, { user: 'U0BOB0001', channel: CHANNEL, threadTs: parent.ts }] });

    await postJson('/api/send', { user: ALICE, text: 'a <b> & <!channel>' });
    expect(bench.slack.lastMessage(CHANNEL)).toMatchObject({ user: ALICE, text: 'a &lt;b&gt; &amp; &lt;!channel&gt;' });
    expect(driver.calls).toHaveLength(2);
  });

  it('shows a slash command ack body as Slack does: ephemeral to the caller', async () => {
    // Lookout acks its commands empty; a tiny app that answers with a body stands in for one that does not.
    const acking = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: 'Working on *it*' })));
    });
    await new Promise<void>((resolve) => acking.listen(0, '127.0.0.1', resolve));
    const port = (acking.address() as { port: number }).port;
    driver.target = createSlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: 'any', standIn: bench.slack });
    try {
      expect(await json(postJson('/api/send', { user: ALICE, text: '/lookout whoami' }))).toMatchObject({ ok: true });
      expect(bench.slack.lastMessage(CHANNEL)).toMatchObject({ text: 'Working on *it*', ephemeralTo: ALICE, user: bench.slack.bot.userId });
    } finally {
      driver.target = bench.driver;
      acking.close();
    }
  });

  it('reports what the app answered, and refuses unknown users and vanished messages', async () => {
    expect(await json(postJson('/api/send', { user: 'U0MALLORY', text: '/lookout help' }))).toMatchObject({ status: 400, ok: false });
    expect(await json(postJson('/api/send', { user: ALICE, text: '   ' }))).toMatchObject({ ok: false, status: 400 });
    expect(await json(postJson('/api/action', { user: ALICE, ts: '1.000001', actionId: 'x' }))).toMatchObject({ ok: false, status: 404, detail: 'That message is gone.' });
    const posted = await web.chat.postMessage({ channel: CHANNEL, text: 'b', blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Nobody listens' }, action_id: 'playground_unheard' }] }] });
    // Bolt answers 404 when no listener acknowledges an action: the page must say so instead of staying silent.
    expect(await json(postJson('/api/action', { user: ALICE, ts: posted.ts, actionId: 'playground_unheard' }))).toMatchObject({ ok: false, status: 404 });
    expect(driver.calls.map((c) => [c.kind, c.status])).toEqual([['action', 404]]);
  });

  it('refuses other origins, other Host names and non-JSON posts', async () => {
    expect((await postJson('/api/send', { user: ALICE, text: '/lookout help' }, { origin: 'http://evil.example' })).status).toBe(403);
    const port = new URL(pg.url).port;
    expect((await request(`${pg.url}/api/state`, { headers: { host: `rebound.evil.example:${port}` } })).status).toBe(403);
    const form = await request(`${pg.url}/api/send`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ user: ALICE, text: '/lookout help' }) });
    expect(form.status).toBe(405);
    expect(driver.calls).toHaveLength(0);
  });

  it('streams changes to this channel as Server-Sent Events', async () => {
    const abort = new AbortController();
    const res = await fetch(`${pg.url}/api/events`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let seen = '';
    const read = async (until: (s: string) => boolean) => {
      while (!until(seen)) seen += new TextDecoder().decode((await reader.read()).value);
    };
    await read((s) => s.includes(': connected'));
    await web.chat.postMessage({ channel: 'C0ELSEWHERE', text: 'elsewhere' });
    const posted = await web.chat.postMessage({ channel: CHANNEL, text: 'first' });
    await web.chat.update({ channel: CHANNEL, ts: posted.ts!, text: 'second' });
    await read((s) => s.includes('"second"'));
    const events = seen.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => JSON.parse(e.slice(6)));
    expect(events.map((e) => [e.kind, e.message.text, e.message.edited ?? false])).toEqual([
      ['message', 'first', false],
      ['message', 'second', true],
    ]);
    abort.abort();
  });
});
