import { LOOKOUT_TAGS } from '../../../src/chaos/model';
import type { Store } from '../../../src/ports/store';
import { createSandboxFis } from '../../../src/sandbox/fis';
import { openStore } from '../../../src/store';
import { chaosConfig, driveClock, makeService, target } from './fixtures';

let store: Store;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

const tagged = chaosConfig({ chaos: { templateTag: { key: 'lookout:allowed', value: 'true' } } });

it('list: every template sorted by name, read in full up to the limit, with the template-tag gate', async () => {
  const h = makeService(store, { config: tagged, deps: { options: { dryRunPreview: false, listDetailLimit: 2 } } });
  const listing = await h.service.listTemplates(target);
  expect(listing.items.map((i) => [i.summary.name, !!i.template, i.allowed])).toEqual([
    ['cpu-stress-web', true, true],
    ['kill-db-primary', true, false],
    ['network-latency-web', false, false],
    ['stop-api-tasks', false, false],
  ]);
  expect(listing.templateTag).toEqual({ key: 'lookout:allowed', value: 'true' });
});

it('show: details plus a verified preview of the resources it would hit', async () => {
  const h = makeService(store, { config: tagged, deps: { options: { dryRunPreview: true, previewPollMs: 1000 } } });
  const d = await driveClock(h.clock, h.service.showTemplate(target, 'kill-db-primary'));
  expect(d.allowed).toBe(false);
  expect(d.preview).toMatchObject({ status: 'verified', targets: [{ info: { name: 'db-1' } }] });
  expect(h.starts()).toBe(1);
});

it('status: unfinished experiments with action states (previews left out), or one by id', async () => {
  const h = makeService(store);
  const real = await h.sandbox.experiments.start({ templateId: 'EXTsbxcpuweb0001', clientToken: 'a', tags: {} });
  await h.sandbox.experiments.start({ templateId: 'EXTsbxkilldb0001', clientToken: 'b', tags: { [LOOKOUT_TAGS.preview]: 'true' }, actionsMode: 'skip-all' });
  await h.clock.advance(6000);
  const all = await h.service.status(target);
  expect(all.experiments.map((e) => [e.id, e.status, e.actions.map((a) => a.status)])).toEqual([[real.id, 'running', ['running', 'pending']]]);
  expect(all.templateNames[real.templateId]).toBe('cpu-stress-web');
  expect((await h.service.status(target, real.id)).experiments[0].id).toBe(real.id);
  await expect(h.service.status(target, 'EXPnope')).rejects.toMatchObject({ code: 'not_found' });
});

it('history: newest first, previews left out, limited with a count of the rest', async () => {
  const clock = new (await import('../../helpers/manual-clock')).ManualClock();
  const h = makeService(store, { clock, sandbox: createSandboxFis({ clock }) });
  await h.sandbox.experiments.start({ templateId: 'EXTsbxkilldb0001', clientToken: 'p', tags: { [LOOKOUT_TAGS.preview]: 'true' }, actionsMode: 'skip-all' });
  const answer = await h.service.history(target, 2);
  expect(answer.experiments.map((e) => e.status)).toEqual(['failed', 'stopped']);
  expect(answer.more).toBe(1);
  expect(answer.experiments[0].createdAt! > answer.experiments[1].createdAt!).toBe(true);
});
