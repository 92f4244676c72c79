import { startBench, textOf, type Bench } from '../helpers/app';

const CHANNEL = 'C0123ABCDEF';
const ALICE = 'U0ALICE01';

describe('e2e on the sandbox account: /reach and /metrics through the real app', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench({ start: { sandbox: true } });
  });
  afterAll(() => bench.stop());
  beforeEach(() => bench.slack.reset());

  it('/reach web-1 -> db-1:5432 posts "not reachable" naming the security group and the port', async () => {
    const res = await bench.driver.command('/reach', 'web-1 -> db-1:5432', { user: ALICE, channel: CHANNEL });
    expect(res.status).toBe(200);
    const done = await waitForMessage(bench, (t) => /not reachable/i.test(t), 20_000);
    expect(done).toMatch(/db-sg/);
    expect(done).toMatch(/5432/);
    expect(done).toMatch(/add an inbound rule/i);
    expect(done).toContain('Run it yourself');
    expect(done).toContain('cloudshell/home?region=us-east-1');
    expect(done).toContain(`Asked by <@${ALICE}>`);
  });

  it('/reach web-1 -> cache-1:6379 posts "reachable" with the hops, then a repeat answers from the stored result', async () => {
    await bench.driver.command('/reach', 'web-1 -> cache-1:6379', { user: ALICE, channel: CHANNEL });
    const done = await waitForMessage(bench, (t) => /is reachable/i.test(t), 20_000);
    expect(done).toMatch(/web-1/);
    expect(done).toMatch(/cache-1/);
    expect(done).toMatch(/sg-|web-sg/);
    bench.slack.reset();
    await bench.driver.command('/reach', 'web-1 to cache-1 port 6379', { user: ALICE, channel: CHANNEL });
    const cached = await waitForMessage(bench, (t) => /checked .* ago/i.test(t), 10_000);
    expect(cached).toMatch(/Re-run/);
  });

  it('the Re-run button re-analyses in place', async () => {
    await bench.driver.command('/reach', 'web-1 -> cache-1:6379', { user: ALICE, channel: CHANNEL });
    await waitForMessage(bench, (t) => /reachable/i.test(t), 20_000);
    const msg = bench.slack.lastMessage(CHANNEL)!;
    const since = bench.slack.calls.length;
    const click = await bench.driver.action(msg, 'reach_rerun', { user: ALICE });
    expect(click.status).toBe(200);
    const analyzing = await bench.slack.waitFor((c) => c.method === 'chat.update' && /Analyzing/.test(textOf(c.args)), { timeoutMs: 10_000, since });
    expect(analyzing.args.ts).toBe(msg.ts);
    const update = await bench.slack.waitFor((c) => c.method === 'chat.update' && /is reachable/.test(textOf(c.args)), { timeoutMs: 20_000, since });
    expect(update.args.ts).toBe(msg.ts);
    expect(textOf(update.args)).not.toMatch(/checked .* ago/);
    await waitForAudit(bench, (e) => e.kind === 'action' && e.command.startsWith('reach re-run') && e.outcome === 'ok');
  });

  it('Re-run on an answer asked with --region re-runs that path in that region', async () => {
    await bench.driver.command('/reach', 'web-1 -> cache-1:6379 --region eu-west-1', { user: ALICE, channel: CHANNEL });
    await waitForMessage(bench, (t) => /reachable/i.test(t) && /eu-west-1/.test(t), 20_000);
    const msg = bench.slack.lastMessage(CHANNEL)!;
    const since = bench.slack.calls.length;
    await bench.driver.action(msg, 'reach_rerun', { user: ALICE, value: buttonValue(msg, 'reach_rerun') });
    const update = await bench.slack.waitFor((c) => c.method === 'chat.update' && /is reachable/.test(textOf(c.args)), { timeoutMs: 20_000, since });
    expect(update.args.ts).toBe(msg.ts);
    expect(textOf(update.args)).toContain('eu-west-1');
    await waitForAudit(bench, (e) => e.kind === 'action' && e.command.startsWith('reach re-run') && e.outcome === 'ok');
  });

  it('an unknown name is an error naming it with the closest names', async () => {
    await bench.driver.command('/reach', 'web-9 -> db-1:5432', { user: ALICE, channel: CHANNEL });
    const reply = await bench.slack.waitFor('response_url', 10_000);
    const text = textOf(reply.args);
    expect(text).toMatch(/web-9/);
    expect(text).toMatch(/web-1/);
  });

  it('/metrics instant query gives a table of the sandbox series', async () => {
    await bench.driver.command('/metrics', 'up', { user: ALICE, channel: CHANNEL });
    const post = await bench.slack.waitFor('chat.postMessage', 10_000);
    const text = textOf(post.args);
    // Every sandbox target is a row with its labels and value; the one that is down shows 0.
    for (const instance of ['web-1:8080', 'api-1:8080', 'web-1:9100', 'batch-1:9100']) expect(text).toContain(instance);
    expect(text).toMatch(/^\s*0\s+\{instance="batch-1:9100", job="batch"\}/m);
    expect(text).toMatch(/^\s*1\s+\{instance="web-1:8080", job="app"\}/m);
    expect(text).toMatch(/4 series/);
    expect(text).toMatch(/lookout-sandbox/);
  });

  it('/metrics … --range 1h uploads a PNG chart and posts the per-series summary', async () => {
    await bench.driver.command('/metrics', 'sum by (service) (rate(http_requests_total[5m])) --range 1h', { user: ALICE, channel: CHANNEL });
    const upload = await bench.slack.waitFor('file_upload', 20_000);
    expect(upload.args.filename).toBe('metrics.png');
    expect(upload.args.length).toBeGreaterThan(5000);
    await bench.slack.waitFor('files.completeUploadExternal', 10_000);
    const file = bench.slack.allMessages().flatMap((m) => m.files ?? [])[0];
    expect(file).toBeDefined();
    const png = Buffer.from(await (await fetch(file!.url_private)).arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1000); // IHDR width
    expect(png.readUInt32BE(20)).toBe(500); // IHDR height
    const summary = textOf((await bench.slack.waitFor('chat.postMessage', 10_000)).args);
    // The answer as the reader sees it: the window asked for, one row per service, and per row min ≤ avg, last ≤ max.
    expect(summary).toContain('(1 h)');
    expect(summary).toMatch(/3 series/);
    expectSummaryRows(summary, /\{service="(\w+)"\}/, ['api', 'db', 'web']);
  });
});

describe('e2e on the sandbox account: /grafana', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench({ start: { sandbox: true } });
  });
  afterAll(() => bench.stop());

  it('/grafana search lists the sandbox dashboards with links', async () => {
    await bench.driver.command('/grafana', 'search sandbox', { user: ALICE, channel: CHANNEL });
    const post = textOf((await bench.slack.waitFor('chat.postMessage', 10_000)).args);
    // Both sandbox dashboards, each a link to its page with its folder, tags and uid.
    expect(post).toContain('*2 Grafana dashboards* matching `sandbox`');
    expect(post).toContain('<https://grafana.sandbox.invalid/d/sandbox-overview/sandbox-service-overview|Sandbox service overview> — Sandbox · `sandbox` `lookout` · uid `sandbox-overview`');
    expect(post).toContain('<https://grafana.sandbox.invalid/d/sandbox-nodes/sandbox-node-resources|Sandbox node resources> — Sandbox · `sandbox` `nodes` · uid `sandbox-nodes`');
  });

  it("/grafana panel renders the panel's Prometheus expression as a PNG chart with a viewPanel link", async () => {
    bench.slack.reset();
    await bench.driver.command('/grafana', 'panel sandbox-overview "Request rate" --range 1h', { user: ALICE, channel: CHANNEL });
    const upload = await bench.slack.waitFor('file_upload', 20_000);
    expect(upload.args.filename).toBe('panel.png');
    expect(upload.args.length).toBeGreaterThan(5000);
    const post = textOf((await bench.slack.waitFor('chat.postMessage', 10_000)).args);
    // The panel's link opens that panel (id 1) over the same hour; the summary has a row per service; the query shown
    // is the panel's own expression with the dashboard variables filled in.
    expect(post).toMatch(/<https:\/\/grafana\.sandbox\.invalid\/d\/sandbox-overview\/sandbox-service-overview\?from=(\d+)&to=(\d+)&var-service=%24__all&viewPanel=1\|Request rate>/);
    const [, from, to] = /\?from=(\d+)&to=(\d+)/.exec(post)!.map(Number);
    expect(to - from).toBe(3_600_000);
    expect(post).toContain('(1 h), step 15 s, 3 series');
    expectSummaryRows(post, /\s(\w+)$/, ['api', 'db', 'web']);
    expect(post).toContain('Queries: A: `sum by (service) (rate(http_requests_total{source="lookout-sandbox", service=~".*"}[1m]))`');
  });
});

/** The MIN AVG MAX LAST table of a range answer: one row per expected series, and in each min ≤ avg, last ≤ max. */
function expectSummaryRows(text: string, series: RegExp, names: string[]): void {
  expect(text).toMatch(/^(?:```)?\s*MIN\s+AVG\s+MAX\s+LAST\s+SERIES$/m);
  const row = /^\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(.+?)(?:```)?$/gm;
  const rows = [...text.matchAll(row)].map((m) => ({ values: m.slice(1, 5).map(Number), name: series.exec(` ${m[5]}`)?.[1] }));
  expect(rows.map((r) => r.name).sort()).toEqual(names);
  for (const { values: [min, avg, max, last] } of rows) {
    expect(min).toBeGreaterThan(0);
    expect(min).toBeLessThanOrEqual(avg);
    expect(avg).toBeLessThanOrEqual(max);
    expect(last).toBeGreaterThanOrEqual(min);
    expect(last).toBeLessThanOrEqual(max);
  }
}

async function waitForMessage(bench: Bench, pred: (text: string) => boolean, timeoutMs: number): Promise<string> {
  const call = await bench.slack.waitFor((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && pred(textOf(c.args)), timeoutMs);
  return textOf(call.args);
}

async function waitForAudit(bench: Bench, pred: (e: Awaited<ReturnType<Bench['app']['store']['listAudit']>>[number]) => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = await bench.app.store.listAudit({ limit: 100 });
    if (entries.some(pred)) return;
    if (Date.now() > deadline) throw new Error(`no matching audit entry; have: ${entries.map((e) => `${e.kind}:${e.command}→${e.outcome}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('/lookout status on the sandbox account', () => {
  it('checks the AWS account, the metrics backend and Grafana, each with a result', async () => {
    const bench = await startBench({ start: { sandbox: true } });
    try {
      await bench.driver.command('/lookout', 'status', { user: ALICE, channel: CHANNEL });
      const reply = await bench.slack.waitFor('response_url', 10_000);
      const text = textOf(reply.args);
      expect(text).toMatch(/:large_green_circle: \*AWS default\* — sandbox account/);
      expect(text).toMatch(/:large_green_circle: \*Metrics\* — sandbox \(sample data\) answers \(\d+ label names\)/);
      expect(text).toMatch(/:large_green_circle: \*Grafana\* — .*\d+ dashboards visible/);
      expect(text).toMatch(/:large_green_circle: \*Store\*/);
    } finally {
      await bench.stop();
    }
  });
});

function buttonValue(m: { blocks?: unknown }, actionId: string): string {
  const found = JSON.stringify(m.blocks ?? []).match(new RegExp(`"action_id":"${actionId}","value":"([^"]*)"`));
  return found?.[1] ?? '';
}
