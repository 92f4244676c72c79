/** EC2 Network Insights shapes → the Reachability port's domain types (aws-apis.md §1.2–1.5). */
import type {
  AnalysisAclRule,
  AnalysisComponent,
  AnalysisPacketHeader,
  AnalysisRouteTableRoute,
  AnalysisSecurityGroupRule,
  Explanation as SdkExplanation,
  NetworkInsightsAnalysis,
  NetworkInsightsPath,
  PathComponent,
  PortRange as SdkPortRange,
  Tag,
} from '@aws-sdk/client-ec2';
import type { AclRuleInfo, Analysis, AnalysisStatus, ComponentRef, Explanation, Hop, ManagedPath, PacketHeader, PortRange, Protocol, RouteInfo, SecurityGroupRuleInfo } from '../reach/model';

export const MANAGED_TAG = { Key: 'lookout:managed', Value: 'true' } as const;

export function isManaged(tags: Tag[] | undefined): boolean {
  return !!tags?.some((t) => t.Key === MANAGED_TAG.Key && t.Value === MANAGED_TAG.Value);
}

/** Packet headers carry IANA numbers ("6"); rules carry names or "-1". */
export function protocolName(p: string | undefined): string | undefined {
  if (p === undefined) return undefined;
  return ({ '6': 'tcp', '17': 'udp', '1': 'icmp', '-1': 'all' } as Record<string, string>)[p] ?? p.toLowerCase();
}

function ref(c: AnalysisComponent | undefined): ComponentRef | undefined {
  const id = c?.Id ?? c?.Arn;
  if (!id) return undefined;
  return { id, ...(c?.Name ? { name: c.Name } : {}), ...(c?.Arn ? { arn: c.Arn } : {}) };
}

function range(r: SdkPortRange | undefined): PortRange | undefined {
  return r && r.From !== undefined ? { from: r.From, to: r.To ?? r.From } : undefined;
}

function ranges(rs: SdkPortRange[] | undefined): PortRange[] | undefined {
  const out = (rs ?? []).map(range).filter((r): r is PortRange => !!r);
  return out.length ? out : undefined;
}

/** Drops undefined values so snapshots and equality checks see only what AWS said. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function sgRule(r: AnalysisSecurityGroupRule | undefined): SecurityGroupRuleInfo | undefined {
  if (!r) return undefined;
  return compact({
    direction: r.Direction === 'egress' ? 'egress' : 'ingress',
    groupId: r.SecurityGroupId,
    protocol: protocolName(r.Protocol),
    portRange: range(r.PortRange),
    cidr: r.Cidr,
    prefixListId: r.PrefixListId,
  } as SecurityGroupRuleInfo);
}

function aclRule(r: AnalysisAclRule | undefined): AclRuleInfo | undefined {
  if (!r) return undefined;
  const action: AclRuleInfo['action'] = r.RuleAction === 'allow' || r.RuleAction === 'deny' ? r.RuleAction : undefined;
  return compact<AclRuleInfo>({ egress: !!r.Egress, ruleNumber: r.RuleNumber, action, protocol: protocolName(r.Protocol), portRange: range(r.PortRange), cidr: r.Cidr });
}

function route(r: AnalysisRouteTableRoute | undefined): RouteInfo | undefined {
  if (!r) return undefined;
  const target =
    r.GatewayId ?? r.NatGatewayId ?? r.VpcPeeringConnectionId ?? r.TransitGatewayId ?? r.NetworkInterfaceId ?? r.InstanceId ??
    r.EgressOnlyInternetGatewayId ?? r.CarrierGatewayId ?? r.LocalGatewayId ?? r.CoreNetworkArn;
  return compact({ destination: r.DestinationCidr ?? r.DestinationPrefixListId, target, state: r.State });
}

function header(h: AnalysisPacketHeader | undefined): PacketHeader | undefined {
  if (!h) return undefined;
  return compact({
    sourceAddresses: h.SourceAddresses,
    destinationAddresses: h.DestinationAddresses,
    protocol: protocolName(h.Protocol),
    sourcePorts: ranges(h.SourcePortRanges),
    destinationPorts: ranges(h.DestinationPortRanges),
  });
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Every AnalysisComponent-valued field, by role, so codes Lookout does not know still name their components. */
export function toExplanation(e: SdkExplanation): Explanation {
  const components: Record<string, ComponentRef> = {};
  for (const [key, value] of Object.entries(e)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && ('Id' in value || 'Arn' in value)) {
      const r = ref(value as AnalysisComponent);
      if (r) components[lowerFirst(key)] = r;
    }
  }
  const groups = (e.SecurityGroups ?? []).map(ref).filter((r): r is ComponentRef => !!r);
  return compact({
    code: e.ExplanationCode ?? 'UNKNOWN',
    direction: e.Direction === 'ingress' || e.Direction === 'egress' ? e.Direction : undefined,
    packetField: e.PacketField,
    components,
    securityGroups: groups.length ? groups : undefined,
    securityGroupRule: sgRule(e.SecurityGroupRule),
    aclRule: aclRule(e.AclRule),
    route: route(e.RouteTableRoute),
    port: e.Port,
    portRanges: ranges(e.PortRanges),
    protocols: e.Protocols?.map((p) => protocolName(p) ?? p),
    addresses: e.Addresses ?? (e.Address ? [e.Address] : undefined),
    cidrs: e.Cidrs,
    state: e.State,
    missingComponent: e.MissingComponent,
  } as Explanation);
}

export function toHop(p: PathComponent, index: number): Hop {
  const details = (p.AdditionalDetails ?? []).map((d) => d.AdditionalDetailType).filter((d): d is string => !!d);
  const explanations = (p.Explanations ?? []).map(toExplanation);
  return compact({
    seq: p.SequenceNumber ?? index + 1,
    component: ref(p.Component) ?? { id: 'unknown' },
    attachedTo: ref(p.AttachedTo),
    vpc: ref(p.Vpc),
    subnet: ref(p.Subnet),
    securityGroupRule: sgRule(p.SecurityGroupRule),
    aclRule: aclRule(p.AclRule),
    route: route(p.RouteTableRoute),
    inbound: header(p.InboundHeader),
    outbound: header(p.OutboundHeader),
    details: details.length ? details : undefined,
    explanations: explanations.length ? explanations : undefined,
  } as Hop);
}

const STATUSES: AnalysisStatus[] = ['running', 'succeeded', 'failed'];

export function toAnalysis(a: NetworkInsightsAnalysis, fallbackStart: number): Analysis {
  const status = STATUSES.find((s) => s === a.Status) ?? 'running';
  return compact({
    id: a.NetworkInsightsAnalysisId ?? '',
    pathId: a.NetworkInsightsPathId ?? '',
    status,
    startedAt: a.StartDate ? a.StartDate.getTime() : fallbackStart,
    statusMessage: a.StatusMessage,
    warningMessage: a.WarningMessage,
    pathFound: status === 'succeeded' ? !!a.NetworkPathFound : undefined,
    forward: (a.ForwardPathComponents ?? []).map(toHop).sort((x, y) => x.seq - y.seq),
    returnPath: (a.ReturnPathComponents ?? []).map(toHop).sort((x, y) => x.seq - y.seq),
    explanations: (a.Explanations ?? []).map(toExplanation),
    alternatePathHints: (a.AlternatePathHints ?? []).map((h) => h.ComponentArn ?? h.ComponentId).filter((x): x is string => !!x),
  } as Analysis);
}

export function toManagedPath(p: NetworkInsightsPath): ManagedPath {
  return compact({
    id: p.NetworkInsightsPathId ?? '',
    arn: p.NetworkInsightsPathArn,
    createdAt: p.CreatedDate?.getTime(),
    source: p.Source ?? p.SourceArn ?? '',
    destination: p.Destination ?? p.DestinationArn,
    destinationIp: p.DestinationIp,
    protocol: (p.Protocol === 'udp' ? 'udp' : 'tcp') as Protocol,
    port: p.DestinationPort,
    managed: isManaged(p.Tags),
  } as ManagedPath);
}
