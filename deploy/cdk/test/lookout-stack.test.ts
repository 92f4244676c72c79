import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LookoutStack } from '../lib/lookout-stack.ts';
import { readPolicy } from '../lib/policies.ts';
import { actionsIn, containerOf } from './template-helpers.ts';

// Env-agnostic stacks: no account, no region, no lookups; synthesis needs neither credentials nor network.
const app = new App();
const httpStack = new LookoutStack(app, 'Http', { mode: 'http', image: 'lookout:test', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' });
const socketStack = new LookoutStack(app, 'Socket', { mode: 'socket', image: 'lookout:test' });
const [http, socket] = [httpStack, socketStack].map((s) => Template.fromStack(s)); // build every stack before the first synthesis

describe('Lookout stack', () => {
  it('runs Lookout as a Fargate service with rolling deploys that keep the old version up', () => {
    for (const t of [http, socket]) {
      t.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 100, DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
      });
    }
  });

  it('HTTP mode: an ALB over HTTPS forwards to port 3000 and checks /readyz', () => {
    http.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    http.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
    http.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 3000, Protocol: 'HTTP', HealthCheckPath: '/readyz', Matcher: { HttpCode: '200' } });
  });

  it("HTTP mode: only /slack/events is forwarded; /metrics and /readyz get the listener's 404", () => {
    http.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })],
    });
    http.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
    http.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/slack/events'] } }],
    });
  });

  it('HTTP mode refuses to build without a certificate: Slack sends nothing to a plain-HTTP URL', () => {
    assert.throws(() => new LookoutStack(new App(), 'NoCert', { mode: 'http', image: 'lookout:test' }), /certificateArn/);
  });

  it('Socket Mode: no load balancer and nothing may connect in', () => {
    socket.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    socket.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 0);
    const groups = Object.values(socket.findResources('AWS::EC2::SecurityGroup')).map((r) => r.Properties as { GroupDescription: string; SecurityGroupIngress?: unknown[] });
    const serviceGroup = groups.find((g) => /Service/.test(g.GroupDescription));
    assert.ok(serviceGroup, 'the service has its own security group');
    assert.equal(serviceGroup.SecurityGroupIngress, undefined);
  });

  it('Slack credentials come from Secrets Manager as ECS secrets, never as plain environment', () => {
    const expected = { http: ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'], socket: ['SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN'] };
    for (const [mode, t] of [['http', http], ['socket', socket]] as const) {
      const c = containerOf(t);
      const slack = c.Secrets.filter((s) => s.Name.startsWith('SLACK_'));
      assert.deepEqual(slack.map((s) => s.Name).sort(), expected[mode]);
      for (const s of slack) assert.match(JSON.stringify(s.ValueFrom), new RegExp(`secretsmanager.*:secret:lookout/slack:${s.Name}::`));
      assert.deepEqual(c.Environment.filter((e) => /SLACK|TOKEN|SECRET|PASSWORD/.test(e.Name)), []);
    }
  });

  it('the store is RDS Postgres, reached with DATABASE_URL postgres:// and the PG* fields of the RDS secret', () => {
    http.hasResourceProperties('AWS::RDS::DBInstance', { Engine: 'postgres', StorageEncrypted: true, DeletionProtection: true, DBName: 'lookout' });
    const c = containerOf(http);
    const env = Object.fromEntries(c.Environment.map((e) => [e.Name, e.Value]));
    assert.match(String(env.DATABASE_URL), /^postgres:\/\/\/lookout$/);
    assert.doesNotMatch(JSON.stringify(c.Environment), /sqlite/i);
    const dbSecrets = c.Secrets.filter((s) => s.Name.startsWith('PG'));
    assert.deepEqual(dbSecrets.map((s) => s.Name).sort(), ['PGHOST', 'PGPASSWORD', 'PGPORT', 'PGUSER']);
    // The RDS-generated secret (through its attachment to the instance), one JSON field each.
    const [attachment] = Object.keys(http.findResources('AWS::SecretsManager::SecretTargetAttachment'));
    const field = { PGHOST: 'host', PGPORT: 'port', PGUSER: 'username', PGPASSWORD: 'password' } as Record<string, string>;
    for (const s of dbSecrets) assert.deepEqual(s.ValueFrom, { 'Fn::Join': ['', [{ Ref: attachment }, `:${field[s.Name]}::`]] });
  });

  it('the task role is lookout-runtime with exactly the statements of deploy/iam/lookout-runtime.json', () => {
    const roles = Object.values(http.findResources('AWS::IAM::Role', { Properties: { RoleName: 'lookout-runtime' } }));
    assert.equal(roles.length, 1);
    const policies = roles[0].Properties.Policies as { PolicyName: string; PolicyDocument: unknown }[];
    assert.deepEqual(policies.map((p) => p.PolicyName), ['lookout-runtime']);
    assert.deepEqual(policies[0].PolicyDocument, readPolicy('lookout-runtime'));
    // The container's task role is that role, and nothing else grants Lookout more.
    const [task] = Object.values(http.findResources('AWS::ECS::TaskDefinition'));
    assert.match(JSON.stringify(task.Properties.TaskRoleArn), /RuntimeRole/);
    http.resourcePropertiesCountIs('AWS::IAM::Policy', { Roles: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('RuntimeRole') })]) }, 0);
  });

  it('least privilege: no policy in the stack grants "*" or a whole service', () => {
    for (const t of [http, socket]) {
      const actions = actionsIn(t);
      assert.ok(actions.length > 5);
      assert.deepEqual(actions.filter((a) => a.includes('*')), []);
    }
  });
});
