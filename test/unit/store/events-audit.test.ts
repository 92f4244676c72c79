import type { AuditEntry, Store } from '../../../src/ports/store';
import { changeAws, collectAwsRequestIds } from '../../../src/aws-request-ids';
import { createSandboxFis } from '../../../src/sandbox/fis';
import { ManualClock } from '../../helpers/manual-clock';
import { OpenedStore, storeBackends } from '../../helpers/store';
import { eventually } from '../../helpers/fast-clock';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  at: 1_800_000_000_000,
  requestId: 'req-1',
  teamId: 'T1',
  channelId: 'C1',
  userId: 'U1',
  kind: 'command',
  command: '/reach web-1 -> db-1:5432',
  outcome: 'ok',
  durationMs: 120,
  ...over,
});

/** A click's row before its AWS change: written `pending`, completed (or left, by a crash) afterwards. */
const pendingEntry = (over: Partial<AuditEntry>) => entry({ userId: 'U0BOB0001', kind: 'action', command: 'approve:req-123', outcome: 'pending', durationMs: 0, ...over });

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

describe.each(storeBackends)('$name store: events, audit, health', (backend) => {
  let h: OpenedStore;
  let store: Store;
  beforeAll(async () => {
    h = await backend.open();
    store = h.store;
  });
  afterAll(() => h?.cleanup());

  test('claimEvent: true the first time, false within the TTL, true again after it', async () => {
    const t0 = 1_800_000_000_000;
    expect(await store.claimEvent('Ev1', 60_000, t0)).toBe(true);
    expect(await store.claimEvent('Ev1', 60_000, t0 + 1)).toBe(false);
    expect(await store.claimEvent('Ev1', 60_000, t0 + 59_999)).toBe(false);
    expect(await store.claimEvent('Ev2', 60_000, t0 + 1)).toBe(true);
    expect(await store.claimEvent('Ev1', 60_000, t0 + 60_000)).toBe(true);
    // The re-claim restarted the TTL.
    expect(await store.claimEvent('Ev1', 60_000, t0 + 60_001)).toBe(false);
  });

  test('concurrent claims of one event id across two instances: exactly one true', async () => {
    const other = await h.reopen();
    const now = 1_900_000_000_000;
    const claims = Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).claimEvent('EvRace', 60_000, now));
    expect((await Promise.all(claims)).filter(Boolean)).toHaveLength(1);
    const later = Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).claimEvent('EvRace', 60_000, now + 60_000));
    expect((await Promise.all(later)).filter(Boolean)).toHaveLength(1);
  });

  test('expired event ids are pruned without changing the answers', async () => {
    const t0 = 2_000_000_000_000;
    for (let i = 0; i < 5; i++) expect(await store.claimEvent(`Old${i}`, 1000, t0)).toBe(true);
    const before = await h.countRows('seen_events');
    expect(await store.claimEvent('Fresh', 1000, t0 + 5000)).toBe(true);
    expect(before).toBeGreaterThanOrEqual(5);
    // Everything older than the TTL went (including the earlier tests' ids); the fresh claim stayed.
    expect(await h.countRows('seen_events')).toBe(1);
    expect(await store.claimEvent('Fresh', 1000, t0 + 5001)).toBe(false);
    expect(await store.claimEvent('Old0', 1000, t0 + 5002)).toBe(true);
  });

  test('audit entries list newest first, per channel, with limit; aws ids round-trip', async () => {
    await store.appendAudit(entry({ at: 1000, requestId: 'a', channelId: 'CA', awsRequestIds: ['r-1', 'r-2'], detail: 'reachable' }));
    await store.appendAudit(entry({ at: 3000, requestId: 'b', channelId: 'CA', outcome: 'error', detail: 'access_denied' }));
    await store.appendAudit(entry({ at: 2000, requestId: 'c', channelId: 'CB', kind: 'action', command: 'approve:req-1' }));
    await store.appendAudit(entry({ at: 3000, requestId: 'd', channelId: 'CA', durationMs: 7 }));

    const ca = await store.listAudit({ channelId: 'CA', limit: 10 });
    expect(ca.map((e) => e.requestId)).toEqual(['d', 'b', 'a']);
    expect(ca[2]).toEqual({ ...entry({ at: 1000, requestId: 'a', channelId: 'CA', awsRequestIds: ['r-1', 'r-2'], detail: 'reachable' }), id: expect.any(Number) });
    expect(ca[0]).not.toHaveProperty('awsRequestIds');
    expect(ca[0]).not.toHaveProperty('detail');
    expect(ca[0].id).toBeGreaterThan(ca[1].id);

    expect((await store.listAudit({ channelId: 'CA', limit: 2 })).map((e) => e.requestId)).toEqual(['d', 'b']);
    expect((await store.listAudit({ limit: 10 })).map((e) => e.requestId)).toEqual(['d', 'b', 'c', 'a']);
    expect(await store.listAudit({ channelId: 'CZ', limit: 10 })).toEqual([]);
  });

  test('ping answers while open; close is idempotent and later calls fail', async () => {
    const other = await h.reopen();
    await expect(other.ping()).resolves.toBeUndefined();
    await other.close();
    await expect(other.close()).resolves.toBeUndefined();
    await expect(other.ping()).rejects.toThrow();
    await expect(store.ping()).resolves.toBeUndefined();
  });

  // The audit row of an AWS change is written before the call (issue 13, item 5).
  const rowsOf = async (requestId: string) => (await store.listAudit({ limit: 1000 })).filter((r) => r.requestId === requestId);

  test('completeAudit turns the pending row into the final one: one row, with outcome, detail and request ids', async () => {
    await store.appendAudit(pendingEntry({ requestId: 'done-1' }));
    await store.completeAudit(pendingEntry({ requestId: 'done-1', outcome: 'ok', detail: 'started EXP1', awsRequestIds: ['r-1'], durationMs: 42 }));
    expect(await rowsOf('done-1')).toEqual([expect.objectContaining({ outcome: 'ok', detail: 'started EXP1', awsRequestIds: ['r-1'], durationMs: 42, command: 'approve:req-123' })]);
  });

  test('completeAudit without a pending row (its write failed) appends the entry', async () => {
    await store.completeAudit(pendingEntry({ requestId: 'nopending-1', outcome: 'error', detail: 'upstream' }));
    expect(await rowsOf('nopending-1')).toEqual([expect.objectContaining({ outcome: 'error', detail: 'upstream' })]);
  });

  test('the process dies between the pending write and the answer of StartExperiment: the row names the command and the person', async () => {
    const fis = createSandboxFis({ clock: new ManualClock(), seedHistory: false });
    const inv = invocation(store, pendingEntry({ requestId: 'crash-1' }));
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
    const inv = invocation(store, pendingEntry({ requestId: 'read-1' }));
    await inv.run(async () => {
      await fis.experiments.listTemplates();
      await fis.experiments.list();
    });
    expect(inv.pendingWrites()).toBe(0);
    expect(await rowsOf('read-1')).toEqual([]);
  });

  test('concurrent changes in one invocation share one pending write, awaited before each call is sent', async () => {
    const inv = invocation(store, pendingEntry({ requestId: 'conc-1' }));
    const seen: number[] = [];
    await inv.run(() =>
      Promise.all([1, 2, 3].map(async (i) => changeAws(async () => (seen.push((await rowsOf('conc-1')).length), { $metadata: { requestId: `r-${i}` } })))),
    );
    expect(seen).toEqual([1, 1, 1]);
    expect(inv.pendingWrites()).toBe(1);
    expect(inv.ids.sort()).toEqual(['r-1', 'r-2', 'r-3']);
  });
});
