import fs from 'node:fs';
import { lastJsonLine, runChild, transpileTree } from '../helpers/transpile-tree';
import { SOAK, size, timeoutFor } from '../helpers/soak';
import { scanRegistry } from '../helpers/canaries';

const MiB = 1024 * 1024;
const N = size(500, 5_000);
// The full size sends 5,000 a minute (the rate). The CI size sends half that rate: the child runs Lookout, the
// Slack stand-in and the load generator in one process, and `npm test` shares a 2-core machine with other jobs (and
// with scripts/stress-suite.sh's two busy loops); at the full rate there its acks reached 3.8–6.5 s in 2 of 3 runs,
// a starved CPU rather than Lookout (docs/reliability.md §9, §10). The 3 s bound itself is not relaxed.
const SECONDS = size(12, 60);

type Burst = { answers: number; maxAckMs: number; p99AckMs: number; seconds: number; rss: number };

/**
 * Issue 13 item 9: N `/metrics up` commands in SECONDS against the sandbox backends, through the real app in a
 * child process (its RSS is Lookout's, not this jest worker's): every command acknowledged within 3 s, every
 * answer posted (counted at the Slack stand-in), RSS after the measured burst within a generous bound of RSS after
 * an identical warm-up burst.
 */
describe(`reliability: ${N.toLocaleString('en-US')} commands in ${SECONDS} s`, () => {
  let js: string;
  beforeAll(() => {
    js = transpileTree();
  });
  afterAll(() => fs.rmSync(js, { recursive: true, force: true }));

  it('acks every command within 3 s, posts every answer, and RSS stays flat after the burst', async () => {
    const { code, out, err, scan } = await runChild(js, 'load-child', { LOAD_N: String(N), LOAD_SECONDS: String(SECONDS), LOG_LEVEL: 'silent' }, ['--expose-gc']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    // Item 8: everything the child logged (debug), posted and stored, scanned for the canaries.
    expect(scan.hits).toEqual([]);
    expect(scan.logLines).toBeGreaterThan(2 * N);
    expect(scan.messages).toBeGreaterThanOrEqual(2 * N);
    if (SOAK) process.stdout.write(`load: secret scan ${JSON.stringify({ ...scan, hits: scan.hits.length })}\n`);
    const { warm, measured } = lastJsonLine<{ warm: Burst; measured: Burst }>(out);
    if (SOAK) process.stdout.write(`load: ${JSON.stringify({ n: N, warm, measured })}\n`);
    for (const b of [warm, measured]) {
      expect(b.answers).toBe(N);
      expect(b.maxAckMs).toBeLessThan(3000);
    }
    expect(measured.rss - warm.rss).toBeLessThan(64 * MiB);
  }, timeoutFor(120_000, 600_000));

  it("the child scan sees a canary planted in a child's log, Slack calls and messages, audit rows, /metrics and output", async () => {
    const { tally } = scanRegistry();
    const before = tally.hits.length;
    const { code, scan } = await runChild(js, 'plant-child', {});
    tally.hits.splice(before); // planted on purpose: not a leak of this file
    expect(code).toBe(0);
    const where = scan.hits.map((h) => h.slice(0, h.indexOf(':')));
    for (const w of ['PROM_TOKEN in a child log line', 'GRAFANA_TOKEN in a Slack call of a child', 'SLACK_SIGNING_SECRET in a Slack message of a child', 'AWS_SESSION_TOKEN in an audit row of a child', "DB_PASSWORD in /metrics of a child", "SLACK_APP_TOKEN in the child's stdout", "AWS_ACCESS_KEY_ID in the child's stderr"]) {
      expect(where).toContain(w);
    }
    expect(where.join()).not.toMatch(/SLACK_BOT_TOKEN/); // the transport token of a recorded call is left out
  });
});
