import type { AuditEntry, Store } from '../../../src/ports/store';
import { OpenedStore, storeBackends } from '../../helpers/store';

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
});
