import type { AuditEntry, Store } from '../../../src/ports/store';
import { changeAws, collectAwsRequestIds } from '../../../src/aws-request-ids';
import { createSandboxFis } from '../../../src/sandbox/fis';
import { ManualClock } from '../../helpers/manual-clock';
import { eventually } from '../../helpers/fast-clock';
import { OpenedStore, storeBackends } from '../../helpers/store';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  at: 1_800_000_000_000,
  requestId: 'req-1',
  teamId: 'T1',
  channelId: 'C1',
  userId: 'U0BOB0001',
  kind: 'action',
  command: 'approve:req-123',
  outcome: 'pending',
  durationMs: 0,
  ...over,
});

/** What handlers/pipeline.ts does around a command: a pending row before the first change, the end completes it. */
function invocation(store: Store, e: AuditEntry) {
  const ids: string[] = [];
  let pendingWrites = 0;
  const beforeChange = async () => {
    pendingWrites++;
    await store.appendAudit(e);
  };
  return { ids, run: <T>(fn: () => Promise<T>) => collectAwsRequestIds(ids, fn, { beforeChange }), pendingWrites: () => pendingWrites };
}

describe.each(storeBackends)('$name store: the audit row of an AWS change is written before the call', (backend) => {
  let h: OpenedStore;
  let store: Store;
  beforeAll(async () => {
    h = await backend.open();
    store = h.store;
  });
  afterAll(() => h?.cleanup());
  const rowsOf = async (requestId: string) => (await store.listAudit({ limit: 1000 })).filter((r) => r.requestId === requestId);

  test('completeAudit turns the pending row into the final one: one row, with outcome, detail and request ids', async () => {
    await store.appendAudit(entry({ requestId: 'done-1' }));
    await store.completeAudit(entry({ requestId: 'done-1', outcome: 'ok', detail: 'started EXP1', awsRequestIds: ['r-1'], durationMs: 42 }));
    expect(await rowsOf('done-1')).toEqual([expect.objectContaining({ outcome: 'ok', detail: 'started EXP1', awsRequestIds: ['r-1'], durationMs: 42, command: 'approve:req-123' })]);
  });

  test('completeAudit without a pending row (its write failed) appends the entry', async () => {
    await store.completeAudit(entry({ requestId: 'nopending-1', outcome: 'error', detail: 'upstream' }));
    expect(await rowsOf('nopending-1')).toEqual([expect.objectContaining({ outcome: 'error', detail: 'upstream' })]);
  });

  test('the process dies between the pending write and the answer of StartExperiment: the row names the command and the person', async () => {
    const fis = createSandboxFis({ clock: new ManualClock(), seedHistory: false });
    const inv = invocation(store, entry({ requestId: 'crash-1' }));
    let sent = 0;
    // StartExperiment reaches FIS (the sandbox starts it), and its answer never comes back: the process is killed here.
    void inv.run(() => fis.experiments.start({ templateId: 'EXTsbxcpuweb0001', clientToken: 'tok-1', tags: {} }).then(() => changeAws(() => (sent++, new Promise<never>(() => undefined)))));
    await eventually(() => sent === 1);
    // What a restarted process finds in the database.
    const restarted = await h.reopen();
    const rows = (await restarted.listAudit({ limit: 1000 })).filter((r) => r.requestId === 'crash-1');
    expect(rows).toEqual([expect.objectContaining({ outcome: 'pending', command: 'approve:req-123', userId: 'U0BOB0001', teamId: 'T1', channelId: 'C1' })]);
    expect(inv.pendingWrites()).toBe(1); // two changes, one pending write
  });

  test('a command that changes nothing writes no pending row', async () => {
    const fis = createSandboxFis({ clock: new ManualClock(), seedHistory: false });
    const inv = invocation(store, entry({ requestId: 'read-1' }));
    await inv.run(async () => {
      await fis.experiments.listTemplates();
      await fis.experiments.list();
    });
    expect(inv.pendingWrites()).toBe(0);
    expect(await rowsOf('read-1')).toEqual([]);
  });

  test('concurrent changes in one invocation share one pending write, awaited before each call is sent', async () => {
    const inv = invocation(store, entry({ requestId: 'conc-1' }));
    const seen: number[] = [];
    await inv.run(() =>
      Promise.all([1, 2, 3].map(async (i) => changeAws(async () => (seen.push((await rowsOf('conc-1')).length), { $metadata: { requestId: `r-${i}` } })))),
    );
    expect(seen).toEqual([1, 1, 1]);
    expect(inv.pendingWrites()).toBe(1);
    expect(inv.ids.sort()).toEqual(['r-1', 'r-2', 'r-3']);
  });
});
