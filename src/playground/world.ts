import { createSandboxWorld } from '../sandbox/world';
import type { PlaygroundOptions } from './server';

export const PLAYGROUND_CHANNEL = { id: 'C0PLAYGRND', name: 'lookout-playground' };
export const PLAYGROUND_USERS: PlaygroundOptions['users'] = [
  { id: 'U0ALICE01', name: 'alice', role: 'requester' },
  { id: 'U0BOB0001', name: 'bob', role: 'approver' },
  { id: 'U0CAROL01', name: 'carol', role: 'someone else' },
];

/** The playground's lookout.yml: everything allowed, bob approves chaos experiments, alice is an admin. */
export const PLAYGROUND_CONFIG = `
aws: { region: us-east-1 }
admins: [U0ALICE01]
chaos:
  approvalTtl: 30m
  maxRunning: 2
  guards:   # the sandbox's web 5xx rate jumps while cpu-stress-web runs, so this one trips
    - name: web-5xx
      expr: 'sum(rate(http_requests_total{service="web",code="500"}[1m])) > 5'
      for: 30s
      value: 'sum(rate(http_requests_total{service="web",code="500"}[1m]))'
      templates: [cpu-stress-web]
channels:
  default: { allow: ["*"], approvers: [U0BOB0001], minApprovals: 1 }
`;

/** The side panel: the sandbox account's resources and commands worth trying, the broken rule included. */
export function sandboxPanel(): NonNullable<PlaygroundOptions['sandbox']> {
  const world = createSandboxWorld();
  const sgName = (id: string) => world.securityGroups.find((g) => g.id === id)?.name ?? id;
  return {
    resources: [
      ...world.instances.map((i) => ({ kind: 'instance', name: i.name, id: i.id, note: `${i.privateIp} · ${i.securityGroupIds.map(sgName).join(', ')}` })),
      ...world.securityGroups.map((g) => ({
        kind: 'security group',
        name: g.name,
        id: g.id,
        ...(g.name === 'db-sg' ? { note: 'allows tcp/5433 from web-sg, but the database listens on 5432' } : {}),
      })),
      { kind: 'FIS template', name: 'cpu-stress-web', id: 'cpu-stress-web', note: 'CPU then memory stress on the web tier; has stop conditions and the guard web-5xx' },
      { kind: 'FIS template', name: 'kill-db-primary', id: 'kill-db-primary', note: 'no stop conditions: Lookout refuses to run it' },
      { kind: 'metrics', name: 'sample series', id: 'source="lookout-sandbox"', note: 'http_requests_total, up, node_cpu_seconds_total' },
    ],
    suggestions: [
      { command: '/reach web-1 -> db-1:5432', why: 'can the web tier reach the database? (find the broken rule)' },
      { command: '/reach web-1 -> cache-1:6379', why: 'a path that works, hop by hop' },
      { command: '/chaos run cpu-stress-web --reason "game day"', why: 'a guarded run that trips: switch to bob to approve; the errors it causes fire the web-5xx guard and Lookout stops it' },
      { command: '/metrics sum by (service) (rate(http_requests_total[5m])) --range 1h', why: 'a chart drawn by Lookout' },
      { command: '/grafana panel sandbox-overview "Request rate"', why: 'a Grafana panel rendered without a browser' },
      { command: '/lookout whoami', why: 'what you may do in this channel' },
      { command: '@Lookout help', why: 'the same grammar as a mention, answered in a thread' },
    ],
  };
}
