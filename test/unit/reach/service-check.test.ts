import { LookoutError } from '../../../src/errors';
import { ManualClock } from '../../helpers/manual-clock';
import type { Reachability } from '../../../src/ports/reachability';
import type { Analysis, ReachAnswer, ReachProgress } from '../../../src/reach/model';
import type { Store } from '../../../src/ports/store';
import { createReachService } from '../../../src/reach';
import { createSandboxReachability } from '../../../src/sandbox/reach';
import { SANDBOX_IDS as S, createSandboxWorld } from '../../../src/sandbox/world';
import { openStore } from '../../../src/store';
import { drive } from './fixtures/drive';
import { spyPort } from './fixtures/spy-port';

const target = { accountName: 'prod', accountId: '111111111111', region: 'us-east-1' };
const db = { source: 'web-1', destination: 'db-1', protocol: 'tcp' as const, port: 5432 };
const cache = { source: 'web-1', destination: 'cache-1', protocol: 'tcp' as const, port: 6379 };

let clock: ManualClock;
let store: Store;
beforeEach(async () => {
  clock = new ManualClock();
  store = await openStore('sqlite::memory:', { clock });
});
afterEach(() => store.close());

function setup(overrides: Partial<Reachability> = {}, opts: { world?: ReturnType<typeof createSandboxWorld>; deadlineMs?: number } = {}) {
  const sandbox = createSandboxReachability({ clock, analysisMs: 8_000, world: opts.world });
  const spy = spyPort(sandbox, overrides);
  const service = createReachService({ reachability: () => spy.port, store, clock, deadlineMs: opts.deadlineMs });
  const check = (q: typeof db, o: Parameters<typeof service.check>[2] = {}) => drive(service.check(q, target, o), clock);
  return { service, check, calls: spy.calls, sandbox };
}

const issues = (a: ReachAnswer) => (a.kind !== 'failed' && !a.outcome.reachable ? a.outcome.issues : []);

describe('check', () => {
  test('not reachable: explains the blocking security group with a fix, reports progress', async () => {
    const { check } = setup();
    const progress: ReachProgress[] = [];
    const answer = await check(db, { onProgress: (p) => void progress.push(p), channelId: 'C1', userId: 'U1' });
    expect(answer).toMatchObject({ kind: 'fresh', durationMs: 8_500, question: { source: { kind: 'instance', id: S.web1, name: 'web-1' }, destination: { id: S.db1, name: 'db-1' }, accountName: 'prod', region: 'us-east-1', accountId: '111111111111' } });
    expect(issues(answer)).toEqual([
      expect.objectContaining({
        code: 'ENI_SG_RULES_MISMATCH',
        group: 'blocked',
        meaning: 'A security group has no rule that allows this traffic.',
        blocking: expect.objectContaining({ id: S.dbSg, name: 'db-sg' }),
        fix: { kind: 'sg-rule', direction: 'inbound', group: expect.objectContaining({ id: S.dbSg }), protocol: 'tcp', port: 5432, peer: S.webSg },
      }),
    ]);
    expect(progress.map((p) => p.elapsedMs)).toEqual([0, 1_000, 2_500, 4_000, 5_500, 7_000]);
    expect(progress[0]).toMatchObject({ pathId: answer.pathId, analysisId: answer.analysisId });
    const record = await store.get<any>('reach-path', answer.pathId);
    expect(record?.data).toMatchObject({ lastUsedAt: answer.checkedAt - 8_500, lastUsedIn: { channelId: 'C1', userId: 'U1' }, last: { status: 'succeeded', analysisId: answer.analysisId } });
    expect(record?.data.running).toBeUndefined();
    expect(record?.dueAt).toBe(record?.data.lastUsedAt + 30 * 86_400_000);
  });

  test('blocked with no hops (as AWS answers): the fix still names the source’s security group, found when resolving web-1', async () => {
    const inner: { port?: Reachability } = {};
    const noHops = async (id: string): Promise<Analysis> => ({ ...(await inner.port!.getAnalysis(id)), forward: [] });
    const { check, sandbox } = setup({ getAnalysis: noHops });
    inner.port = sandbox;
    const answer = await check(db);
    expect(answer.question.source).toMatchObject({ securityGroupIds: [S.webSg], privateIp: '10.0.1.10' });
    expect(issues(answer).map((i) => i.fix)).toEqual([{ kind: 'sg-rule', direction: 'inbound', group: expect.objectContaining({ id: S.dbSg }), protocol: 'tcp', port: 5432, peer: S.webSg }]);
  });

  test('reachable: hops in order from web-1 to cache-1', async () => {
    const answer = await setup().check(cache);
    if (answer.kind === 'failed' || !answer.outcome.reachable) throw new Error('expected reachable');
    expect(answer.outcome.hops[0].component.name).toBe('web-1');
    expect(answer.outcome.hops.at(-1)?.component.name).toBe('cache-1');
  });

  test('the same question within 10 minutes is answered from the stored result, then re-analysed on the same path', async () => {
    const { check, calls } = setup();
    const first = await check(db);
    await clock.advance(3 * 60_000);
    const second = await check({ ...db, source: S.web1 }); // same question, typed as an id
    expect(second).toMatchObject({ kind: 'cached', pathId: first.pathId, analysisId: first.analysisId, checkedAt: first.checkedAt });
    expect(calls.startAnalysis).toHaveLength(1);
    await clock.advance(8 * 60_000);
    const third = await check(db);
    expect(third).toMatchObject({ kind: 'fresh', pathId: first.pathId });
    expect(calls.startAnalysis).toHaveLength(2);
    expect(calls.createPath).toHaveLength(1);
    expect(calls.deleteAnalysis).toEqual([[first.analysisId]]);
  });

  test('Re-run skips the cache but reuses the path', async () => {
    const { service, check, calls } = setup();
    const first = await check(db);
    const again = await drive(service.rerun(first.pathId, target), clock);
    expect(again).toMatchObject({ kind: 'fresh', pathId: first.pathId });
    expect(again.analysisId).not.toBe(first.analysisId);
    expect(calls.startAnalysis).toHaveLength(2);
    await expect(service.rerun(first.pathId, { ...target, region: 'eu-west-1' })).rejects.toMatchObject({ code: 'not_found' });
  });

  test('a path Lookout made before (lost from the store) is adopted, not duplicated', async () => {
    const { check, calls, sandbox } = setup();
    const first = await check(db);
    await store.delete('reach-path', first.pathId);
    const second = await check(db);
    expect(second.pathId).toBe(first.pathId);
    expect(calls.createPath).toHaveLength(1);
    expect(await sandbox.findManagedPaths({ source: S.web1, destination: S.db1, protocol: 'tcp' })).toHaveLength(1);
  });

  test('a path deleted behind our back is recreated once with a fresh token', async () => {
    const { check, calls, sandbox } = setup();
    const first = await check(db);
    await sandbox.deletePath(first.pathId);
    await clock.advance(11 * 60_000);
    const second = await check(db);
    expect(second.kind).toBe('fresh');
    expect(second.pathId).not.toBe(first.pathId);
    expect(calls.createPath).toHaveLength(2);
    expect(calls.createPath[0][1]).not.toBe(calls.createPath[1][1]);
    expect(await store.get('reach-path', first.pathId)).toBeNull();
  });

  test('a failed analysis is reported as failed with AWS’s message, and not cached', async () => {
    const failed = (id: string): Analysis => ({ id, pathId: 'x', status: 'failed', statusMessage: 'Missing tiros:CreateQuery', forward: [], returnPath: [], explanations: [], alternatePathHints: [] });
    const { check, calls } = setup({ getAnalysis: async (id) => failed(id) });
    const answer = await check(db);
    expect(answer).toMatchObject({ kind: 'failed', reason: 'analysis_failed', message: 'Missing tiros:CreateQuery' });
    expect((await check(db)).kind).toBe('failed');
    expect(calls.startAnalysis).toHaveLength(2);
  });

  test('an analysis that never finishes fails at the deadline', async () => {
    const { check, calls } = setup({ getAnalysis: async (id) => ({ id, pathId: 'x', status: 'running', forward: [], returnPath: [], explanations: [], alternatePathHints: [] }) }, { deadlineMs: 60_000 });
    const answer = await check(db);
    expect(answer).toMatchObject({ kind: 'failed', reason: 'timeout', durationMs: 60_000 });
    expect(calls.getAnalysis.length).toBeGreaterThan(3);
  });

  test('a second asker joins the analysis in flight instead of paying for another', async () => {
    const { service, calls } = setup();
    const a = service.check(db, target);
    // Let the first one start its analysis before the second asks.
    for (const giveUpAt = Date.now() + 10_000; Date.now() < giveUpAt && !calls.getAnalysis; ) await new Promise((r) => setImmediate(r));
    await clock.advance(1);
    const b = service.check(db, target);
    const [ra, rb] = await Promise.all([drive(a, clock), drive(b, clock)]);
    expect(calls.startAnalysis).toHaveLength(1);
    expect(rb.analysisId).toBe(ra.analysisId);
  });

  test('a progress callback that throws does not stop the analysis', async () => {
    const answer = await setup().check(db, {
      onProgress: () => {
        throw new Error('chat.update failed');
      },
    });
    expect(answer.kind).toBe('fresh');
  });
});

describe('resolution', () => {
  test('unknown name: not_found naming region, account and the closest names (escaped)', async () => {
    const { check } = setup();
    const e = await check({ ...db, destination: 'db-2' }).catch((x) => x);
    expect(e).toBeInstanceOf(LookoutError);
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('No instance named `db-2` in us-east-1 (account prod). Closest names: `db-1`.');
    const hostile = await check({ ...db, destination: '<!channel> & co' }).catch((x) => x);
    expect(hostile.message).toContain('`&lt;!channel&gt; &amp; co`');
    expect(hostile.message).not.toContain('<!channel>');
  });

  test('a name on several instances lists them', async () => {
    const world = createSandboxWorld();
    world.instances.push({ ...world.instances[1], id: 'i-0000000000000db02', eniId: 'eni-0000000000000db02', privateIp: '10.0.2.21' });
    const e = await setup({}, { world }).check(db).catch((x) => x);
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe(`\`db-1\` matches 2 instances in us-east-1 (account prod): \`${S.db1}\` (running, 10.0.2.20), \`i-0000000000000db02\` (running, 10.0.2.21).`);
  });

  test('an unknown instance id is not_found before any path is made', async () => {
    const { check, calls } = setup();
    await expect(check({ ...db, destination: 'i-0000000000000dead' })).rejects.toMatchObject({ code: 'not_found' });
    expect(calls.createPath).toBeUndefined();
  });

  test('a private IP means its ENI (and instance); an outside IP is analysed as an IP', async () => {
    const { check, calls } = setup();
    const byIp = await check({ ...db, destination: '10.0.2.20' });
    expect(byIp.question.destination).toEqual({ input: '10.0.2.20', kind: 'network-interface', id: S.db1Eni, ip: '10.0.2.20', owner: { id: S.db1, name: 'db-1' }, securityGroupIds: [S.dbSg] });
    expect(calls.createPath[0][0]).toEqual({ source: S.web1, destination: S.db1Eni, destinationIp: '10.0.2.20', protocol: 'tcp', port: 5432 });
    const outside = await check({ ...db, destination: '8.8.8.8', port: 443 });
    expect(outside.question.destination).toEqual({ input: '8.8.8.8', kind: 'ip', ip: '8.8.8.8' });
    expect(calls.createPath[1][0]).toEqual({ source: S.web1, destinationIp: '8.8.8.8', protocol: 'tcp', port: 443 });
  });

  test('ids and ARNs pass as given; wrong kinds, IP sources and cross-region ARNs are refused', async () => {
    const { check } = setup();
    const viaArn = await check({ ...cache, source: `arn:aws:ec2:us-east-1:123456789012:instance/${S.web1}` });
    expect(viaArn.question.source).toMatchObject({ kind: 'instance', id: `arn:aws:ec2:us-east-1:123456789012:instance/${S.web1}` });
    await expect(check({ ...db, source: '10.0.1.10' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(check({ ...db, destination: 'sg-0123456789abcdef0' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(check({ ...db, source: `arn:aws:ec2:eu-west-1:123456789012:instance/${S.web1}` })).rejects.toMatchObject({ code: 'invalid_input', hint: 'Add `--region eu-west-1`.' });
    await expect(check({ ...db, destination: 'web-1' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/same resource/) });
  });
});
