import { clientTokenFor } from '../../../src/chaos/records';
import { LOOKOUT_TAGS } from '../../../src/chaos/model';
import type { Store } from '../../../src/ports/store';
import { openStore } from '../../../src/store';
import { CHANNEL, TEAM, actor, chaosConfig, makeService, target } from './fixtures';

let store: Store;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

const run = (h: ReturnType<typeof makeService>, template = 'cpu-stress-web', by = 'U0CAROL') =>
  h.service.requestRun({ target, actor: actor(by), channelId: CHANNEL, templateRef: template, reason: 'game day' });

describe('requestRun', () => {
  it('stores a pending request with the template snapshot, approvers and expiry', async () => {
    const h = makeService(store);
    const r = await run(h);
    expect(r).toMatchObject({
      state: 'pending',
      requesterId: 'U0CAROL',
      teamId: TEAM,
      channelId: CHANNEL,
      reason: 'game day',
      approvers: ['U0ALICE', 'U0BOB', 'S0SRE'],
      minApprovals: 1,
      approvals: [],
      expiresAt: h.clock.now() + 30 * 60_000,
      account: { name: 'sandbox', region: 'us-east-1' },
      preview: { status: 'unavailable' },
    });
    expect(r.template.name).toBe('cpu-stress-web');
    expect(h.starts()).toBe(0);
  });

  it('refuses without approvers, with a hint on configuring them, before any AWS call', async () => {
    const h = makeService(store, { config: chaosConfig({ channel: { approvers: [] } }) });
    await expect(run(h)).rejects.toMatchObject({ code: 'forbidden', hint: expect.stringContaining('approvers') });
  });

  it('refuses a template without stop conditions when they are required, and allows it when not', async () => {
    await expect(run(makeService(store), 'kill-db-primary')).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('no stop conditions') });
    const relaxed = makeService(store, { config: chaosConfig({ chaos: { requireStopConditions: false } }) });
    await expect(run(relaxed, 'kill-db-primary')).resolves.toMatchObject({ state: 'pending' });
  });

  it('refuses during a freeze window (in chaos.timezone)', async () => {
    // ManualClock starts on Sunday 2026-11-29.
    const h = makeService(store, { config: chaosConfig({ chaos: { freeze: [{ days: ['sun'], reason: 'Weekend <!channel>' }] } }) });
    const err = await run(h).catch((e) => e);
    expect(err).toMatchObject({ code: 'forbidden' });
    expect(err.message).toContain('Weekend &lt;!channel&gt;');
  });

  it('refuses templates without chaos.templateTag when it is set', async () => {
    const h = makeService(store, { config: chaosConfig({ chaos: { templateTag: { key: 'lookout:allowed', value: 'true' } } }) });
    await expect(run(h, 'network-latency-web')).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('lookout:allowed=true') });
    await expect(run(h, 'cpu-stress-web')).resolves.toMatchObject({ state: 'pending' });
  });

  it('counts every running experiment in the account against maxRunning, not only ours', async () => {
    const h = makeService(store);
    await h.sandbox.experiments.start({ templateId: 'EXTsbxnetlat0001', clientToken: 'someone-else', tags: {} });
    await expect(run(h)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('already running') });
  });

  it('does not count target previews as running', async () => {
    const h = makeService(store);
    await h.sandbox.experiments.start({ templateId: 'EXTsbxnetlat0001', clientToken: 'p', tags: { [LOOKOUT_TAGS.preview]: 'true' }, actionsMode: 'skip-all' });
    await expect(run(h)).resolves.toMatchObject({ state: 'pending' });
  });

  it('finds templates by id too, and suggests close names for typos', async () => {
    const h = makeService(store);
    await expect(run(h, 'EXTsbxcpuweb0001')).resolves.toMatchObject({ template: { name: 'cpu-stress-web' } });
    await expect(run(h, 'cpu-stres-web')).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('`cpu-stress-web`') });
  });
});

describe('approve / deny', () => {
  it('starts the experiment on the first approval with a derived client token and tracing tags', async () => {
    const h = makeService(store);
    const r = await run(h);
    const res = await h.service.approve(r.id, actor('U0ALICE'));
    expect(res.outcome).toBe('started');
    if (res.outcome !== 'started') return;
    expect(res.request.state).toBe('running');
    expect(res.request.experimentId).toBe(res.experiment.id);
    const exp = await h.sandbox.experiments.get(res.experiment.id);
    expect(exp.tags).toEqual({
      [LOOKOUT_TAGS.request]: r.id,
      [LOOKOUT_TAGS.requestedBy]: 'U0CAROL',
      [LOOKOUT_TAGS.approvedBy]: 'U0ALICE',
      [LOOKOUT_TAGS.channel]: CHANNEL,
    });
    expect(clientTokenFor(r.id)).toMatch(/^lookout-[0-9a-f]{40}$/);
    expect(clientTokenFor(r.id)).toBe(clientTokenFor(r.id));
    await h.service.close();
  });

  it('needs minApprovals distinct approvers; the same approver twice counts once', async () => {
    const h = makeService(store, { config: chaosConfig({ channel: { minApprovals: 2 } }) });
    const r = await run(h);
    expect((await h.service.approve(r.id, actor('U0ALICE'))).outcome).toBe('recorded');
    const again = await h.service.approve(r.id, actor('U0ALICE'));
    expect(again.outcome).toBe('already-approved');
    expect(again.request.approvals.map((a) => a.userId)).toEqual(['U0ALICE']);
    expect(h.starts()).toBe(0);
    const done = await h.service.approve(r.id, actor('U0BOB'));
    expect(done.outcome).toBe('started');
    expect(done.request.approvals.map((a) => a.userId)).toEqual(['U0ALICE', 'U0BOB']);
    expect(h.starts()).toBe(1);
    await h.service.close();
  });

  it('refuses self-approval unless allowed', async () => {
    const h = makeService(store);
    const r = await run(h, 'cpu-stress-web', 'U0ALICE');
    await expect(h.service.approve(r.id, actor('U0ALICE'))).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('own request') });
    const lax = makeService(store, { config: chaosConfig({ chaos: { allowSelfApproval: true } }) });
    const r2 = await run(lax, 'cpu-stress-web', 'U0ALICE');
    expect((await lax.service.approve(r2.id, actor('U0ALICE'))).outcome).toBe('started');
    await lax.service.close();
  });

  it('refuses people who are not approvers', async () => {
    const h = makeService(store);
    const r = await run(h);
    await expect(h.service.approve(r.id, actor('U0MALLORY'))).rejects.toMatchObject({ code: 'forbidden' });
    expect((await h.service.getRequest(r.id))?.approvals).toEqual([]);
  });

  it.each([
    ['membersOf', { membersOf: async (g: string) => (g === 'S0SRE' ? ['U0DAVE'] : []) }],
    ['userGroupsOf', { userGroupsOf: async (u: string) => (u === 'U0DAVE' ? ['S0SRE', 'S0OTHER'] : []) }],
  ])('accepts members of an approver user group (%s)', async (_name, membership) => {
    const h = makeService(store, { deps: { membership } });
    const r = await run(h);
    await expect(h.service.approve(r.id, actor('U0EVE'))).rejects.toMatchObject({ code: 'forbidden' });
    expect((await h.service.approve(r.id, actor('U0DAVE'))).outcome).toBe('started');
    await h.service.close();
  });

  it('deny closes the request once; later clicks see it closed', async () => {
    const h = makeService(store);
    const r = await run(h);
    const denied = await h.service.deny(r.id, actor('U0BOB'));
    expect(denied).toMatchObject({ outcome: 'denied', request: { state: 'denied', deniedBy: { userId: 'U0BOB' } } });
    expect((await h.service.approve(r.id, actor('U0ALICE'))).outcome).toBe('closed');
    expect((await h.service.deny(r.id, actor('U0ALICE'))).outcome).toBe('closed');
    expect(h.starts()).toBe(0);
  });

  it('lets the requester withdraw but not strangers deny', async () => {
    const h = makeService(store);
    const r = await run(h);
    await expect(h.service.deny(r.id, actor('U0MALLORY'))).rejects.toMatchObject({ code: 'forbidden' });
    expect((await h.service.deny(r.id, actor('U0CAROL'))).outcome).toBe('denied');
  });

  it('records a failed start on the request with a user-safe error', async () => {
    const h = makeService(store);
    const r = await run(h);
    for (let i = 0; i < 5; i++) await h.sandbox.experiments.start({ templateId: 'EXTsbxnetlat0001', clientToken: `x${i}`, tags: { [LOOKOUT_TAGS.preview]: 'true' } });
    const res = await h.service.approve(r.id, actor('U0ALICE'));
    expect(res).toMatchObject({ outcome: 'start-failed', request: { state: 'failed', error: { code: 'quota' } } });
  });
});

describe('expiry and reminders', () => {
  it('reminds once 5 minutes before expiry, then expires; approvals after that are refused as expired', async () => {
    const h = makeService(store);
    const r = await run(h);
    expect(await h.service.remindDue(h.clock.now() + 24 * 60_000)).toEqual([]);
    const reminded = await h.service.remindDue(h.clock.now() + 25 * 60_000);
    expect(reminded.map((x) => x.id)).toEqual([r.id]);
    expect(await h.service.remindDue(h.clock.now() + 26 * 60_000)).toEqual([]);
    expect(await h.service.expireDue(h.clock.now() + 29 * 60_000)).toEqual([]);
    const expired = await h.service.expireDue(h.clock.now() + 30 * 60_000);
    expect(expired.map((x) => [x.id, x.state])).toEqual([[r.id, 'expired']]);
    expect(await h.service.expireDue(h.clock.now() + 31 * 60_000)).toEqual([]);
    expect((await h.service.approve(r.id, actor('U0ALICE'))).outcome).toBe('closed');
  });

  it('a click after the expiry time expires the request itself, even before the sweep', async () => {
    const h = makeService(store);
    const r = await run(h);
    await h.clock.advance(30 * 60_000);
    expect(await h.service.approve(r.id, actor('U0ALICE'))).toMatchObject({ outcome: 'expired', request: { state: 'expired' } });
    expect(h.starts()).toBe(0);
  });

  it('sweep does both: the reminder when due, then the expiry', async () => {
    const h = makeService(store);
    const r = await run(h);
    expect(await h.service.sweep(h.clock.now() + 26 * 60_000)).toEqual({ reminders: [expect.objectContaining({ id: r.id })], expired: [], recovered: [] });
    expect(await h.service.sweep(h.clock.now() + 30 * 60_000)).toEqual({ reminders: [], expired: [expect.objectContaining({ id: r.id, state: 'expired' })], recovered: [] });
  });

  it('sends no reminder when the approval window is 5 minutes or shorter', async () => {
    const h = makeService(store, { config: chaosConfig({ chaos: { approvalTtlMs: 5 * 60_000 } }) });
    await run(h);
    expect(await h.service.remindDue(h.clock.now() + 4 * 60_000)).toEqual([]);
    expect(await h.service.expireDue(h.clock.now() + 5 * 60_000)).toHaveLength(1);
  });
});
