/**
 * Concrete fix hints for the explanation codes where the analysis says enough to name the change
 * (aws-apis.md §1.8 "Suggested fix hints"); the catalogue's fixed advice otherwise.
 */
import type { ComponentRef, Explanation, FixHint, Hop, ReachQuestion } from './model';
import { describeExplanation } from './explanations';

export interface HintContext {
  question: ReachQuestion;
  /** The forward path as far as the analyser got: where the other end's security group and address show up. */
  hops: Hop[];
}

const SG_CODES = new Set(['ENI_SG_RULES_MISMATCH', 'SG_HAS_NO_RULES']);

export function buildFixHint(ex: Explanation, ctx: HintContext): FixHint | undefined {
  if (SG_CODES.has(ex.code)) {
    const group = ex.components.securityGroup ?? ex.securityGroups?.[0];
    if (group) return sgHint(ex, group, ctx);
  }
  if (ex.code === 'SUBNET_ACL_RESTRICTION' && ex.components.acl) {
    const inbound = ex.aclRule ? !ex.aclRule.egress : ex.direction !== 'egress';
    return {
      kind: 'nacl-rule',
      direction: inbound ? 'inbound' : 'outbound',
      acl: ex.components.acl,
      protocol: ctx.question.protocol,
      ...(ctx.question.port !== undefined ? { port: ctx.question.port } : {}),
      ...optional('cidr', inbound ? sourceCidr(ctx) : destinationCidr(ctx)),
    };
  }
  if (ex.code === 'NO_ROUTE_TO_DESTINATION' && ex.components.routeTable) {
    const destination = destinationCidr(ctx) ?? ex.addresses?.[0] ?? ex.components.destination?.id;
    if (destination) return { kind: 'route', routeTable: ex.components.routeTable, destination };
  }
  const advice = describeExplanation(ex.code)?.advice;
  return advice ? { kind: 'advice', text: advice } : undefined;
}

function sgHint(ex: Explanation, group: ComponentRef, ctx: HintContext): FixHint {
  const inbound = (ex.direction ?? ex.securityGroupRule?.direction ?? 'ingress') === 'ingress';
  const peer = inbound ? (sourceGroup(ctx.hops) ?? sourceCidr(ctx) ?? sourceOwnSide(ctx)) : destinationCidr(ctx);
  return {
    kind: 'sg-rule',
    direction: inbound ? 'inbound' : 'outbound',
    group,
    protocol: ctx.question.protocol,
    ...(ctx.question.port !== undefined ? { port: ctx.question.port } : {}),
    ...optional('peer', peer),
  };
}

/** The source's security group: the group whose egress rule let the packet leave. */
function sourceGroup(hops: Hop[]): string | undefined {
  const egress = hops.find((h) => h.component.id.startsWith('sg-') && h.securityGroupRule?.direction === 'egress');
  return egress?.component.id ?? hops.find((h) => h.component.id.startsWith('sg-'))?.component.id;
}

function sourceCidr(ctx: HintContext): string | undefined {
  const addr = ctx.hops.flatMap((h) => h.outbound?.sourceAddresses ?? h.inbound?.sourceAddresses ?? [])[0];
  return addr ? asCidr(addr) : undefined;
}

/**
 * A blocked path has no hops to name the source: take its own security group (a rule referencing it is the
 * narrowest), else its private address as a /32, so the suggested rule is least-privilege.
 */
function sourceOwnSide(ctx: HintContext): string | undefined {
  const s = ctx.question.source;
  const address = s.privateIp ?? s.ip;
  return s.securityGroupIds?.[0] ?? (address ? asCidr(address) : undefined);
}

function destinationCidr(ctx: HintContext): string | undefined {
  if (ctx.question.destination.ip) return asCidr(ctx.question.destination.ip);
  const addr = ctx.hops.flatMap((h) => h.outbound?.destinationAddresses ?? h.inbound?.destinationAddresses ?? [])[0];
  return addr ? asCidr(addr) : undefined;
}

function asCidr(addr: string): string {
  return addr.includes('/') ? addr : `${addr}/32`;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
