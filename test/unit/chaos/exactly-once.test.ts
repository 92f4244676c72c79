import { ManualClock } from '../../helpers/manual-clock';
import { createSandboxFis } from '../../../src/sandbox/fis';
import { storeBackends, type OpenedStore } from '../../helpers/store';
import { CHANNEL, actor, chaosConfig, makeService, target } from './fixtures';

const approvers = Array.from({ length: 50 }, (_, i) => `U0APPR${String(i).padStart(2, '0')}`);

describe.each(storeBackends)('exactly one experiment per request ($name)', (backend) => {
  let db: OpenedStore;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    await db.cleanup();
  });

  it('50 concurrent approvals on one service start exactly one experiment', async () => {
    const h = makeService(db.store, { config: chaosConfig({ channel: { approvers, minApprovals: 1 } }) });
    const r = await h.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web' });
    const results = await Promise.all(approvers.map((u) => h.service.approve(r.id, actor(u))));
    expect(h.starts()).toBe(1);
    expect(results.filter((x) => x.outcome === 'started')).toHaveLength(1);
    expect(results.filter((x) => x.outcome === 'closed')).toHaveLength(49);
    const final = await h.service.getRequest(r.id);
    expect(final?.state).toBe('running');
    expect(final?.approvals).toHaveLength(1);
    await h.service.close();
  });

  it('50 concurrent clicks by one approver count once', async () => {
    const h = makeService(db.store, { config: chaosConfig({ channel: { approvers, minApprovals: 2 } }) });
    const r = await h.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web' });
    const results = await Promise.all(Array.from({ length: 50 }, () => h.service.approve(r.id, actor('U0APPR07'))));
    expect(results.filter((x) => x.outcome === 'recorded')).toHaveLength(1);
    expect(results.filter((x) => x.outcome === 'already-approved')).toHaveLength(49);
    expect((await h.service.getRequest(r.id))?.approvals.map((a) => a.userId)).toEqual(['U0APPR07']);
    expect(h.starts()).toBe(0);
  });

  it('with minApprovals 3, concurrent approvers all count and exactly one experiment starts', async () => {
    const h = makeService(db.store, { config: chaosConfig({ channel: { approvers, minApprovals: 3 } }) });
    const r = await h.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web' });
    const first = approvers.slice(0, 2);
    await Promise.all(first.map((u) => h.service.approve(r.id, actor(u))));
    expect((await h.service.getRequest(r.id))?.approvals.map((a) => a.userId).sort()).toEqual(first);
    const results = await Promise.all(approvers.slice(2).map((u) => h.service.approve(r.id, actor(u))));
    expect(h.starts()).toBe(1);
    expect(results.filter((x) => x.outcome === 'started')).toHaveLength(1);
    expect((await h.service.getRequest(r.id))?.approvals).toHaveLength(3);
    await h.service.close();
  });

  it('split across two service instances on two stores sharing one database, exactly one starts', async () => {
    const clock = new ManualClock();
    const sandbox = createSandboxFis({ clock, seedHistory: false });
    const config = chaosConfig({ channel: { approvers, minApprovals: 1 } });
    const a = makeService(db.store, { clock, sandbox, config });
    const b = makeService(await db.reopen(), { clock, sandbox, config });
    const r = await a.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web' });
    const results = await Promise.all(approvers.map((u, i) => (i % 2 ? a : b).service.approve(r.id, actor(u))));
    expect(a.starts() + b.starts()).toBe(1);
    expect(sandbox.startCalls()).toBe(1);
    expect(results.filter((x) => x.outcome === 'started')).toHaveLength(1);
    expect((await b.service.getRequest(r.id))?.state).toBe('running');
    await Promise.all([a.service.close(), b.service.close()]);
  });
});
