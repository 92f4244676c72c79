import type { Template } from '../../chaos/model';

/** The sandbox account's resources that templates can select (by tags), as FIS would resolve them. */
export interface SandboxResource {
  arn: string;
  id: string;
  resourceType: string;
  tags: Record<string, string>;
}

const ACCOUNT = '123456789012';
const ec2 = (id: string, tags: Record<string, string>): SandboxResource => ({
  arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${id}`,
  id,
  resourceType: 'aws:ec2:instance',
  tags,
});
const task = (n: number): SandboxResource => ({
  arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task/api-cluster/0a1b2c3d4e5f${n}`,
  id: `0a1b2c3d4e5f${n}`,
  resourceType: 'aws:ecs:task',
  tags: { Service: 'api' },
});

export const SANDBOX_ACCOUNT_ID = ACCOUNT;

export const SANDBOX_RESOURCES: SandboxResource[] = [
  ec2('i-0web00000000001', { Name: 'web-1', Role: 'web' }),
  ec2('i-0web00000000002', { Name: 'web-2', Role: 'web' }),
  ec2('i-0web00000000003', { Name: 'web-3', Role: 'web' }),
  ec2('i-0db000000000001', { Name: 'db-1', Role: 'db', Primary: 'true' }),
  ec2('i-0db000000000002', { Name: 'db-2', Role: 'db' }),
  task(1),
  task(2),
  task(3),
  task(4),
];

/** How a sandbox template behaves when it runs (beyond what FIS stores): a simulated failure mid-way. */
export interface SandboxBehaviour {
  failAction?: { action: string; afterMs: number; reason: string };
}

export interface SandboxTemplate {
  template: Template;
  behaviour: SandboxBehaviour;
}

const base = { createdAt: Date.UTC(2026, 0, 5), updatedAt: Date.UTC(2026, 5, 1) };
const roleArn = `arn:aws:iam::${ACCOUNT}:role/fis-experiments`;
const alarm = (name: string) => ({ source: 'aws:cloudwatch:alarm', value: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}` });

/** Four templates: one allowed by tag with stop conditions, one without stop conditions, one that fails mid-way. */
export function sandboxTemplates(): SandboxTemplate[] {
  return [
    {
      template: {
        ...base,
        id: 'EXTsbxcpuweb0001',
        name: 'cpu-stress-web',
        description: 'CPU then memory stress on two web instances',
        tags: { Name: 'cpu-stress-web', 'lookout:allowed': 'true', team: 'web' },
        roleArn,
        targets: [
          {
            name: 'web-instances',
            resourceType: 'aws:ec2:instance',
            resourceArns: [],
            resourceTags: { Role: 'web' },
            filters: [{ path: 'State.Name', values: ['running'] }],
            selectionMode: 'COUNT(2)',
            parameters: {},
          },
        ],
        actions: [
          { name: 'stress-cpu', actionId: 'aws:ssm:send-command', description: 'CPU stress 80%', parameters: { duration: 'PT2M' }, targets: { Instances: 'web-instances' }, startAfter: [] },
          { name: 'stress-memory', actionId: 'aws:ssm:send-command', description: 'Memory stress', parameters: { duration: 'PT1M' }, targets: { Instances: 'web-instances' }, startAfter: ['stress-cpu'] },
        ],
        stopConditions: [alarm('web-5xx-high')],
      },
      behaviour: {},
    },
    {
      template: {
        ...base,
        id: 'EXTsbxkilldb0001',
        name: 'kill-db-primary',
        description: 'Reboot the primary database instance',
        tags: { Name: 'kill-db-primary', team: 'data' },
        roleArn,
        targets: [
          { name: 'db-primary', resourceType: 'aws:ec2:instance', resourceArns: [], resourceTags: { Role: 'db', Primary: 'true' }, filters: [], selectionMode: 'ALL', parameters: {} },
        ],
        actions: [{ name: 'reboot', actionId: 'aws:ec2:reboot-instances', parameters: {}, targets: { Instances: 'db-primary' }, startAfter: [] }],
        stopConditions: [{ source: 'none' }],
      },
      behaviour: {},
    },
    {
      template: {
        ...base,
        id: 'EXTsbxapitask001',
        name: 'stop-api-tasks',
        description: 'Stop half of the API tasks (its FIS role lacks a permission: fails mid-way)',
        tags: { Name: 'stop-api-tasks', team: 'api' },
        roleArn,
        targets: [
          { name: 'api-tasks', resourceType: 'aws:ecs:task', resourceArns: [], resourceTags: { Service: 'api' }, filters: [], selectionMode: 'PERCENT(50)', parameters: {} },
        ],
        actions: [
          { name: 'stop-tasks', actionId: 'aws:ecs:stop-task', parameters: { duration: 'PT2M' }, targets: { Tasks: 'api-tasks' }, startAfter: [] },
        ],
        stopConditions: [alarm('api-latency-high')],
      },
      behaviour: { failAction: { action: 'stop-tasks', afterMs: 60_000, reason: 'The FIS role is not authorized to perform ecs:StopTask (sandbox: simulated failure).' } },
    },
    {
      template: {
        ...base,
        id: 'EXTsbxnetlat0001',
        name: 'network-latency-web',
        description: 'Add 200 ms of latency on one web instance',
        tags: { Name: 'network-latency-web', team: 'web' },
        roleArn,
        targets: [
          { name: 'one-web', resourceType: 'aws:ec2:instance', resourceArns: [], resourceTags: { Role: 'web' }, filters: [], selectionMode: 'COUNT(1)', parameters: {} },
        ],
        actions: [
          { name: 'latency', actionId: 'aws:ssm:send-command', description: 'tc netem delay 200ms', parameters: { duration: 'PT5M' }, targets: { Instances: 'one-web' }, startAfter: [] },
        ],
        stopConditions: [alarm('web-latency-high')],
      },
      behaviour: {},
    },
  ];
}
