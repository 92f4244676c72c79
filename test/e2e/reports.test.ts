import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { createSandboxFis, sandboxTemplates, type SandboxFis } from '../../src/sandbox/fis';
import type { RecordedCall } from '../../src/playground/slack-stand-in';
import { LOOKOUT_TAGS } from '../../src/chaos/model';

const CHANNEL = 'C0REPORTS1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const yaml = `
chaos: { maxRunning: 3 }
reach: { minWatchInterval: 1m }
channels:
  default: { allow: ["*"], approvers: [${BOB}] }
reports:
  - { id: status-every-minute, channel: ${CHANNEL}, cron: "* * * * *", command: "/lookout status" }
`;

// One minute of schedule is half a second here: several due runs happen within a test.
describe('e2e scheduled reports on the sandbox account', () => {
  let bench: Bench;
  let fis: SandboxFis;
  beforeAll(async () => {
    const clock = fastClock(120);
    // network-latency-web's action runs 12 h here instead of 5 min (6 min of real time instead of 2.5 s), so the
    // --on-change test below sees several report runs while it runs however slow the machine, then stops it.
    const templates = sandboxTemplates().map((t) =>
      t.template.id !== 'EXTsbxnetlat0001' ? t : { ...t, template: { ...t.template, actions: t.template.actions.map((a) => ({ ...a, parameters: { ...a.parameters, duration: 'PT12H' } })) } },
    );
    fis = createSandboxFis({ clock, templates });
    bench = await startBench({ yaml, start: { sandbox: true, clock, sandboxFis: fis } });
  });
  afterAll(() => bench.stop());

  const posts = (pred: (text: string) => boolean) => bench.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL && pred(textOf(c.args)));

  /** Adds a report in the channel and returns its id. */
  async function addReport(args: string): Promise<string> {
    const since = bench.slack.calls.length;
    await bench.driver.command('/report', args, { user: ALICE, channel: CHANNEL });
    const added = await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && /`r-[a-z0-9]+` added: runs/.test(textOf(c.args)) && /next/i.test(textOf(c.args)), { timeoutMs: 10_000, since });
    return /`(r-[a-z0-9]+)` added/.exec(textOf(added.args))![1];
  }

  /** Waits until the report has finished `n` more runs, posted or not: each run records a new lastRunAt. */
  async function moreRuns(id: string, n: number): Promise<void> {
    const lastRunAt = async () => (await bench.app.store.get<{ lastRunAt: number | null }>('report', id))?.data.lastRunAt ?? null;
    const from = await lastRunAt();
    const seen = new Set<number>();
    await eventually(async () => {
      const at = await lastRunAt();
      if (at !== null && at !== from) seen.add(at);
      return seen.size >= n;
    }, 20_000);
  }

  /** Asks for a chaos run in the channel and has Bob approve it. */
  async function runApproved(template: string, reason: string): Promise<void> {
    await bench.driver.command('/chaos', `run ${template} --reason "${reason}"`, { user: ALICE, channel: CHANNEL });
    const card = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && JSON.stringify(m.blocks).includes('chaos_approve') && textOf(m as never).includes(reason)), 15_000);
    const value = /"action_id":"chaos_approve"[^}]*"value":"([^"]+)"/.exec(JSON.stringify(card.blocks))?.[1] ?? /"value":"([^"]+)"[^}]*"action_id":"chaos_approve"/.exec(JSON.stringify(card.blocks))?.[1];
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value });
  }

  it('a report declared in lookout.yml exists at start and posts when due', async () => {
    await bench.driver.command('/report', 'list', { user: ALICE, channel: CHANNEL });
    const list = await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && /status-every-minute/.test(textOf(c.args)), 10_000);
    expect(textOf(list.args)).toContain('/lookout status');
    await eventually(() => posts((t) => /Lookout status/.test(t) && /status-every-minute/.test(t)).length >= 2, 15_000);
  });

  it('a report added through Slack shows its next runs, then posts its answer when due', async () => {
    await bench.driver.command('/report', 'add "* * * * *" -- /metrics up', { user: ALICE, channel: CHANNEL });
    const added = await bench.slack.waitFor((c: RecordedCall) => c.method === 'chat.postMessage' && /\/metrics up/.test(textOf(c.args)) && /next/i.test(textOf(c.args)), 10_000);
    const id = /`(r-[a-z0-9]+)`/.exec(textOf(added.args))?.[1];
    expect(id).toBeDefined();
    await eventually(() => posts((t) => t.includes(id!) && /lookout-sandbox/.test(t)).length >= 1, 15_000);
    expect(await eventually(async () => (await bench.app.store.listAudit({ channelId: CHANNEL, limit: 100 })).some((a) => a.kind === 'report' && a.command === '/metrics up' && a.outcome === 'ok'))).toBe(true);
    await bench.driver.command('/report', `remove ${id}`, { user: ALICE, channel: CHANNEL });
    await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && /removed/i.test(textOf(c.args)), 10_000);
  });

  it('every kind of command a report runs carries a fingerprint: a steady answer is posted once', async () => {
    const commands = ['/metrics up', '/metrics labels', '/chaos list', '/chaos history --limit 3', '/grafana search', '/lookout status'];
    const ids: string[] = [];
    for (const command of commands) ids.push(await addReport(`add "* * * * *" --on-change -- ${command}`));
    const answers = (id: string) => posts((t) => t.includes(id) && !/added: runs/.test(t));
    await eventually(() => ids.every((id) => answers(id).length >= 1), 20_000);
    await Promise.all(ids.map((id) => moreRuns(id, 3)));
    expect(ids.map((id) => answers(id).length)).toEqual(commands.map(() => 1));
    for (const id of ids) await bench.driver.command('/report', `remove ${id}`, { user: ALICE, channel: CHANNEL });
    await eventually(async () => (await Promise.all(ids.map((id) => bench.app.store.get('report', id)))).every((r) => !r), 10_000);
  });

  it('--on-change stays quiet while the answer is the same', async () => {
    const id = await addReport('add "* * * * *" --on-change -- /reach web-1 -> cache-1:6379');
    await eventually(() => posts((t) => t.includes(id) && /can reach/.test(t)).length >= 1, 20_000);
    // Several more runs, each a new analysis (new id, time and duration) with the same verdict: nothing new is posted.
    await moreRuns(id, 3);
    expect(posts((t) => t.includes(id) && /can reach/.test(t))).toHaveLength(1);
    const report = await bench.app.store.get<{ lastResult: string }>('report', id);
    expect(report?.data.lastResult).toBe('unchanged');
  });

  it('/reach watch becomes an on-change report of the same question, and unwatch removes it', async () => {
    await bench.driver.command('/reach', 'web-1 -> db-1:5432', { user: ALICE, channel: CHANNEL });
    const answer = await bench.slack.waitFor((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && /cannot reach/.test(textOf(c.args)), 20_000);
    const pathId = /nip-[0-9a-f]+/.exec(textOf(answer.args))![0];
    await bench.driver.command('/reach', `watch ${pathId}`, { user: ALICE, channel: CHANNEL });
    const since = bench.slack.calls.length;
    const watched = await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && /Runs as report `r-/.test(textOf(c.args)) && /only when the answer changes/.test(textOf(c.args)), { timeoutMs: 10_000, since });
    // The cost before it runs (analyses a month, each billed) and how to stop it.
    const perMonth = /Expect about \*([\d,]+) analyses a month\* — each one is billed\. First check .+\. `\/reach unwatch (nip-[0-9a-f]+)` stops it\./.exec(textOf(watched.args));
    expect(Number(perMonth?.[1].replace(/,/g, ''))).toBeGreaterThan(0);
    expect(perMonth?.[2]).toBe(pathId);
    const reports = await bench.app.store.list<{ watch: boolean; onChange: boolean; command: string }>('report');
    const watch = reports.find((r) => r.data.watch && r.data.command.startsWith('/reach '));
    expect(watch?.data.onChange).toBe(true);
    expect(watch?.data.command).toMatch(/5432\/tcp --region us-east-1$/);
    await bench.driver.command('/reach', `unwatch ${pathId}`, { user: ALICE, channel: CHANNEL });
    await eventually(async () => !(await bench.app.store.get('report', watch!.id)), 10_000);
  });

  it('a watch is one record: a refused schedule writes nothing, and forget stops the watch report', async () => {
    await bench.driver.command('/reach', 'web-1 -> cache-1:6379', { user: ALICE, channel: CHANNEL });
    const answer = await bench.slack.waitFor((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && /can reach/.test(textOf(c.args)) && /cache-1/.test(textOf(c.args)), 20_000);
    const pathId = /nip-[0-9a-f]+/.exec(textOf(answer.args))![0];
    const watchesOf = async () => (await bench.app.store.list<{ pathId?: string }>('report')).filter((r) => r.data.pathId === pathId);
    const since = bench.slack.calls.length;
    await bench.driver.command('/reach', `watch ${pathId} --every 45m`, { user: ALICE, channel: CHANNEL });
    const refused = await bench.slack.waitFor((c) => c.method === 'response_url' && /every 45 min/.test(textOf(c.args)), { timeoutMs: 10_000, since });
    expect(textOf(refused.args)).toMatch(/calendar schedule/);
    expect(await watchesOf()).toEqual([]);
    expect(await bench.app.store.list('reach-watch')).toEqual([]);
    const before = bench.slack.calls.length;
    await bench.driver.command('/reach', `watch ${pathId}`, { user: ALICE, channel: CHANNEL });
    const stored = await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && /First check/.test(textOf(c.args)) && textOf(c.args).includes(pathId), { timeoutMs: 10_000, since: before });
    const [report] = await watchesOf();
    // "First check" is the report's own first run (its cron `* * * * *`, on the minute), not "now + 1 min".
    const firstCheck = Number(/First check <!date\^(\d+)\^/.exec(textOf(stored.args))![1]) * 1000;
    const { createdAt } = report.data as { createdAt: number };
    expect(firstCheck % 60_000).toBe(0);
    expect(firstCheck - createdAt).toBeGreaterThan(0);
    expect(firstCheck - createdAt).toBeLessThanOrEqual(60_000);
    await bench.driver.command('/reach', `forget ${pathId}`, { user: ALICE, channel: CHANNEL });
    await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && /Deleted path/.test(textOf(c.args)) && /its watch/.test(textOf(c.args)), 10_000);
    expect(await watchesOf()).toEqual([]);
  });

  it('--on-change speaks when the answer changes', async () => {
    const id = await addReport('add "* * * * *" --on-change -- /chaos status');
    const answers = () => posts((t) => t.includes(id) && /experiment/i.test(t) && !/added/.test(t));
    await eventually(() => answers().length >= 1, 15_000);
    const before = answers().length;
    await moreRuns(id, 3); // three more runs with nothing running: quiet
    expect(answers()).toHaveLength(before);
    // Start an experiment: the status answer changes, so the report posts again.
    await runApproved('cpu-stress-web', 'report test');
    const changed = await eventually(() => answers().length > before && answers().at(-1), 20_000);
    expect(textOf(changed.args)).toMatch(/cpu-stress-web|EXP/);
  });

  it('--on-change stays quiet while a running experiment only grows older, and speaks when its state changes', async () => {
    // The one to watch is the run started here: not the sandbox's seeded history, not the approval's preview run
    // (all actions skipped; picking it up by its place in the list was this test's flake).
    const seeded = new Set((await fis.experiments.list({ templateId: 'EXTsbxnetlat0001' })).map((e) => e.id));
    await runApproved('network-latency-web', 'fingerprint test');
    const [exp] = await eventually(async () => {
      const found = (await fis.experiments.list({ templateId: 'EXTsbxnetlat0001' })).filter((e) => !seeded.has(e.id) && e.tags[LOOKOUT_TAGS.preview] !== 'true');
      return found.length ? found : undefined;
    });
    const id = await addReport(`add "* * * * *" --on-change -- /chaos status ${exp.id}`);
    const answers = () => posts((t) => t.includes(id) && t.includes(exp.id) && !/added/.test(t)).map((c) => textOf(c.args));
    // Its one action runs (12 h of schedule here) while the report runs every minute, each answer showing a longer
    // "since … (N min)": wait for three runs made while it runs, then only the first of them has posted.
    const started = await eventually(async () => (await fis.experiments.get(exp.id)).actions[0]?.startedAt, 20_000);
    const runsWhileRunning = async () =>
      (await bench.app.store.listAudit({ channelId: CHANNEL, limit: 500 })).filter((a) => a.kind === 'report' && a.command === `/chaos status ${exp.id}` && a.at > started);
    await eventually(async () => (await runsWhileRunning()).length >= 3, 30_000);
    expect(answers().filter((t) => /`latency`[^\n]*running/.test(t))).toHaveLength(1);
    expect(answers().some((t) => /stopp|completed/.test(t))).toBe(false);
    // The experiment is stopped: that change of state is posted.
    await fis.experiments.stop(exp.id);
    await eventually(() => answers().some((t) => /stopp/.test(t)), 20_000);
    expect(answers().filter((t) => /`latency`[^\n]*running/.test(t))).toHaveLength(1);
  });
});
