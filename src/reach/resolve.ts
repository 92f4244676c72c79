/**
 * SOURCE/DEST words → analyser endpoints (product.md §3): resource ids and ARNs as given, `Name` tags through
 * DescribeInstances, IPv4 destinations to their ENI when one in this account owns the address.
 */
import { LookoutError } from '../errors';
import type { Reachability } from '../ports/reachability';
import type { Endpoint, EndpointKind, InstanceSummary } from './model';
import { closestNames, escapeText, inlineCode } from '../text';

export interface ResolveScope {
  accountName: string;
  region: string;
}

/** Longer prefixes first: `tgw-attach-` before `tgw-`, `vpce-svc-` before `vpce-`. */
const ID_KINDS: [string, EndpointKind][] = [
  ['tgw-attach', 'transit-gateway-attachment'],
  ['vpce-svc', 'vpc-endpoint-service'],
  ['i', 'instance'],
  ['eni', 'network-interface'],
  ['igw', 'internet-gateway'],
  ['vpce', 'vpc-endpoint'],
  ['pcx', 'peering-connection'],
  ['tgw', 'transit-gateway'],
  ['vgw', 'vpn-gateway'],
];
const ARN_KINDS: Record<string, EndpointKind> = {
  instance: 'instance',
  'network-interface': 'network-interface',
  'internet-gateway': 'internet-gateway',
  'vpc-endpoint': 'vpc-endpoint',
  'vpc-endpoint-service': 'vpc-endpoint-service',
  'vpc-peering-connection': 'peering-connection',
  'transit-gateway': 'transit-gateway',
  'transit-gateway-attachment': 'transit-gateway-attachment',
  'vpn-gateway': 'vpn-gateway',
};
const UNSUPPORTED_IDS = /^(sg|subnet|vpc|rtb|acl|nat|eipalloc|lb|cgw|vpn|pl)-[0-9a-f]{8}([0-9a-f]{9})?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const ARN = /^arn:aws[a-z-]*:ec2:([a-z0-9-]*):(\d{12}):([a-z-]+)\/([a-z0-9-]+)$/;
const MAX_LISTED = 10;

/** The kind of a resource id Reachability Analyzer accepts, or undefined when `word` is not one. */
export function resourceKind(word: string): EndpointKind | undefined {
  for (const [prefix, kind] of ID_KINDS) {
    if (new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`).test(word)) return kind;
  }
  return undefined;
}

export function isIpv4(word: string): boolean {
  return IPV4.test(word);
}

export async function resolveEndpoint(port: Reachability, word: string, role: 'source' | 'destination', scope: ResolveScope): Promise<Endpoint> {
  const where = `in ${escapeText(scope.region)} (account ${escapeText(scope.accountName)})`;
  const lower = word.toLowerCase();
  if (lower.startsWith('arn:')) return resolveArn(word, scope);
  const kind = resourceKind(lower);
  if (kind === 'instance') {
    const [found] = await port.findInstancesById([lower]);
    if (!found) throw new LookoutError('not_found', `No instance ${inlineCode(lower)} ${where}.`, { hint: 'Check the id, region and account.' });
    return { input: word, kind, id: found.id, ...(found.name ? { name: found.name } : {}), ...sourceSide(found) };
  }
  if (kind) return { input: word, kind, id: lower };
  if (UNSUPPORTED_IDS.test(lower)) {
    throw new LookoutError(
      'invalid_input',
      `${inlineCode(word)} cannot be a ${role}: Reachability Analyzer starts and ends at instances, network interfaces, gateways, endpoints, peering or transit gateway attachments.`,
    );
  }
  if (isIpv4(word)) {
    if (role === 'source') throw new LookoutError('invalid_input', 'The source must be a resource, not an IP address.');
    return resolveIp(port, word, where);
  }
  return resolveName(port, word, where);
}

function resolveArn(arn: string, scope: ResolveScope): Endpoint {
  const m = ARN.exec(arn);
  const kind = m ? ARN_KINDS[m[3]] : undefined;
  if (!m || !kind) {
    throw new LookoutError('invalid_input', `${inlineCode(arn)} is not the ARN of an instance, network interface, gateway, endpoint, peering or transit gateway attachment.`);
  }
  if (m[1] && m[1] !== scope.region) {
    throw new LookoutError('invalid_input', `${inlineCode(arn)} is in ${escapeText(m[1])}; this check runs in ${escapeText(scope.region)}.`, {
      hint: `Add \`--region ${escapeText(m[1])}\`.`,
    });
  }
  return { input: arn, kind, id: arn };
}

async function resolveName(port: Reachability, name: string, where: string): Promise<Endpoint> {
  const found = await port.findInstancesByName(name);
  if (found.length === 1) return { input: name, kind: 'instance', id: found[0].id, name: found[0].name ?? name, ...sourceSide(found[0]) };
  if (found.length > 1) {
    const listed = found.slice(0, MAX_LISTED).map((i) => `${inlineCode(i.id)} (${[i.state, i.privateIp].filter(Boolean).map((s) => escapeText(s as string)).join(', ')})`);
    const more = found.length > MAX_LISTED ? ` and ${found.length - MAX_LISTED} more` : '';
    throw new LookoutError('invalid_input', `${inlineCode(name)} matches ${found.length} instances ${where}: ${listed.join(', ')}${more}.`, {
      hint: 'Use the instance id instead of the name.',
    });
  }
  const closest = closestNames(name, await port.listInstanceNames());
  const suggestion = closest.length ? ` Closest names: ${closest.map(inlineCode).join(', ')}.` : '';
  throw new LookoutError('not_found', `No instance named ${inlineCode(name)} ${where}.${suggestion}`, {
    hint: 'Names are the exact, case-sensitive EC2 `Name` tag; resource ids, ARNs and IPv4 destinations work too.',
  });
}

/** An address owned by an ordinary ENI means that ENI (and its instance); anything else is analysed as a bare IP. */
async function resolveIp(port: Reachability, ip: string, where: string): Promise<Endpoint> {
  const enis = await port.findNetworkInterfacesByIp(ip);
  if (enis.length > 1) {
    const listed = enis.slice(0, MAX_LISTED).map((e) => `${inlineCode(e.id)} (${escapeText(e.vpcId ?? 'no VPC')})`);
    throw new LookoutError('invalid_input', `${inlineCode(ip)} belongs to ${enis.length} network interfaces ${where}: ${listed.join(', ')}.`, {
      hint: 'Use the network interface id instead of the address.',
    });
  }
  const eni = enis[0];
  if (!eni) return { input: ip, kind: 'ip', ip };
  if (eni.interfaceType && eni.interfaceType !== 'interface') {
    return { input: ip, kind: 'ip', ip, owner: { id: eni.id, ...(eni.description ? { name: eni.description } : {}) } };
  }
  const endpoint: Endpoint = { input: ip, kind: 'network-interface', id: eni.id, ip };
  if (eni.instanceId) {
    const [instance] = await port.findInstancesById([eni.instanceId]);
    endpoint.owner = { id: eni.instanceId, ...(instance?.name ? { name: instance.name } : {}) };
    if (instance?.securityGroupIds?.length) endpoint.securityGroupIds = instance.securityGroupIds;
  }
  return endpoint;
}

/** What a suggested security-group rule may name as the source: the instance's groups and address. */
function sourceSide(i: InstanceSummary): Pick<Endpoint, 'securityGroupIds' | 'privateIp'> {
  return { ...(i.securityGroupIds?.length ? { securityGroupIds: i.securityGroupIds } : {}), ...(i.privateIp ? { privateIp: i.privateIp } : {}) };
}
