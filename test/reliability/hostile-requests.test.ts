import { startBench, textOf, SIGNING_SECRET, type Bench } from '../helpers/app';
import { EXPECTED_HOSTILE, sendHostileRequests } from '../helpers/hostile-http';
import { eventually, fastClock } from '../helpers/fast-clock';
import { countingFis } from '../helpers/counting-fis';
import { chaosYaml, hasButton, valueOf } from '../helpers/chaos-card';
import { createSandboxFis } from '../../src/sandbox/fis';
import { createSlackDriver, signSlackRequest } from '../../src/playground/driver';
import { buildBlockActions, buildCommandFields, buildMentionEnvelope, type PayloadContext } from '../../src/playground/driver-payloads';
import type { StoredMessage } from '../../src/playground/slack-stand-in';
import { REQUEST_KIND } from '../../src/chaos/records';

const FORM = 'application/x-www-form-urlencoded';
const A = 'C0HOSTA001';
const B = 'C0HOSTB001';
const ALICE = 'U0ALICE01'; // requester
const BOB = 'U0BOB0001'; // approver in every channel

/**
 * What each signed junk body gets: never a 5xx, never an answer that hangs. 400: Bolt (or, for a body that parses
 * to a non-object, the front door) could not read it; 404: Bolt read it but no listener acknowledged it within 3 s.
 */
const JUNK_STATUS: Record<string, number> = {
  'empty form': 404,
  'empty JSON': 400,
  'truncated form payload': 400,
  'truncated event JSON': 400,
  'payload is a number': 400,
  'payload is null': 400,
  'payload of unknown type': 404,
  'block_actions without actions': 404,
  'unknown action id': 404,
  'binary form': 404,
  'event without event': 404,
  'unknown content type': 400,
};

/**
 * Issue 13 item 1: requests an attacker can send (no secret, an old or future timestamp, a replay, a tampered body,
 * junk) and clicks a member can forge (a button value naming another request, channel or team; a message Lookout
 * did not post). Each is refused with no handler work, no Web API call and no (sandbox) AWS call, and the process
 * keeps serving. A replay inside the 5-minute window is accepted by the signature check (as Slack's own guidance
 * has it); event dedupe and idempotent actions make it harmless, which is what is asserted.
 */
describe('reliability: hostile requests are refused without effects and the process stays up', () => {
  let bench: Bench;
  let awsCalls: () => number;
  let startCalls: () => number;
  let pc: PayloadContext;
  beforeAll(async () => {
    // Real time: a 30-minute approval window must not remind or expire while the suite runs, even on a loaded machine.
    const clock = fastClock(1);
    const sandbox = createSandboxFis({ clock });
    const counting = countingFis(sandbox);
    awsCalls = counting.calls;
    startCalls = sandbox.startCalls;
    bench = await startBench({ yaml: chaosYaml(BOB), start: { sandbox: true, clock, sandboxFis: counting.fis } });
    pc = { standIn: bench.slack, teamId: bench.slack.team.id, now: Date.now };
  });
  afterAll(() => bench.stop());

  const webCalls = (since: number) => bench.slack.calls.slice(since).filter((c) => c.method !== 'response_url');
  const auditCount = async () => (await bench.app.store.listAudit({ limit: 1000 })).length;
  /** Deliveries the dedupe ignored (`lookout_duplicate_events_total`): counted before the replay is acknowledged. */
  const duplicates = async () => Number(/^lookout_duplicate_events_total (\d+)/m.exec(await (await fetch(`${bench.app.url}/metrics`)).text())?.[1] ?? 0);
  const requestState = async (id: string) => (await bench.app.store.get(REQUEST_KIND, id))?.state;
  /** Still up: health answers and a signed command gets its answer. */
  const stillServing = async () => {
    expect((await fetch(`${bench.app.url}/healthz`)).status).toBe(200);
    const since = bench.slack.calls.length;
    const audits = await auditCount();
    await bench.driver.command('/lookout', 'help', { user: ALICE, channel: A });
    expect(textOf((await bench.slack.waitFor((c) => c.method === 'response_url', { since })).args)).toContain('/lookout whoami');
    await eventually(async () => (await auditCount()) > audits); // written after the reply: counted before the next test
  };
  const commandBody = (text: string, channel = A) =>
    new URLSearchParams(
      buildCommandFields(pc, { command: '/chaos', text, user: ALICE, channel, responseUrl: bench.slack.responseUrl({ channel, user: ALICE }), triggerId: bench.slack.issueTriggerId(ALICE) }),
    ).toString();
  async function requestCard(channel: string, reason: string): Promise<StoredMessage> {
    const audits = await auditCount();
    await bench.driver.command('/chaos', `run cpu-stress-web --reason "${reason}"`, { user: ALICE, channel });
    const card = await eventually(() => bench.slack.find((m) => m.channel === channel && !m.threadTs && textOf(m as never).includes(reason) && hasButton(m, 'chaos_approve')));
    // The request's audit row is written after its card is posted: counted before the caller counts rows.
    await eventually(async () => (await auditCount()) > audits);
    return card;
  }

  it('every method, unknown path, oversized, junk and malformed body: 4xx, no Web API or AWS call', async () => {
    const since = bench.slack.calls.length;
    const aws = awsCalls();
    const answers = await sendHostileRequests(bench.app.url, SIGNING_SECRET);
    expect(Object.fromEntries(answers.map((a) => [a.name, a.status]))).toEqual(EXPECTED_HOSTILE);
    expect(bench.slack.calls.slice(since)).toEqual([]);
    expect(awsCalls()).toBe(aws);
    await stillServing();
  });

  it('forged, stale (past and future), unsigned and tampered requests: 401, no handler work', async () => {
    const body = commandBody('run cpu-stress-web --reason forged');
    const now = Math.floor(Date.now() / 1000);
    const good = signSlackRequest(SIGNING_SECRET, body, now);
    const tampered = body.replace('forged', 'forgee'); // one byte of the body changed after signing
    const cases: Array<[string, Promise<{ status: number }>]> = [
      ['forged (another secret)', bench.driver.raw(body, { contentType: FORM, secret: 'not-the-signing-secret' })],
      ['stale: 6 minutes old', bench.driver.raw(body, { contentType: FORM, timestamp: now - 360 })],
      ['stale: 6 minutes ahead', bench.driver.raw(body, { contentType: FORM, timestamp: now + 360 })],
      ['stale: a day ahead', bench.driver.raw(body, { contentType: FORM, timestamp: now + 86_400 })],
      ['no signature', bench.driver.raw(body, { contentType: FORM, signature: null })],
      ['no timestamp', bench.driver.raw(body, { contentType: FORM, timestamp: null })],
      ['timestamp not a number', bench.driver.raw(body, { contentType: FORM, timestamp: null, headers: { 'x-slack-request-timestamp': 'soon' } })],
      ['malformed signature', bench.driver.raw(body, { contentType: FORM, signature: 'v0=zz' })],
      ['another scheme', bench.driver.raw(body, { contentType: FORM, signature: good.replace(/^v0=/, 'v1=') })],
      ['tampered body', bench.driver.raw(tampered, { contentType: FORM, timestamp: now, signature: good })],
    ];
    const since = bench.slack.calls.length;
    const [aws, audits] = [awsCalls(), await auditCount()];
    const statuses: Record<string, number> = {};
    for (const [name, res] of cases) statuses[name] = (await res).status;
    expect(statuses).toEqual(Object.fromEntries(cases.map(([name]) => [name, 401])));
    expect(bench.slack.calls.slice(since)).toEqual([]);
    expect(awsCalls()).toBe(aws);
    expect(await auditCount()).toBe(audits);
    await stillServing();
  });

  it('signed junk: truncated, empty, non-object and unknown payloads, unknown action ids: never 5xx, no effects', async () => {
    const card = await requestCard(A, 'junk bodies');
    const click = (actionId: string, value: string) =>
      JSON.stringify({ ...buildBlockActions(pc, { message: card, actionId: 'chaos_approve', user: BOB, value, responseUrl: bench.slack.responseUrl({ channel: A, user: BOB }), triggerId: 't' }), actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1.0' }] });
    const form = (payload: string) => new URLSearchParams({ payload }).toString();
    const bodies: Array<[string, string, string]> = [
      ['empty form', '', FORM],
      ['empty JSON', '', 'application/json'],
      ['truncated form payload', form(click('chaos_approve', valueOf(card, 'chaos_approve') ?? '')).slice(0, 200), FORM],
      ['truncated event JSON', JSON.stringify(buildMentionEnvelope(pc, { text: 'x', user: ALICE, channel: A, ts: '1.1', eventId: 'EvJUNK1' })).slice(0, 90), 'application/json'],
      ['payload is a number', form('42'), FORM],
      ['payload is null', form('null'), FORM],
      ['payload of unknown type', form('{"type":"nonsense","user":{"id":"U0BOB0001"}}'), FORM],
      ['block_actions without actions', form('{"type":"block_actions","user":{"id":"U0BOB0001"},"team":{"id":"T0"}}'), FORM],
      ['unknown action id', form(click('chaos_launch_everything', valueOf(card, 'chaos_approve') ?? '')), FORM],
      ['binary form', '\u0000\u00ff%%%&&==payload', FORM],
      ['event without event', '{"type":"event_callback","event_id":"EvJUNK2"}', 'application/json'],
      ['unknown content type', 'command=%2Fchaos&text=run', 'text/plain'],
    ];
    const since = bench.slack.calls.length;
    const [aws, audits] = [awsCalls(), await auditCount()];
    // Sent together: the unacknowledged ones each take Bolt's 3 s.
    const statuses = await Promise.all(bodies.map(async ([name, body, contentType]) => [name, (await bench.driver.raw(body, { contentType })).status] as const));
    expect(Object.fromEntries(statuses)).toEqual(JUNK_STATUS);
    expect(webCalls(since)).toEqual([]);
    expect(awsCalls()).toBe(aws);
    expect(await auditCount()).toBe(audits);
    expect(await requestState(valueOf(card, 'chaos_approve') ?? '')).toBe('pending');
    await stillServing();
  });

  it('a button value naming another request, channel or team, or on a message Lookout did not post: refused, nothing done', async () => {
    const cardA = await requestCard(A, 'target of forged clicks');
    const cardB = await requestCard(B, 'carrier of forged clicks');
    const idA = valueOf(cardA, 'chaos_approve') ?? '';
    const idB = valueOf(cardB, 'chaos_approve') ?? '';
    const otherTeam = createSlackDriver({ appUrl: `${bench.app.url}/slack/events`, signingSecret: SIGNING_SECRET, standIn: bench.slack, teamId: 'T0OTHERTM1' });
    const notOurs: StoredMessage = { ...cardA, ts: '1700000000.000100', user: ALICE } as StoredMessage; // same buttons, posted by a user
    const forged: Array<[string, () => Promise<unknown>]> = [
      ['another request’s card (approve)', () => bench.driver.action(cardB, 'chaos_approve', { user: BOB, value: idA })],
      ['another request’s card (deny)', () => bench.driver.action(cardB, 'chaos_deny', { user: BOB, value: idA })],
      ['the card, clicked from another channel', () => bench.driver.action({ ...cardA, channel: B }, 'chaos_approve', { user: BOB, value: idA })],
      ['a message Lookout did not post', () => bench.driver.action(notOurs, 'chaos_approve', { user: BOB, value: idA })],
      ['another team', () => otherTeam.action(cardA, 'chaos_approve', { user: BOB, value: idA })],
      ['a request id that does not exist', () => bench.driver.action(cardA, 'chaos_approve', { user: BOB, value: 'REQ-NOPE' })],
    ];
    for (const [name, click] of forged) {
      const since = bench.slack.calls.length;
      const aws = awsCalls();
      await click();
      const refusal = await bench.slack.waitFor((c) => c.method === 'response_url', { since });
      expect([name, textOf(refusal.args)]).toEqual([name, expect.stringMatching(/does not belong|no longer exists/)]);
      expect([name, webCalls(since)]).toEqual([name, []]);
      expect([name, awsCalls()]).toEqual([name, aws]);
      expect([name, await requestState(idA), await requestState(idB)]).toEqual([name, 'pending', 'pending']);
    }
    // The same approver on the right card still approves: the refusals were about the click, not the person.
    await bench.driver.action(cardA, 'chaos_approve', { user: BOB, value: idA });
    expect(await eventually(async () => ((await requestState(idA)) !== 'pending' ? requestState(idA) : undefined))).toMatch(/starting|running/);
    await stillServing();
  });

  it('replays inside the window: a replayed event, command or click is acknowledged and ignored', async () => {
    const now = Date.now();
    const ts = Math.floor(now / 1000);
    // An event delivered twice with the same body, timestamp and signature.
    const message = bench.slack.postAsUser({ channel: A, user: ALICE, text: `<@${bench.slack.bot.userId}> chaos list` });
    const event = JSON.stringify(buildMentionEnvelope(pc, { text: message.text ?? '', user: ALICE, channel: A, ts: message.ts, eventId: 'EvREPLAY0001' }));
    const since = bench.slack.calls.length;
    expect((await bench.driver.raw(event, { contentType: 'application/json', timestamp: ts })).status).toBe(200);
    await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === message.ts, { since });
    // The replay is refused by the dedupe before it is acknowledged: once its answer is back, nothing more can start.
    expect((await bench.driver.raw(event, { contentType: 'application/json', timestamp: ts })).status).toBeLessThan(500);
    await stillServing();
    expect(bench.slack.calls.slice(since).filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === message.ts)).toHaveLength(1);

    // A slash command replayed byte for byte: one request opened, one card posted.
    const runBody = commandBody('run cpu-stress-web --reason "replayed command"');
    const cards = () => bench.slack.allMessages().filter((m) => m.channel === A && hasButton(m, 'chaos_approve') && textOf(m as never).includes('replayed command'));
    expect((await bench.driver.raw(runBody, { contentType: FORM, timestamp: ts })).status).toBe(200);
    await eventually(() => cards().length === 1);
    await eventually(async () => (await bench.app.store.listAudit({ limit: 1000 })).some((r) => r.command.includes('replayed command')));
    const dupes = await duplicates();
    expect((await bench.driver.raw(runBody, { contentType: FORM, timestamp: ts })).status).toBe(200);
    expect(await duplicates()).toBe(dupes + 1);
    await stillServing();
    expect(cards()).toHaveLength(1);
    expect((await bench.app.store.listAudit({ limit: 1000 })).filter((r) => r.command.includes('replayed command'))).toHaveLength(1);

    // An approval click replayed byte for byte: the request moved once and FIS was asked to start once.
    const card = await requestCard(A, 'replayed approval');
    const id = valueOf(card, 'chaos_approve') ?? '';
    const clickBody = new URLSearchParams({
      payload: JSON.stringify(buildBlockActions({ ...pc, now: () => now }, { message: card, actionId: 'chaos_approve', user: BOB, value: id, responseUrl: bench.slack.responseUrl({ channel: A, user: BOB, messageTs: card.ts }), triggerId: bench.slack.issueTriggerId(BOB) })),
    }).toString();
    const starts = startCalls();
    expect((await bench.driver.raw(clickBody, { contentType: FORM, timestamp: ts })).status).toBe(200);
    await eventually(async () => ((await requestState(id)) === 'running' ? true : undefined));
    await eventually(async () => (await bench.app.store.listAudit({ limit: 1000 })).some((r) => r.command === `chaos approve ${id}`));
    // The replay is refused by the dedupe before it is acknowledged: once its answer is back, nothing more can start.
    expect((await bench.driver.raw(clickBody, { contentType: FORM, timestamp: ts })).status).toBe(200);
    expect(await duplicates()).toBe(dupes + 2);
    await stillServing();
    expect((await bench.app.store.listAudit({ limit: 1000 })).filter((r) => r.command === `chaos approve ${id}`)).toHaveLength(1);
    expect(startCalls()).toBe(starts + 1);
  });
});
