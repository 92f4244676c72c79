/** Lookups over the sandbox world, and ComponentRefs shaped like the analyser's (id, Name tag, ARN). */
import type { ComponentRef } from '../../reach/model';
import type { SandboxAcl, SandboxRouteTable, SandboxSecurityGroup, SandboxSubnet, SandboxWorld } from '../world';

export interface WorldIndex {
  world: SandboxWorld;
  ref(id: string): ComponentRef;
  subnet(id: string): SandboxSubnet;
  routeTable(id: string): SandboxRouteTable;
  acl(id: string): SandboxAcl;
  group(id: string): SandboxSecurityGroup;
}

const ARN_TYPES: Record<string, string> = {
  i: 'instance',
  eni: 'network-interface',
  sg: 'security-group',
  acl: 'network-acl',
  rtb: 'route-table',
  subnet: 'subnet',
  vpc: 'vpc',
  igw: 'internet-gateway',
};

export function indexWorld(world: SandboxWorld, region: string): WorldIndex {
  const names = new Map<string, string>();
  const add = (id: string, name: string) => names.set(id, name);
  add(world.vpc.id, world.vpc.name);
  add(world.internetGateway.id, world.internetGateway.name);
  for (const x of [...world.subnets, ...world.routeTables, ...world.acls, ...world.securityGroups, ...world.instances]) add(x.id, x.name);
  const must = <T extends { id: string }>(list: T[], id: string, what: string): T => {
    const found = list.find((x) => x.id === id);
    if (!found) throw new Error(`sandbox world has no ${what} ${id}`);
    return found;
  };
  return {
    world,
    ref(id) {
      const type = ARN_TYPES[id.slice(0, id.indexOf('-'))] ?? 'resource';
      const name = names.get(id);
      return { id, ...(name ? { name } : {}), arn: `arn:aws:ec2:${region}:${world.accountId}:${type}/${id}` };
    },
    subnet: (id) => must(world.subnets, id, 'subnet'),
    routeTable: (id) => must(world.routeTables, id, 'route table'),
    acl: (id) => must(world.acls, id, 'network ACL'),
    group: (id) => must(world.securityGroups, id, 'security group'),
  };
}
