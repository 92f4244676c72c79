import fs from 'node:fs';
import { startBench, type Bench } from '../helpers/app';
import { lastJsonLine, runChild, transpileTree } from '../helpers/transpile-tree';

// What an idle Lookout on SQLite keeps in memory (RSS idle is a budget in docs/performance.md): the STS client
// (~7 MiB with what it pulls in) loads with the first AWS call and pg only for a Postgres URL, not at start.
// jest.mock factories run before this file's own bindings exist (imports are hoisted above them): record on globalThis.
const loaded = (): string[] => (globalThis as { footprintLoaded?: string[] }).footprintLoaded ?? [];
jest.mock('@aws-sdk/client-sts', () => {
  const g = globalThis as { footprintLoaded?: string[] };
  (g.footprintLoaded ??= []).push('@aws-sdk/client-sts');
  return jest.requireActual('@aws-sdk/client-sts');
});
jest.mock('pg', () => {
  const g = globalThis as { footprintLoaded?: string[] };
  (g.footprintLoaded ??= []).push('pg');
  return jest.requireActual('pg');
});

describe('start-up footprint', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench();
  });
  afterAll(() => bench.stop());

  it('starting on SQLite and answering /lookout help loads neither the STS client nor pg', async () => {
    await bench.driver.command('/lookout', 'help');
    await bench.slack.waitFor('response_url');
    expect(loaded()).toEqual([]);
  });
});

// Loading Lookout's modules made V8 grow the young generation to its maximum (two 16 MiB semi-spaces, ~9 MiB of
// RSS at idle); src/ops/start-heap.ts holds it at its initial size until Lookout takes requests, then lets it grow.
// In a child process: this jest worker's own heap has long since grown.
describe('start-up footprint: the young generation', () => {
  const MiB = 1024 * 1024;
  let js: string;
  beforeAll(() => {
    js = transpileTree();
  }, 60_000);
  afterAll(() => fs.rmSync(js, { recursive: true, force: true }));

  it('is not grown by start-up, and grows again under allocation once Lookout takes requests', async () => {
    const { code, out, err } = await runChild(js, 'footprint-child', { LOG_LEVEL: 'silent' }, ['--expose-gc']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const { atReady, afterChurn } = lastJsonLine<{ atReady: number; afterChurn: number }>(out);
    expect(atReady).toBeLessThanOrEqual(4 * MiB);
    expect(afterChurn).toBeGreaterThan(atReady);
  }, 60_000);
});
