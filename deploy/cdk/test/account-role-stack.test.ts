import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountRoleStack } from '../lib/account-role-stack.ts';
import { chaosPolicy, readPolicy } from '../lib/policies.ts';
import { actionsIn } from './template-helpers.ts';

const app = new App();
const stacks = [
  new AccountRoleStack(app, 'Query', { lookoutAccountId: '123456789012' }),
  new AccountRoleStack(app, 'Chaos', { lookoutAccountId: '123456789012', chaos: true, templateTag: { key: 'team', value: 'sre' } }),
];
const [queryOnly, withChaos] = stacks.map((s) => Template.fromStack(s)); // build every stack before the first synthesis
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

  it('attaches lookout-query as written, and lookout-chaos only when asked', () => {
    assert.deepEqual(roleOf(queryOnly).Policies, [{ PolicyName: 'lookout-query', PolicyDocument: readPolicy('lookout-query') }]);
    assert.deepEqual(roleOf(withChaos).Policies.map((p) => p.PolicyName), ['lookout-query', 'lookout-chaos']);
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
    for (const t of [queryOnly, withChaos]) assert.deepEqual(actionsIn(t).filter((a) => a.includes('*')), []);
  });
});
