import { evaluatePath } from '../../../src/sandbox/reach/evaluate';
import { SANDBOX_IDS as S, createSandboxWorld } from '../../../src/sandbox/world';
import type { PathSpec } from '../../../src/reach/model';

const region = 'us-east-1';
const run = (spec: Partial<PathSpec> & { source: string }, world = createSandboxWorld()) => evaluatePath(world, { protocol: 'tcp', ...spec }, region);
const ids = (hops: { component: { id: string } }[]) => hops.map((h) => h.component.id);

describe('sandbox VPC evaluation', () => {
  test('the broken rule: web-1 -> db-1:5432 is blocked by db-sg (it allows 5433)', () => {
    const r = run({ source: S.web1, destination: S.db1, port: 5432 });
    expect(r.pathFound).toBe(false);
    expect(r.explanations).toHaveLength(1);
    const [ex] = r.explanations;
    expect(ex).toMatchObject({ code: 'ENI_SG_RULES_MISMATCH', direction: 'ingress' });
    expect(ex.securityGroups?.map((g) => [g.id, g.name])).toEqual([[S.dbSg, 'db-sg']]);
    expect(ex.components.networkInterface.id).toBe(S.db1Eni);
    expect(ex.components.vpc).toMatchObject({ id: 'vpc-0sandbox', name: 'sandbox' });
    // The path got as far as the destination subnet's NACL.
    expect(ids(r.forward)).toEqual([S.web1, S.web1Eni, S.webSg, S.rtbPublic, S.aclPublic, S.aclPrivate]);
    expect(r.forward[2].securityGroupRule).toMatchObject({ direction: 'egress', protocol: 'all' });
  });

  test('the port the rule does allow (5433) is reachable', () => {
    expect(run({ source: S.web1, destination: S.db1, port: 5433 }).pathFound).toBe(true);
  });

  test('web-1 -> cache-1:6379 is reachable, hop by hop, with a return path', () => {
    const r = run({ source: S.web1, destination: S.cache1, port: 6379 });
    expect(r.pathFound).toBe(true);
    expect(r.explanations).toEqual([]);
    expect(ids(r.forward)).toEqual([S.web1, S.web1Eni, S.webSg, S.rtbPublic, S.aclPublic, S.aclPrivate, S.cacheSg, S.cache1Eni, S.cache1]);
    expect(r.forward.map((h) => h.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.forward[3].route).toEqual({ destination: '10.0.0.0/16', target: 'local', state: 'active' });
    expect(r.forward[6].securityGroupRule).toEqual({ direction: 'ingress', protocol: 'tcp', portRange: { from: 6379, to: 6379 }, groupId: S.webSg });
    expect(r.forward[0].component).toEqual({ id: S.web1, name: 'web-1', arn: `arn:aws:ec2:us-east-1:123456789012:instance/${S.web1}` });
    expect(ids(r.returnPath)[0]).toBe(S.cache1Eni);
    expect(ids(r.returnPath).at(-1)).toBe(S.web1Eni);
  });

  test('udp to the database is blocked too', () => {
    expect(run({ source: S.web1, destination: S.db1, port: 5432, protocol: 'udp' }).explanations[0].code).toBe('ENI_SG_RULES_MISMATCH');
  });

  test('same subnet: no NACL hops, the security group still decides', () => {
    const r = run({ source: S.cache1, destination: S.db1, port: 5433 });
    expect(r.explanations[0]).toMatchObject({ code: 'ENI_SG_RULES_MISMATCH', direction: 'ingress' });
    expect(ids(r.forward)).toEqual([S.cache1, S.cache1Eni, S.cacheSg, S.rtbPrivate]);
  });

  test('private subnet has no route to the internet', () => {
    const r = run({ source: S.db1, destinationIp: '8.8.8.8', port: 443 });
    expect(r.explanations[0]).toMatchObject({ code: 'NO_ROUTE_TO_DESTINATION', addresses: ['8.8.8.8'] });
    expect(r.explanations[0].components.routeTable).toMatchObject({ id: S.rtbPrivate, name: 'private-rt' });
  });

  test('web-1 reaches the internet through the IGW (by IP or with the IGW as destination)', () => {
    const byIp = run({ source: S.web1, destinationIp: '8.8.8.8', port: 443 });
    expect(byIp.pathFound).toBe(true);
    expect(ids(byIp.forward).at(-1)).toBe(S.igw);
    expect(run({ source: S.web1, destination: S.igw, port: 443 }).pathFound).toBe(true);
  });

  test('no public IP: the IGW will not carry it', () => {
    const world = createSandboxWorld();
    delete world.instances[0].publicIp;
    expect(run({ source: S.web1, destinationIp: '8.8.8.8', port: 443 }, world).explanations[0].code).toBe('IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS');
  });

  test('a NACL deny rule is named with its number', () => {
    const world = createSandboxWorld();
    world.acls[1].entries.push({ ruleNumber: 50, egress: false, protocol: 'tcp', from: 6379, to: 6379, cidr: '0.0.0.0/0', action: 'deny' });
    const r = run({ source: S.web1, destination: S.cache1, port: 6379 }, world);
    expect(r.explanations[0]).toMatchObject({ code: 'SUBNET_ACL_RESTRICTION', direction: 'ingress', aclRule: { ruleNumber: 50, action: 'deny', egress: false } });
    expect(r.explanations[0].components.acl.id).toBe(S.aclPrivate);
  });

  test('NACLs are stateless: a reply blocked on the way back makes the path unreachable', () => {
    const world = createSandboxWorld();
    world.acls[0].entries = world.acls[0].entries.map((e) => (e.egress ? e : { ...e, protocol: 'tcp', from: 443, to: 443 }));
    const r = run({ source: S.web1, destination: S.cache1, port: 6379 }, world);
    expect(r.pathFound).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'SUBNET_ACL_RESTRICTION', direction: 'ingress', aclRule: { ruleNumber: 32767, action: 'deny' } });
    expect(r.explanations[0].components.acl.id).toBe(S.aclPublic);
  });

  test('an egress rule can block at the source', () => {
    const world = createSandboxWorld();
    world.securityGroups[0].egress = [{ protocol: 'tcp', from: 443, to: 443, cidr: '0.0.0.0/0' }];
    const r = run({ source: S.web1, destination: S.db1, port: 5433 }, world);
    expect(r.explanations[0]).toMatchObject({ code: 'ENI_SG_RULES_MISMATCH', direction: 'egress' });
    expect(r.explanations[0].securityGroups?.[0].id).toBe(S.webSg);
  });

  test('an address in the VPC that nothing owns has no path', () => {
    expect(run({ source: S.web1, destinationIp: '10.0.2.99', port: 22 }).explanations[0].code).toBe('NO_PATH');
  });

  test('a source the sandbox does not model is unsupported, not a crash', () => {
    expect(run({ source: S.igw, destination: S.web1, port: 443 }).explanations[0]).toMatchObject({ code: 'UNSUPPORTED_COMPONENT' });
  });
});
