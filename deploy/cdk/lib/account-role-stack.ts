import { CfnOutput, Stack, type StackProps, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { chaosPolicy, readPolicy, trustPolicy } from './policies.ts';

export interface AccountRoleStackProps extends StackProps {
  /** The account Lookout runs in: only its `lookout-runtime` role may assume this one (deploy that stack first). */
  lookoutAccountId: string;
  /** Attach lookout-chaos too, so `/chaos run` can start experiments here. Off by default. */
  chaos?: boolean;
  /** lookout.yml's `chaos.templateTag`; the policy starts only templates carrying it. Default `lookout:allowed=true`. */
  templateTag?: { key: string; value: string };
}

/** The role named `lookout` that Lookout assumes in a target account, with the person as SourceIdentity. */
export class AccountRoleStack extends Stack {
  constructor(scope: Construct, id: string, props: AccountRoleStackProps) {
    super(scope, id, props);
    const policies: iam.CfnRole.PolicyProperty[] = [{ policyName: 'lookout-query', policyDocument: readPolicy('lookout-query') }];
    if (props.chaos) policies.push({ policyName: 'lookout-chaos', policyDocument: chaosPolicy(props.templateTag) });
    // CfnRole takes the JSON as written (an L2 Role would rebuild the trust policy from a principal).
    const role = new iam.CfnRole(this, 'LookoutRole', {
      roleName: 'lookout',
      description: 'Assumed by Lookout (Slack chat-ops) with the Slack person as SourceIdentity',
      assumeRolePolicyDocument: trustPolicy(props.lookoutAccountId),
      policies,
      maxSessionDuration: 3600,
    });
    new CfnOutput(this, 'RoleArn', { value: role.attrArn, description: 'accounts.<name>.roleArn in lookout.yml' });
  }
}
