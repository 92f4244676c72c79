import type { Template, TemplateAction, TemplateTarget } from '../../chaos/model';

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

/** A template as FIS stores it; its `Name` tag is its name. */
function template(id: string, name: string, description: string, tags: Record<string, string>, parts: Pick<Template, 'targets' | 'actions' | 'stopConditions'>): Template {
  return { ...base, id, name, description, tags: { Name: name, ...tags }, roleArn, ...parts };
}

/** A target selected by tags only (no ARNs), as the sandbox's templates all are. */
function target(name: string, resourceType: string, resourceTags: Record<string, string>, selectionMode: string, filters: TemplateTarget['filters'] = []): TemplateTarget {
  return { name, resourceType, resourceArns: [], resourceTags, filters, selectionMode, parameters: {} };
}

function action(name: string, actionId: string, targets: Record<string, string>, parameters: Record<string, string>, more: { description?: string; startAfter?: string[] } = {}): TemplateAction {
  const described = more.description === undefined ? {} : { description: more.description };
  return { name, actionId, ...described, parameters, targets, startAfter: more.startAfter ?? [] };
}

/** Four templates: one allowed by tag with stop conditions, one without stop conditions, one that fails mid-way. */
export function sandboxTemplates(): SandboxTemplate[] {
  const webInstances = { Instances: 'web-instances' };
  return [
    {
      template: template('EXTsbxcpuweb0001', 'cpu-stress-web', 'CPU then memory stress on two web instances', { 'lookout:allowed': 'true', team: 'web' }, {
        targets: [target('web-instances', 'aws:ec2:instance', { Role: 'web' }, 'COUNT(2)', [{ path: 'State.Name', values: ['running'] }])],
        actions: [
          action('stress-cpu', 'aws:ssm:send-command', webInstances, { duration: 'PT2M' }, { description: 'CPU stress 80%' }),
          action('stress-memory', 'aws:ssm:send-command', webInstances, { duration: 'PT1M' }, { description: 'Memory stress', startAfter: ['stress-cpu'] }),
        ],
        stopConditions: [alarm('web-5xx-high')],
      }),
      behaviour: {},
    },
    {
      template: template('EXTsbxkilldb0001', 'kill-db-primary', 'Reboot the primary database instance', { team: 'data' }, {
        targets: [target('db-primary', 'aws:ec2:instance', { Role: 'db', Primary: 'true' }, 'ALL')],
        actions: [action('reboot', 'aws:ec2:reboot-instances', { Instances: 'db-primary' }, {})],
        stopConditions: [{ source: 'none' }],
      }),
      behaviour: {},
    },
    {
      template: template('EXTsbxapitask001', 'stop-api-tasks', 'Stop half of the API tasks (its FIS role lacks a permission: fails mid-way)', { team: 'api' }, {
        targets: [target('api-tasks', 'aws:ecs:task', { Service: 'api' }, 'PERCENT(50)')],
        actions: [action('stop-tasks', 'aws:ecs:stop-task', { Tasks: 'api-tasks' }, { duration: 'PT2M' })],
        stopConditions: [alarm('api-latency-high')],
      }),
      behaviour: { failAction: { action: 'stop-tasks', afterMs: 60_000, reason: 'The FIS role is not authorized to perform ecs:StopTask (sandbox: simulated failure).' } },
    },
    {
      template: template('EXTsbxnetlat0001', 'network-latency-web', 'Add 200 ms of latency on one web instance', { team: 'web' }, {
        targets: [target('one-web', 'aws:ec2:instance', { Role: 'web' }, 'COUNT(1)')],
        actions: [action('latency', 'aws:ssm:send-command', { Instances: 'one-web' }, { duration: 'PT5M' }, { description: 'tc netem delay 200ms' })],
        stopConditions: [alarm('web-latency-high')],
      }),
      behaviour: {},
    },
  ];
}
