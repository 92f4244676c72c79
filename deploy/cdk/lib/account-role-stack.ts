import { CfnOutput, Stack, type StackProps, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { chaosPolicy, queryPolicy, trustPolicy } from './policies.ts';

export interface AccountRoleStackProps extends StackProps {
  /** The account Lookout runs in: only its `lookout-runtime` role may assume this one (deploy that stack first). */
  lookoutAccountId: string;
  /** Attach lookout-chaos too, so `/chaos run` can start experiments here. Off by default. */
  chaos?: boolean;
  /** lookout.yml's `chaos.templateTag`; the policy starts only templates carrying it. Default `lookout:allowed=true`. */
  templateTag?: { key: string; value: string };
  /**
   * lookout.yml's `grafana.amg.workspaceId` when its workspace is in this account (and `region`, when not the
   * stack's): the Grafana token permissions apply to that workspace only. Without it the role has none.
   */
  grafanaWorkspace?: { id: string; region?: string };
}

/** `arn:${Partition}:grafana:${Region}:${Account}:/workspaces/${ResourceId}` (Service Authorization Reference). */
function grafanaWorkspaceArn(stack: Stack, workspace: { id: string; region?: string }): string {
  if (!/^g-[A-Za-z0-9]+$/.test(workspace.id)) throw new Error(`grafanaWorkspace.id must be a workspace id like g-0123abcd, got ${JSON.stringify(workspace.id)}`);
  return `arn:${stack.partition}:grafana:${workspace.region ?? stack.region}:${stack.account}:/workspaces/${workspace.id}`;
}

/** The role named `lookout` that Lookout assumes in a target account, with the person as SourceIdentity. */
export class AccountRoleStack extends Stack {
  constructor(scope: Construct, id: string, props: AccountRoleStackProps) {
    super(scope, id, props);
    const grafana = props.grafanaWorkspace && grafanaWorkspaceArn(this, props.grafanaWorkspace);
    const policies: iam.CfnRole.PolicyProperty[] = [{ policyName: 'lookout-query', policyDocument: queryPolicy(grafana) }];
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
