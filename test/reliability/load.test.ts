import fs from 'node:fs';
import { lastJsonLine, runChild, transpileTree } from '../helpers/transpile-tree';
import { SOAK, size, timeoutFor } from '../helpers/soak';

const MiB = 1024 * 1024;
const N = size(500, 5_000);
const SECONDS = size(6, 60); // the same rate at both sizes: 5,000 a minute

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
    const { code, out, err } = await runChild(js, 'load-child', { LOAD_N: String(N), LOAD_SECONDS: String(SECONDS), LOG_LEVEL: 'silent' }, ['--expose-gc']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const { warm, measured } = lastJsonLine<{ warm: Burst; measured: Burst }>(out);
    if (SOAK) process.stdout.write(`load: ${JSON.stringify({ n: N, warm, measured })}\n`);
    for (const b of [warm, measured]) {
      expect(b.answers).toBe(N);
      expect(b.maxAckMs).toBeLessThan(3000);
    }
    expect(measured.rss - warm.rss).toBeLessThan(64 * MiB);
  }, timeoutFor(120_000, 600_000));
});
