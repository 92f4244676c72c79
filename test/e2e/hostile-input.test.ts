import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { createSandboxFis, sandboxTemplates } from '../../src/sandbox/fis';
import type { SandboxTemplate } from '../../src/sandbox/fis/templates';
import type { RecordedCall } from '../../src/playground/slack-stand-in';
import { CAPS } from '../../src/text';

const CHANNEL = 'C0HOSTILE1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const yaml = `
chaos: { approvalTtl: 30m, maxRunning: 3 }
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
`;

// Names an attacker can give AWS resources: a broadcast and a disguised link, live if they reach Slack unescaped.
const BROADCAST = '<!channel>';
const LINK = '<https://evil.example|aws console>';
const LIVE = [BROADCAST, '<https://evil.example'];

function hostileTemplate(): SandboxTemplate {
  const [base] = sandboxTemplates();
  const t = structuredClone(base);
  t.template.id = 'EXTsbxhostile001';
  t.template.name = BROADCAST;
  t.template.tags = { ...t.template.tags, Name: BROADCAST };
  t.template.actions = t.template.actions.map((a, i) => (i === 0 ? { ...a, name: LINK } : { ...a, startAfter: [LINK] }));
  return t;
}

describe('e2e hostile input: huge names are refused at the cap, hostile AWS names stay inert in text and blocks', () => {
  let bench: Bench;
  beforeAll(async () => {
    const clock = fastClock(200);
    const fis = createSandboxFis({ clock, templates: [...sandboxTemplates(), hostileTemplate()] });
    bench = await startBench({ yaml, start: { sandbox: true, clock, sandboxFis: fis } });
  });
  afterAll(() => bench.stop());

  const posts = (since: number) =>
    bench.slack.calls.slice(since).filter((c) => ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url'].includes(c.method));
  const expectInert = (calls: RecordedCall[]) => {
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      for (const live of LIVE) {
        expect(String(c.args.text ?? '')).not.toContain(live);
        expect(JSON.stringify(c.args.blocks ?? [])).not.toContain(live);
      }
    }
  };

  it(`/reach with a 20,000-character name is refused with the documented cap (${CAPS.input} characters), by command and by mention`, async () => {
    const huge = 'x'.repeat(20_000);
    const since = bench.slack.calls.length;
    await bench.driver.command('/reach', `${huge} -> db-1:5432`, { user: ALICE, channel: CHANNEL });
    const reply = await bench.slack.waitFor((c) => c.method === 'response_url', { timeoutMs: 10_000, since });
    expect(textOf(reply.args)).toContain(`at most ${CAPS.input.toLocaleString('en-US')} characters`);

    const since2 = bench.slack.calls.length;
    await bench.driver.mention(`reach ${huge} -> db-1:5432`, { user: ALICE, channel: CHANNEL });
    const answer = await bench.slack.waitFor((c) => /at most/.test(textOf(c.args)), { timeoutMs: 10_000, since: since2 });
    expect(textOf(answer.args)).toContain(`at most ${CAPS.input.toLocaleString('en-US')} characters`);
    // No analysis was started for it: nothing was posted in the channel but the refusal.
    expect(posts(since).every((c) => c === reply || c === answer || !/Analyzing/.test(textOf(c.args)))).toBe(true);
  });

  it(`a name over ${CAPS.name} characters (but a short command) is refused before any lookup or matching`, async () => {
    const since = bench.slack.calls.length;
    await bench.driver.mention(`reach ${'y'.repeat(CAPS.name + 1)} -> db-1:5432`, { user: ALICE, channel: CHANNEL });
    const answer = await bench.slack.waitFor((c) => /too long/.test(textOf(c.args)), { timeoutMs: 10_000, since });
    expect(textOf(answer.args)).toContain(`the source is too long: at most ${CAPS.name} characters`);
  });

  it('a template named <!channel> with an action named as a disguised link: list and show keep them inert', async () => {
    const since = bench.slack.calls.length;
    await bench.driver.command('/chaos', 'list', { user: ALICE, channel: CHANNEL });
    const list = await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && /Experiment templates/.test(textOf(c.args)), { timeoutMs: 10_000, since });
    expect(textOf(list.args)).toContain('&lt;!channel&gt;');
    const before = bench.slack.calls.length;
    await bench.driver.command('/chaos', 'show EXTsbxhostile001', { user: ALICE, channel: CHANNEL });
    const show = await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && /^Experiment template /.test(String(c.args.text)), { timeoutMs: 10_000, since: before });
    expect(show.args.text).toContain('&lt;!channel&gt;');
    expectInert(posts(since));
  });

  it('its approval card, thread (action changes, summary), status and history stay inert in text and blocks', async () => {
    const since = bench.slack.calls.length;
    await bench.driver.command('/chaos', 'run EXTsbxhostile001 --reason "game day"', { user: ALICE, channel: CHANNEL });
    const card = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && /game day/.test(textOf(m as never)) && /EXTsbxhostile001/.test(textOf(m as never))));
    const approve = valueOf(card, 'chaos_approve');
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: approve });
    // An action change line names the action; the summary ends the thread.
    const change = await eventually(() => bench.slack.thread(CHANNEL, card.ts).find((m) => /evil\.example/.test(String(m.text))), 30_000);
    expect(change.text).toContain('&lt;https://evil.example|aws console&gt;');
    await eventually(() => bench.slack.thread(CHANNEL, card.ts).find((m) => /completed|stopped|failed/i.test(String(m.text)) && /took|in \d/.test(textOf(m as never))), 30_000);
    // The experiment's name also shows in status and history.
    for (const sub of ['status', 'history']) {
      const before = bench.slack.calls.length;
      await bench.driver.command('/chaos', sub, { user: ALICE, channel: CHANNEL });
      await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL, { timeoutMs: 10_000, since: before });
    }
    expectInert(posts(since));
  });
});

function valueOf(m: { blocks?: unknown }, actionId: string): string {
  const walk = (v: unknown): string | undefined => {
    if (Array.isArray(v)) return v.map(walk).find(Boolean);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.action_id === actionId && typeof o.value === 'string') return o.value;
      return Object.values(o).map(walk).find(Boolean);
    }
    return undefined;
  };
  return walk(m.blocks) ?? '';
}
