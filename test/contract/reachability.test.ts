/**
 * One suite, two implementations of the Reachability port: the sandbox VPC and the SDK adapter (over
 * aws-sdk-client-mock playing the same VPC with API-shaped responses). What the service relies on must hold for both.
 */
import { createReachabilityAdapter } from '../../src/aws/reachability';
import { LookoutError } from '../../src/errors';
import { ManualClock } from '../helpers/manual-clock';
import type { Reachability } from '../../src/ports/reachability';
import type { PathSpec } from '../../src/reach/model';
import type { Store } from '../../src/ports/store';
import { createReachService } from '../../src/reach';
import { createSandboxReachability } from '../../src/sandbox/reach';
import { SANDBOX_IDS as S } from '../../src/sandbox/world';
import { openStore } from '../../src/store';
import { drive } from '../unit/reach/fixtures/drive';
import { playSandboxVpc, type Ec2Mock } from '../unit/reach/fixtures/ec2-vpc-mock';

const target = { accountName: 'sandbox', accountId: '123456789012', region: 'us-east-1' };
const ANALYSIS_MS = 8_000;

interface Subject {
  port: Reachability;
  clock: ManualClock;
  done(): void;
}

const implementations: [string, () => Subject][] = [
  [
    'sandbox',
    () => {
      const clock = new ManualClock();
      return { clock, port: createSandboxReachability({ clock, analysisMs: ANALYSIS_MS }), done: () => undefined };
    },
  ],
  [
    'sdk adapter',
    () => {
      const clock = new ManualClock();
      const mock: Ec2Mock = playSandboxVpc(clock, { analysisMs: ANALYSIS_MS });
      return { clock, port: createReachabilityAdapter(target, clock), done: () => mock.restore() };
    },
  ],
];

describe.each(implementations)('Reachability contract: %s', (_name, make) => {
  let s: Subject;
  beforeEach(() => {
    s = make();
  });
  afterEach(() => s.done());

  const spec = (over: Partial<PathSpec> = {}): PathSpec => ({ source: S.web1, destination: S.db1, protocol: 'tcp', port: 5432, ...over });
  const finished = async (port: Reachability, pathId: string) => {
    const started = await port.startAnalysis(pathId, `run-${pathId}`);
    await s.clock.advance(ANALYSIS_MS + 1_000);
    return port.getAnalysis(started.id);
  };

  test('resolves names, ids and addresses', async () => {
    expect(await s.port.findInstancesByName('web-1')).toEqual([expect.objectContaining({ id: S.web1, name: 'web-1', state: 'running', privateIp: '10.0.1.10' })]);
    expect(await s.port.findInstancesByName('web')).toEqual([]);
    expect((await s.port.listInstanceNames()).sort()).toEqual(['cache-1', 'db-1', 'web-1']);
    expect(await s.port.findInstancesById([S.db1])).toEqual([expect.objectContaining({ id: S.db1, name: 'db-1' })]);
    expect(await s.port.findInstancesById(['i-0000000000000dead'])).toEqual([]);
    expect(await s.port.findNetworkInterfacesByIp('10.0.2.20')).toEqual([
      expect.objectContaining({ id: S.db1Eni, privateIp: '10.0.2.20', interfaceType: 'interface', instanceId: S.db1, vpcId: 'vpc-0sandbox' }),
    ]);
    expect(await s.port.findNetworkInterfacesByIp('192.0.2.1')).toEqual([]);
  });

  test('creates tagged paths idempotently and finds them again', async () => {
    const a = await s.port.createPath(spec(), 'token-1');
    expect(a).toMatchObject({ source: S.web1, destination: S.db1, protocol: 'tcp', port: 5432, managed: true });
    expect(a.id).toMatch(/^nip-[0-9a-f]{17}$/);
    expect((await s.port.createPath(spec(), 'token-1')).id).toBe(a.id);
    const b = await s.port.createPath(spec({ port: 5433 }), 'token-2');
    expect(b.id).not.toBe(a.id);
    const found = await s.port.findManagedPaths({ source: S.web1, destination: S.db1, protocol: 'tcp' });
    expect(found.map((p) => [p.id, p.port]).sort()).toEqual([[a.id, 5432], [b.id, 5433]].sort());
    expect(await s.port.findManagedPaths({ source: S.web1, destination: S.db1, protocol: 'udp' })).toEqual([]);
  });

  test('an unknown source is not_found', async () => {
    await expect(s.port.createPath(spec({ source: 'i-0000000000000dead' }), 'token-x')).rejects.toMatchObject({ code: 'not_found' });
  });

  test('an analysis runs, then answers: web-1 -> db-1:5432 is blocked by db-sg', async () => {
    const path = await s.port.createPath(spec(), 'token-db');
    const started = await s.port.startAnalysis(path.id, 'run-1');
    expect(started).toMatchObject({ pathId: path.id, status: 'running' });
    expect(started.id).toMatch(/^nia-/);
    await s.clock.advance(ANALYSIS_MS / 2);
    expect((await s.port.getAnalysis(started.id)).status).toBe('running');
    await s.clock.advance(ANALYSIS_MS);
    const done = await s.port.getAnalysis(started.id);
    expect(done).toMatchObject({ status: 'succeeded', pathFound: false });
    expect(done.explanations).toHaveLength(1);
    expect(done.explanations[0]).toMatchObject({ code: 'ENI_SG_RULES_MISMATCH', direction: 'ingress' });
    expect(done.explanations[0].securityGroups).toEqual([expect.objectContaining({ id: S.dbSg, name: 'db-sg' })]);
    expect(done.explanations[0].components.networkInterface.id).toBe(S.db1Eni);
    expect(done.forward[0].component).toMatchObject({ id: S.web1, name: 'web-1' });
    expect(done.forward.map((h) => h.component.id)).toEqual([S.web1, S.web1Eni, S.webSg, S.rtbPublic, S.aclPublic, S.aclPrivate]);
    expect((await s.port.startAnalysis(path.id, 'run-1')).id).toBe(started.id);
  });

  test('web-1 -> cache-1:6379 is reachable, from web-1 to cache-1', async () => {
    const path = await s.port.createPath(spec({ destination: S.cache1, port: 6379 }), 'token-cache');
    const done = await finished(s.port, path.id);
    expect(done).toMatchObject({ status: 'succeeded', pathFound: true, explanations: [] });
    const ids = done.forward.map((h) => h.component.id);
    expect(ids[0]).toBe(S.web1);
    expect(ids.at(-1)).toBe(S.cache1);
    expect(done.forward.find((h) => h.component.id === S.cacheSg)?.securityGroupRule).toMatchObject({ direction: 'ingress', protocol: 'tcp', portRange: { from: 6379, to: 6379 } });
    expect(done.forward.find((h) => h.component.id === S.rtbPublic)?.route).toMatchObject({ destination: '10.0.0.0/16', target: 'local' });
    expect(done.returnPath.length).toBeGreaterThan(0);
  });

  test('unknown analysis or path ids are not_found', async () => {
    await expect(s.port.getAnalysis('nia-0000000000000dead')).rejects.toBeInstanceOf(LookoutError);
    await expect(s.port.getAnalysis('nia-0000000000000dead')).rejects.toMatchObject({ code: 'not_found' });
    await expect(s.port.startAnalysis('nip-0000000000000dead', 't')).rejects.toMatchObject({ code: 'not_found' });
    await expect(s.port.deletePath('nip-0000000000000dead')).rejects.toMatchObject({ code: 'not_found' });
  });

  test('deleting a path deletes its analyses first', async () => {
    const path = await s.port.createPath(spec(), 'token-del');
    await finished(s.port, path.id);
    await s.port.startAnalysis(path.id, 'second');
    expect(await s.port.deletePath(path.id)).toEqual({ analysesDeleted: 2 });
    expect(await s.port.findManagedPaths({ source: S.web1, destination: S.db1, protocol: 'tcp' })).toEqual([]);
  });

  describe('through the reach service', () => {
    let store: Store;
    beforeEach(async () => {
      store = await openStore('sqlite::memory:', { clock: s.clock });
    });
    afterEach(() => store.close());

    test('web-1 -> db-1:5432 explains the broken rule with a concrete fix', async () => {
      const service = createReachService({ reachability: () => s.port, store, clock: s.clock, pollInitialDelayMs: 1_000 });
      const answer = await drive(service.check({ source: 'web-1', destination: 'db-1', protocol: 'tcp', port: 5432 }, target), s.clock);
      expect(answer.kind).toBe('fresh');
      if (answer.kind !== 'fresh' || answer.outcome.reachable) throw new Error('expected a fresh not-reachable answer');
      expect(answer.outcome.issues[0]).toMatchObject({
        code: 'ENI_SG_RULES_MISMATCH',
        blocking: { id: S.dbSg, name: 'db-sg' },
        fix: { kind: 'sg-rule', direction: 'inbound', group: { id: S.dbSg }, protocol: 'tcp', port: 5432, peer: S.webSg },
      });
    });
  });
});
