/** Compact hop lists: `instance web-1 → ENI eni-… → SG web-sg (tcp 6379) → route table … → instance cache-1`. */
import type { AclRuleInfo, Hop, PortRange, SecurityGroupRuleInfo } from '../reach/model';
import { escapeText } from './text';
import { shortLabel } from './reach-console';

const KINDS: [string, string][] = [
  ['tgw-attach-', 'TGW attachment'],
  ['tgw-rtb-', 'TGW route table'],
  ['vpce-svc-', 'endpoint service'],
  ['i-', 'instance'],
  ['eni-', 'ENI'],
  ['sg-', 'SG'],
  ['acl-', 'NACL'],
  ['rtb-', 'route table'],
  ['igw-', 'IGW'],
  ['nat-', 'NAT'],
  ['pcx-', 'peering'],
  ['tgw-', 'TGW'],
  ['vpce-', 'endpoint'],
  ['vgw-', 'VGW'],
  ['subnet-', 'subnet'],
  ['vpc-', 'VPC'],
];

export function componentKind(id: string): string | undefined {
  if (id.startsWith('arn:') && id.includes(':elasticloadbalancing:')) return 'load balancer';
  return KINDS.find(([p]) => id.startsWith(p))?.[1];
}

export function portText(r: PortRange | undefined): string {
  if (!r || (r.from === 0 && r.to === 65535)) return 'all ports';
  return r.from === r.to ? String(r.from) : `${r.from}–${r.to}`;
}

function sgRuleText(r: SecurityGroupRuleInfo): string {
  const peer = r.groupId ?? r.cidr ?? r.prefixListId;
  const proto = !r.protocol || r.protocol === 'all' ? 'all traffic' : `${r.protocol} ${portText(r.portRange)}`;
  return `${proto}${peer ? ` ${r.direction === 'ingress' ? 'from' : 'to'} ${peer}` : ''}`;
}

export function aclRuleText(r: AclRuleInfo): string {
  const proto = !r.protocol || r.protocol === 'all' ? 'all' : `${r.protocol} ${portText(r.portRange)}`;
  const num = r.ruleNumber === 32767 ? 'default rule *' : `rule ${r.ruleNumber ?? '?'}`;
  return `${num}: ${r.action ?? '?'} ${proto} ${r.egress ? 'to' : 'from'} ${r.cidr ?? 'anywhere'}`;
}

/** One hop, with the rule or route that carried the packet when AWS names it. */
export function hopText(h: Hop): string {
  const kind = componentKind(h.component.id);
  const label = `${kind ? `${kind} ` : ''}${shortLabel(h.component)}`;
  let detail = '';
  if (h.securityGroupRule) detail = sgRuleText(h.securityGroupRule);
  else if (h.aclRule) detail = aclRuleText(h.aclRule);
  else if (h.route) detail = `${h.route.destination ?? '?'} → ${h.route.target ?? '?'}`;
  return detail ? `${label} (${escapeText(detail)})` : label;
}

/**
 * Hops joined with arrows within `budget` characters: when too long, the first ones, "…N more hops…" and the
 * last one, so the start and the end of the path always show.
 */
export function renderHops(hops: Hop[], budget: number): string {
  const parts = hops.map(hopText);
  const all = parts.join(' → ');
  if (all.length <= budget) return all;
  const last = parts[parts.length - 1] ?? '';
  const kept: string[] = [];
  let used = last.length + 40;
  for (const p of parts.slice(0, -1)) {
    if (used + p.length + 3 > budget) break;
    kept.push(p);
    used += p.length + 3;
  }
  const hidden = parts.length - 1 - kept.length;
  return [...kept, `_…${hidden} more hops…_`, last].join(' → ');
}
