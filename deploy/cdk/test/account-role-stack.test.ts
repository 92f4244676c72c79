import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountRoleStack } from '../lib/account-role-stack.ts';
import { chaosPolicy, readPolicy, type PolicyJson } from '../lib/policies.ts';
import { actionsIn } from './template-helpers.ts';

const app = new App();
const stacks = [
  new AccountRoleStack(app, 'Query', { lookoutAccountId: '123456789012' }),
  new AccountRoleStack(app, 'Chaos', { lookoutAccountId: '123456789012', chaos: true, templateTag: { key: 'team', value: 'sre' } }),
  new AccountRoleStack(app, 'Grafana', { env: { account: '111111111111', region: 'eu-west-1' }, lookoutAccountId: '123456789012', grafanaWorkspace: { id: 'g-0123abcd' } }),
  new AccountRoleStack(app, 'GrafanaElsewhere', { lookoutAccountId: '123456789012', grafanaWorkspace: { id: 'g-0123abcd', region: 'us-east-1' } }),
];
const [queryOnly, withChaos, withGrafana, grafanaInRegion] = stacks.map((s) => Template.fromStack(s)); // build every stack before the first synthesis
const roleOf = (t: Template) => {
  const roles = Object.values(t.findResources('AWS::IAM::Role'));
  assert.equal(roles.length, 1);
  return roles[0].Properties as { RoleName: string; AssumeRolePolicyDocument: unknown; Policies: { PolicyName: string; PolicyDocument: unknown }[] };
};

describe('per-account role stack', () => {
  it('creates the role `lookout`, trusted only by lookout-runtime and only with a slack-* SourceIdentity', () => {
    const role = roleOf(queryOnly);
    assert.equal(role.RoleName, 'lookout');
    assert.deepEqual(role.AssumeRolePolicyDocument, {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'LookoutAssumesWithPersonAsSourceIdentity',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:role/lookout-runtime' },
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
          Condition: { StringLike: { 'sts:SourceIdentity': 'slack-*' } },
        },
      ],
    });
  });

  it('attaches lookout-query as written but for Grafana, and lookout-chaos only when asked', () => {
    const written = readPolicy('lookout-query');
    const withoutGrafana = { ...written, Statement: written.Statement.filter((st) => st.Sid !== 'GrafanaShortLivedTokens') };
    assert.deepEqual(roleOf(queryOnly).Policies, [{ PolicyName: 'lookout-query', PolicyDocument: withoutGrafana }]);
    assert.deepEqual(roleOf(withChaos).Policies.map((p) => p.PolicyName), ['lookout-query', 'lookout-chaos']);
  });

  it('lets only the account with the Grafana workspace mint tokens, and only for that workspace', () => {
    const grafanaOf = (t: Template) => (roleOf(t).Policies[0].PolicyDocument as PolicyJson).Statement.filter((st) => JSON.stringify(st.Action).includes('grafana:'));
    assert.deepEqual(grafanaOf(queryOnly), []);
    assert.deepEqual(grafanaOf(withGrafana), [
      {
        Sid: 'GrafanaShortLivedTokens',
        Effect: 'Allow',
        Action: ['grafana:DescribeWorkspace', 'grafana:CreateWorkspaceServiceAccountToken', 'grafana:DeleteWorkspaceServiceAccountToken'],
        // The partition resolves at deploy time (aws, aws-cn, aws-us-gov); account and region are the stack's.
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':grafana:eu-west-1:111111111111:/workspaces/g-0123abcd']] },
      },
    ]);
    // An environment-agnostic stack: partition and account resolve at deploy time; the region is the workspace's.
    assert.deepEqual(grafanaOf(grafanaInRegion)[0].Resource, {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':grafana:us-east-1:', { Ref: 'AWS::AccountId' }, ':/workspaces/g-0123abcd']],
    });
  });

  it('refuses a Grafana workspace id that is not one', () => {
    assert.throws(() => new AccountRoleStack(new App(), 'BadGrafana', { lookoutAccountId: '123456789012', grafanaWorkspace: { id: 'GRAFANA_WORKSPACE_ID' } }), /g-0123abcd/);
  });

  it("scopes starting to the deployment's chaos.templateTag, and only starting", () => {
    const chaos = roleOf(withChaos).Policies[1].PolicyDocument as ReturnType<typeof readPolicy>;
    assert.deepEqual(chaos, chaosPolicy({ key: 'team', value: 'sre' }));
    const conditioned = chaos.Statement.filter((s) => s.Condition);
    assert.deepEqual(conditioned.map((s) => [s.Action, s.Resource, s.Condition]), [
      [['fis:StartExperiment'], 'arn:aws:fis:*:*:experiment-template/*', { StringEquals: { 'aws:ResourceTag/team': 'sre' } }],
    ]);
  });

  it('refuses an account id that is not one', () => {
    assert.throws(() => new AccountRoleStack(new App(), 'Bad', { lookoutAccountId: 'LOOKOUT_ACCOUNT_ID' }), /12-digit/);
  });

  it('least privilege: no "*" actions', () => {
    for (const t of [queryOnly, withChaos, withGrafana, grafanaInRegion]) assert.deepEqual(actionsIn(t).filter((a) => a.includes('*')), []);
  });
});
