/**
 * Evaluates a path over the sandbox VPC the way Reachability Analyzer reasons: security groups (stateful),
 * network ACLs (stateless, so the return traffic is checked too), route tables, the internet gateway. The answer
 * uses AWS's explanation codes and hop order, so the playground teaches what the real thing will say.
 */
import type { AclRuleInfo, Explanation, Hop, PacketHeader, PathSpec } from '../../reach/model';
import type { AclEntry, SandboxInstance, SandboxSecurityGroup, SandboxWorld, SgRule } from '../world';
import { coversPorts, inCidr, portMatches, prefixLength } from './net';
import { WorldIndex, indexWorld } from './refs';

export interface Evaluation {
  pathFound: boolean;
  forward: Hop[];
  returnPath: Hop[];
  explanations: Explanation[];
}

interface Side {
  instance?: SandboxInstance;
  eniId?: string;
  ip: string;
  subnetId?: string;
  groups: SandboxSecurityGroup[];
  publicIp?: string;
}

/** Stand-in for "somewhere on the internet" when the destination is the internet gateway itself. */
const INTERNET_ADDRESS = '198.51.100.1';
/** Replies go back to the client's ephemeral port, which NACL rules must allow (they keep no state). */
const EPHEMERAL = { from: 1024, to: 65535 };
const IMPLICIT_DENY = (egress: boolean): AclEntry => ({ ruleNumber: 32767, egress, protocol: 'all', from: 0, to: 65535, cidr: '0.0.0.0/0', action: 'deny' });

export function evaluatePath(world: SandboxWorld, spec: PathSpec, region: string): Evaluation {
  const w = indexWorld(world, region);
  const src = sideOf(w, spec.source);
  if (!src) return unsupported(w, spec.source);
  const dst = spec.destination?.startsWith('igw-')
    ? { ip: spec.destinationIp ?? INTERNET_ADDRESS, groups: [] }
    : spec.destination
      ? sideOf(w, spec.destination, spec.destinationIp)
      : (sideOfIp(w, spec.destinationIp ?? '') ?? { ip: spec.destinationIp ?? '', groups: [] });
  if (!dst) return unsupported(w, spec.destination ?? '');

  const hops: Hop[] = [];
  const push = (h: Omit<Hop, 'seq'>) => hops.push({ seq: hops.length + 1, ...h });
  const blocked = (ex: Omit<Explanation, 'components'> & { components: Explanation['components'] }): Evaluation => ({ pathFound: false, forward: hops, returnPath: [], explanations: [ex] });
  const header: PacketHeader = {
    sourceAddresses: [`${src.ip}/32`],
    destinationAddresses: [`${dst.ip}/32`],
    protocol: spec.protocol,
    sourcePorts: [{ from: 0, to: 65535 }],
    destinationPorts: [spec.port !== undefined ? { from: spec.port, to: spec.port } : { from: 0, to: 65535 }],
  };
  const net = (subnetId?: string) => ({ vpc: w.ref(world.vpc.id), ...(subnetId ? { subnet: w.ref(subnetId) } : {}) });

  if (src.instance) push({ component: w.ref(src.instance.id), outbound: header });
  push({ component: w.ref(src.eniId as string), ...(src.instance ? { attachedTo: w.ref(src.instance.id) } : {}), ...net(src.subnetId), outbound: header });

  const out = matchGroup(src.groups, 'egress', spec, dst);
  if (!out) {
    return blocked({ code: 'ENI_SG_RULES_MISMATCH', direction: 'egress', components: { networkInterface: w.ref(src.eniId as string), ...net(src.subnetId) }, securityGroups: src.groups.map((g) => w.ref(g.id)) });
  }
  push({ component: w.ref(out.group.id), securityGroupRule: { direction: 'egress', ...ruleInfo(out.rule) }, outbound: header });

  const srcSubnet = w.subnet(src.subnetId as string);
  const table = w.routeTable(srcSubnet.routeTableId);
  const route = table.routes.filter((r) => inCidr(dst.ip, r.destination)).sort((a, b) => prefixLength(b.destination) - prefixLength(a.destination))[0];
  if (!route) {
    return blocked({ code: 'NO_ROUTE_TO_DESTINATION', components: { routeTable: w.ref(table.id), ...net(srcSubnet.id) }, addresses: [dst.ip] });
  }
  push({ component: w.ref(table.id), route: { destination: route.destination, target: route.target, state: 'active' }, ...net(srcSubnet.id) });

  const crossing = dst.subnetId !== src.subnetId;
  if (crossing) {
    const denied = aclStep(w, srcSubnet.aclId, true, spec, dst.ip, push, net(srcSubnet.id));
    if (denied) return blocked(denied);
  }

  if (route.target !== 'local') {
    const igw = w.ref(route.target);
    if (!src.publicIp) {
      return blocked({ code: 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS', components: { internetGateway: igw, networkInterface: w.ref(src.eniId as string), ...net(src.subnetId) } });
    }
    push({ component: igw, ...net() });
    return { pathFound: true, forward: hops, returnPath: [{ seq: 1, component: igw }, { seq: 2, component: w.ref(src.eniId as string) }], explanations: [] };
  }
  if (!dst.eniId) {
    return blocked({ code: 'NO_PATH', components: { vpc: w.ref(world.vpc.id) }, addresses: [dst.ip] });
  }

  const dstSubnet = w.subnet(dst.subnetId as string);
  if (crossing) {
    const denied = aclStep(w, dstSubnet.aclId, false, spec, src.ip, push, net(dstSubnet.id));
    if (denied) return blocked(denied);
  }
  const inbound = matchGroup(dst.groups, 'ingress', spec, src);
  if (!inbound) {
    return blocked({ code: 'ENI_SG_RULES_MISMATCH', direction: 'ingress', components: { networkInterface: w.ref(dst.eniId), ...net(dst.subnetId) }, securityGroups: dst.groups.map((g) => w.ref(g.id)) });
  }
  push({ component: w.ref(inbound.group.id), securityGroupRule: { direction: 'ingress', ...ruleInfo(inbound.rule) }, inbound: header });
  push({ component: w.ref(dst.eniId), ...(dst.instance ? { attachedTo: w.ref(dst.instance.id) } : {}), ...net(dst.subnetId), inbound: header });
  if (dst.instance) push({ component: w.ref(dst.instance.id), inbound: header });

  // NACLs are stateless: the reply must be allowed out of the destination subnet and into the source subnet.
  const back: Hop[] = [];
  const pushBack = (h: Omit<Hop, 'seq'>) => back.push({ seq: back.length + 1, ...h });
  pushBack({ component: w.ref(dst.eniId), ...net(dst.subnetId) });
  pushBack({ component: w.ref(dstSubnet.routeTableId), ...net(dst.subnetId) });
  if (crossing) {
    const deniedOut = aclStep(w, dstSubnet.aclId, true, spec, src.ip, pushBack, net(dstSubnet.id), EPHEMERAL);
    const deniedIn = deniedOut ?? aclStep(w, srcSubnet.aclId, false, spec, dst.ip, pushBack, net(srcSubnet.id), EPHEMERAL);
    if (deniedIn) return { pathFound: false, forward: hops, returnPath: back, explanations: [deniedIn] };
  }
  pushBack({ component: w.ref(src.eniId as string), ...net(src.subnetId) });
  return { pathFound: true, forward: hops, returnPath: back, explanations: [] };
}

function sideOf(w: WorldIndex, id: string, ip?: string): Side | undefined {
  const inst = w.world.instances.find((i) => i.id === id || i.eniId === id);
  if (!inst) return undefined;
  const groups = inst.securityGroupIds.map((g) => w.group(g));
  return { instance: id.startsWith('i-') ? inst : undefined, eniId: inst.eniId, ip: ip ?? inst.privateIp, subnetId: inst.subnetId, groups, publicIp: inst.publicIp };
}

function sideOfIp(w: WorldIndex, ip: string): Side | undefined {
  const inst = w.world.instances.find((i) => i.privateIp === ip);
  return inst ? { ...(sideOf(w, inst.eniId, ip) as Side), instance: inst } : undefined;
}

function matchGroup(groups: SandboxSecurityGroup[], dir: 'ingress' | 'egress', spec: PathSpec, peer: Side): { group: SandboxSecurityGroup; rule: SgRule } | undefined {
  for (const group of groups) {
    for (const rule of group[dir]) {
      const proto = rule.protocol === 'all' || rule.protocol === spec.protocol;
      const who = rule.cidr ? inCidr(peer.ip, rule.cidr) : !!rule.groupId && peer.groups.some((g) => g.id === rule.groupId);
      if (proto && who && portMatches(spec.port, rule.from, rule.to)) return { group, rule };
    }
  }
  return undefined;
}

function ruleInfo(r: SgRule) {
  return { protocol: r.protocol, portRange: { from: r.from, to: r.to }, ...(r.cidr ? { cidr: r.cidr } : {}), ...(r.groupId ? { groupId: r.groupId } : {}) };
}

/** Applies a subnet's NACL (lowest matching rule number wins); returns an explanation when it denies. */
function aclStep(
  w: WorldIndex,
  aclId: string,
  egress: boolean,
  spec: PathSpec,
  peerIp: string,
  push: (h: Omit<Hop, 'seq'>) => void,
  net: Pick<Hop, 'vpc' | 'subnet'>,
  replyPorts?: { from: number; to: number },
): Explanation | undefined {
  const acl = w.acl(aclId);
  const ports = (e: AclEntry) => (replyPorts ? coversPorts(replyPorts, e.from, e.to) : portMatches(spec.port, e.from, e.to));
  const entry =
    acl.entries
      .filter((e) => e.egress === egress)
      .sort((a, b) => a.ruleNumber - b.ruleNumber)
      .find((e) => (e.protocol === 'all' || e.protocol === spec.protocol) && inCidr(peerIp, e.cidr) && ports(e)) ?? IMPLICIT_DENY(egress);
  const aclRule: AclRuleInfo = { egress, ruleNumber: entry.ruleNumber, action: entry.action, protocol: entry.protocol, portRange: { from: entry.from, to: entry.to }, cidr: entry.cidr };
  if (entry.action === 'deny') {
    return { code: 'SUBNET_ACL_RESTRICTION', direction: egress ? 'egress' : 'ingress', components: { acl: w.ref(acl.id), ...net }, aclRule };
  }
  push({ component: w.ref(acl.id), aclRule, ...net });
  return undefined;
}

function unsupported(w: WorldIndex, id: string): Evaluation {
  return { pathFound: false, forward: [], returnPath: [], explanations: [{ code: 'UNSUPPORTED_COMPONENT', components: { component: w.ref(id) } }] };
}
