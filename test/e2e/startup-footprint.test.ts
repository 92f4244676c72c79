import { startBench, type Bench } from '../helpers/app';

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
