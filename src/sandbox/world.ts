/**
 * The playground's sandbox AWS account (product.md §9): one small VPC with a web tier and a data tier, and ONE
 * deliberately broken rule to discover — db-sg allows tcp/5433 from web-sg instead of 5432. Plain data, shared by
 * the sandbox adapters (reachability now; FIS targets may reuse the instances).
 */
export type RuleProtocol = 'tcp' | 'udp' | 'all';

export interface SgRule {
  protocol: RuleProtocol;
  from: number;
  to: number;
  cidr?: string;
  /** Another security group: matches traffic from (ingress) or to (egress) interfaces in that group. */
  groupId?: string;
}

export interface SandboxSecurityGroup {
  id: string;
  name: string;
  ingress: SgRule[];
  egress: SgRule[];
}

export interface AclEntry {
  ruleNumber: number;
  egress: boolean;
  protocol: RuleProtocol;
  from: number;
  to: number;
  cidr: string;
  action: 'allow' | 'deny';
}

export interface SandboxAcl {
  id: string;
  name: string;
  entries: AclEntry[]; // the implicit "*" deny (rule 32767) is added by the evaluator
}

export interface SandboxRouteTable {
  id: string;
  name: string;
  routes: { destination: string; target: string /* 'local' or igw-… */ }[];
}

export interface SandboxSubnet {
  id: string;
  name: string;
  cidr: string;
  routeTableId: string;
  aclId: string;
}

export interface SandboxInstance {
  id: string;
  name: string;
  state: 'running' | 'stopped';
  subnetId: string;
  eniId: string;
  privateIp: string;
  publicIp?: string;
  securityGroupIds: string[];
}

export interface SandboxWorld {
  accountId: string;
  vpc: { id: string; name: string; cidr: string };
  internetGateway: { id: string; name: string };
  subnets: SandboxSubnet[];
  routeTables: SandboxRouteTable[];
  acls: SandboxAcl[];
  securityGroups: SandboxSecurityGroup[];
  instances: SandboxInstance[];
}

/** Valid-looking (hex) ids, so the same grammar that recognises real ids recognises these. */
const id = (prefix: string, tag: string) => `${prefix}-0${tag.padStart(16, '0')}`;

export const SANDBOX_IDS = {
  igw: id('igw', 'a1'),
  subnetPublic: id('subnet', 'a'),
  subnetPrivate: id('subnet', 'b'),
  rtbPublic: id('rtb', 'a'),
  rtbPrivate: id('rtb', 'b'),
  aclPublic: id('acl', 'a'),
  aclPrivate: id('acl', 'b'),
  webSg: id('sg', 'eb'),
  dbSg: id('sg', 'db'),
  cacheSg: id('sg', 'cac'),
  web1: id('i', 'eb1'),
  db1: id('i', 'db1'),
  cache1: id('i', 'cac1'),
  web1Eni: id('eni', 'eb1'),
  db1Eni: id('eni', 'db1'),
  cache1Eni: id('eni', 'cac1'),
} as const;

const all = { protocol: 'all' as const, from: 0, to: 65535 };

/** A fresh copy each call, so a test (or a playground session) can change its own world safely. */
export function createSandboxWorld(): SandboxWorld {
  const S = SANDBOX_IDS;
  return {
    accountId: '123456789012',
    vpc: { id: 'vpc-0sandbox', name: 'sandbox', cidr: '10.0.0.0/16' },
    internetGateway: { id: S.igw, name: 'sandbox-igw' },
    subnets: [
      { id: S.subnetPublic, name: 'public-a', cidr: '10.0.1.0/24', routeTableId: S.rtbPublic, aclId: S.aclPublic },
      { id: S.subnetPrivate, name: 'private-a', cidr: '10.0.2.0/24', routeTableId: S.rtbPrivate, aclId: S.aclPrivate },
    ],
    routeTables: [
      { id: S.rtbPublic, name: 'public-rt', routes: [{ destination: '10.0.0.0/16', target: 'local' }, { destination: '0.0.0.0/0', target: S.igw }] },
      { id: S.rtbPrivate, name: 'private-rt', routes: [{ destination: '10.0.0.0/16', target: 'local' }] },
    ],
    acls: [
      {
        id: S.aclPublic,
        name: 'public-acl',
        entries: [
          { ruleNumber: 100, egress: false, ...all, cidr: '0.0.0.0/0', action: 'allow' },
          { ruleNumber: 100, egress: true, ...all, cidr: '0.0.0.0/0', action: 'allow' },
        ],
      },
      {
        id: S.aclPrivate,
        name: 'private-acl',
        entries: [
          { ruleNumber: 100, egress: false, ...all, cidr: '10.0.0.0/16', action: 'allow' },
          { ruleNumber: 200, egress: false, protocol: 'tcp', from: 1024, to: 65535, cidr: '0.0.0.0/0', action: 'allow' },
          { ruleNumber: 100, egress: true, ...all, cidr: '0.0.0.0/0', action: 'allow' },
        ],
      },
    ],
    securityGroups: [
      {
        id: S.webSg,
        name: 'web-sg',
        ingress: [
          { protocol: 'tcp', from: 443, to: 443, cidr: '0.0.0.0/0' },
          { protocol: 'tcp', from: 22, to: 22, cidr: '10.0.0.0/16' },
        ],
        egress: [{ ...all, cidr: '0.0.0.0/0' }],
      },
      // The broken rule: 5433 where the database listens on 5432.
      { id: S.dbSg, name: 'db-sg', ingress: [{ protocol: 'tcp', from: 5433, to: 5433, groupId: S.webSg }], egress: [{ ...all, cidr: '0.0.0.0/0' }] },
      { id: S.cacheSg, name: 'cache-sg', ingress: [{ protocol: 'tcp', from: 6379, to: 6379, groupId: S.webSg }], egress: [{ ...all, cidr: '0.0.0.0/0' }] },
    ],
    instances: [
      { id: S.web1, name: 'web-1', state: 'running', subnetId: S.subnetPublic, eniId: S.web1Eni, privateIp: '10.0.1.10', publicIp: '203.0.113.10', securityGroupIds: [S.webSg] },
      { id: S.db1, name: 'db-1', state: 'running', subnetId: S.subnetPrivate, eniId: S.db1Eni, privateIp: '10.0.2.20', securityGroupIds: [S.dbSg] },
      { id: S.cache1, name: 'cache-1', state: 'running', subnetId: S.subnetPrivate, eniId: S.cache1Eni, privateIp: '10.0.2.30', securityGroupIds: [S.cacheSg] },
    ],
  };
}
