/**
 * The reachability domain: what the Reachability port returns (paths, analyses, hops, explanations) and what the
 * reach service answers (ReachAnswer, path and watch summaries). Any layer may import a model; a model imports
 * nothing but other models.
 */
export type Protocol = 'tcp' | 'udp';

/** Any AWS resource the analyser names: id, ARN and `Name` tag when it has one. */
export interface ComponentRef {
  id: string;
  name?: string;
  arn?: string;
}

export interface PortRange {
  from: number;
  to: number;
}

export interface InstanceSummary {
  id: string;
  name?: string;
  state?: string;
  vpcId?: string;
  privateIp?: string;
  /** The primary network interface's security groups. */
  securityGroupIds?: string[];
}

export interface NetworkInterfaceSummary {
  id: string;
  privateIp: string;
  vpcId?: string;
  /** 'interface' for ordinary ENIs; 'nat_gateway', 'network_load_balancer', 'vpc_endpoint', 'lambda'… otherwise. */
  interfaceType?: string;
  description?: string;
  instanceId?: string;
}

/** What a path analyses. `destination` is absent when the destination is only an IP. */
export interface PathSpec {
  source: string;
  destination?: string;
  destinationIp?: string;
  protocol: Protocol;
  port?: number;
}

export interface ManagedPath extends PathSpec {
  id: string;
  arn?: string;
  createdAt?: number;
  /** Carries the `lookout:managed=true` tag. */
  managed: boolean;
}

export interface SecurityGroupRuleInfo {
  direction: 'ingress' | 'egress';
  /** The group the rule refers to, when it refers to one. */
  groupId?: string;
  protocol?: string;
  portRange?: PortRange;
  cidr?: string;
  prefixListId?: string;
}

export interface AclRuleInfo {
  egress: boolean;
  ruleNumber?: number;
  action?: 'allow' | 'deny';
  protocol?: string;
  portRange?: PortRange;
  cidr?: string;
}

export interface RouteInfo {
  /** Destination CIDR or prefix list id. */
  destination?: string;
  /** 'local', igw-…, pcx-…, tgw-…, nat-…, eni-…; */
  target?: string;
  state?: string;
}

export interface PacketHeader {
  sourceAddresses?: string[];
  destinationAddresses?: string[];
  protocol?: string;
  sourcePorts?: PortRange[];
  destinationPorts?: PortRange[];
}

export interface Hop {
  seq: number;
  component: ComponentRef;
  attachedTo?: ComponentRef;
  vpc?: ComponentRef;
  subnet?: ComponentRef;
  securityGroupRule?: SecurityGroupRuleInfo;
  aclRule?: AclRuleInfo;
  route?: RouteInfo;
  inbound?: PacketHeader;
  outbound?: PacketHeader;
  /** Additional detail codes (informational), e.g. UNIDIRECTIONAL_PATH_ANALYSIS_ONLY. */
  details?: string[];
  /** Explanations AWS attached to this hop rather than to the analysis. */
  explanations?: Explanation[];
}

/** One reason AWS gives for "not reachable". `code` is an open string: new codes appear without notice. */
export interface Explanation {
  code: string;
  direction?: 'ingress' | 'egress';
  packetField?: string;
  /** Every single component AWS attached, by role: component, networkInterface, securityGroup, acl, routeTable… */
  components: Record<string, ComponentRef>;
  securityGroups?: ComponentRef[];
  securityGroupRule?: SecurityGroupRuleInfo;
  aclRule?: AclRuleInfo;
  route?: RouteInfo;
  port?: number;
  portRanges?: PortRange[];
  protocols?: string[];
  addresses?: string[];
  cidrs?: string[];
  state?: string;
  missingComponent?: string;
}

export type AnalysisStatus = 'running' | 'succeeded' | 'failed';

export interface Analysis {
  id: string;
  pathId: string;
  status: AnalysisStatus;
  startedAt?: number;
  /** Why it failed (permissions, network changed during the run…). */
  statusMessage?: string;
  warningMessage?: string;
  /** Meaningful only when status is 'succeeded': a failed analysis is not "not reachable". */
  pathFound?: boolean;
  forward: Hop[];
  returnPath: Hop[];
  explanations: Explanation[];
  alternatePathHints: string[];
}


// ---- The reach service's answer (domain data the views render) ----

export type EndpointKind =
  | 'instance'
  | 'network-interface'
  | 'internet-gateway'
  | 'vpc-endpoint'
  | 'vpc-endpoint-service'
  | 'peering-connection'
  | 'transit-gateway'
  | 'transit-gateway-attachment'
  | 'vpn-gateway'
  | 'ip';

export interface Endpoint {
  /** What the person typed. */
  input: string;
  kind: EndpointKind;
  /** Resource id or ARN given to the analyser (absent for a bare IP). */
  id?: string;
  ip?: string;
  name?: string;
  /** How an IP was resolved: the instance its ENI belongs to, when known. */
  owner?: ComponentRef;
  /**
   * The instance's security groups and private address, when known: the source side of a suggested rule when the
   * analysis stops before naming it (a blocked path has no hops). Never sent to the analyser.
   */
  securityGroupIds?: string[];
  privateIp?: string;
}

export interface ReachQuestion {
  source: Endpoint;
  destination: Endpoint;
  protocol: Protocol;
  port?: number;
  accountName: string;
  accountId?: string;
  region: string;
}

/** A concrete change that would open the path, rendered by the view (names are escaped there). */
export type FixHint =
  /** `peer`: the security group id or CIDR on the other end, when the analysis shows it. */
  | { kind: 'sg-rule'; direction: 'inbound' | 'outbound'; group: ComponentRef; protocol: Protocol; port?: number; peer?: string }
  | { kind: 'nacl-rule'; direction: 'inbound' | 'outbound'; acl: ComponentRef; protocol: Protocol; port?: number; cidr?: string }
  | { kind: 'route'; routeTable: ComponentRef; destination: string }
  | { kind: 'advice'; text: string };

export type IssueGroup = 'blocked' | 'no-path' | 'filter' | 'unknown';

export interface ExplainedIssue {
  code: string;
  group: IssueGroup;
  /** Plain-language meaning from the catalogue; undefined for a code Lookout does not know yet. */
  meaning?: string;
  /** The component that stops the traffic, when AWS names one. */
  blocking?: ComponentRef;
  fix?: FixHint;
  explanation: Explanation;
}

/** `warning` is AWS's WarningMessage; `notes` explain informational detail codes seen on the hops (plain text). */
export type AnalysisOutcome =
  | { reachable: true; hops: Hop[]; returnHops: Hop[]; warning?: string; notes: string[] }
  | { reachable: false; hops: Hop[]; issues: ExplainedIssue[]; warning?: string; notes: string[] };

interface AnswerBase {
  question: ReachQuestion;
  pathId: string;
  analysisId?: string;
  checkedAt: number;
}

export type ReachAnswer =
  | (AnswerBase & { kind: 'fresh'; outcome: AnalysisOutcome; durationMs: number })
  | (AnswerBase & { kind: 'cached'; outcome: AnalysisOutcome })
  | (AnswerBase & { kind: 'failed'; reason: 'analysis_failed' | 'timeout'; message?: string; durationMs: number });

export interface ReachProgress {
  question: ReachQuestion;
  pathId: string;
  analysisId: string;
  elapsedMs: number;
}

export interface ReachPathSummary {
  pathId: string;
  question: ReachQuestion;
  createdAt: number;
  lastUsedAt: number;
  last?: { checkedAt: number; result: 'reachable' | 'not_reachable' | 'failed'; codes: string[] };
  watchedHere: boolean;
  watchCount: number;
}

export interface WatchSchedule {
  cron?: string;
  intervalMs?: number;
}

export interface WatchSummary {
  pathId: string;
  channelId: string;
  question: ReachQuestion;
  schedule: WatchSchedule;
  expectedPerMonth: number;
  nextRunAt: number;
  /** False when an existing watch was updated. */
  created: boolean;
  /** The scheduled report that does the re-checking. */
  reportId: string;
}

export interface ForgetSummary {
  pathId: string;
  question: ReachQuestion;
  analysesDeleted: number;
  watchesRemoved: number;
}
