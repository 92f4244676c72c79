import fs from 'node:fs';
import path from 'node:path';

/**
 * The IAM policies of deploy/iam, read from the JSON files so the stacks and the hand-written policies never drift
 * apart (one source of truth; test/unit/packaging/iam-coverage.test.ts holds those files to Lookout's code).
 */
export const IAM_DIR = path.join(import.meta.dirname, '..', '..', 'iam');

export interface PolicyJson {
  Version: string;
  Statement: { Sid?: string; Effect: string; Action: string | string[]; Resource?: string | string[]; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> }[];
}

export type PolicyName = 'lookout-runtime' | 'lookout-query' | 'lookout-chaos' | 'trust-policy';

export function readPolicy(name: PolicyName): PolicyJson {
  return JSON.parse(fs.readFileSync(path.join(IAM_DIR, `${name}.json`), 'utf8')) as PolicyJson;
}

/** The trust policy with Lookout's account id in place of the `LOOKOUT_ACCOUNT_ID` placeholder. */
export function trustPolicy(lookoutAccountId: string): PolicyJson {
  if (!/^\d{12}$/.test(lookoutAccountId)) throw new Error(`lookoutAccountId must be a 12-digit AWS account id, got ${JSON.stringify(lookoutAccountId)}`);
  return JSON.parse(JSON.stringify(readPolicy('trust-policy')).replaceAll('LOOKOUT_ACCOUNT_ID', lookoutAccountId)) as PolicyJson;
}

/** How lookout-query.json names the Managed Grafana workspace: any region and account, an id to fill in. */
export const GRAFANA_WORKSPACE_PLACEHOLDER = 'arn:aws:grafana:*:*:/workspaces/GRAFANA_WORKSPACE_ID';

/**
 * lookout-query for one account: the Managed Grafana token statement scoped to that account's workspace, or left out
 * where the account has none (then the role has no Grafana permission at all).
 */
export function queryPolicy(grafanaWorkspaceArn?: string): PolicyJson {
  const policy = readPolicy('lookout-query');
  const grafana = policy.Statement.filter((s) => s.Resource === GRAFANA_WORKSPACE_PLACEHOLDER);
  if (grafana.length !== 1) throw new Error(`expected one statement on ${GRAFANA_WORKSPACE_PLACEHOLDER} in lookout-query.json, found ${grafana.length}`);
  if (grafanaWorkspaceArn) grafana[0].Resource = grafanaWorkspaceArn;
  else policy.Statement = policy.Statement.filter((s) => s !== grafana[0]);
  return policy;
}

/** The file's template tag, `lookout:allowed=true` (product.md's `chaos.templateTag` example). */
export const DEFAULT_TEMPLATE_TAG = { key: 'lookout:allowed', value: 'true' } as const;

/**
 * lookout-chaos with the `aws:ResourceTag` condition on starting rewritten to the deployment's `chaos.templateTag`,
 * so the account refuses what Lookout's own policy check refuses.
 */
export function chaosPolicy(templateTag: { key: string; value: string } = DEFAULT_TEMPLATE_TAG): PolicyJson {
  const policy = readPolicy('lookout-chaos');
  const from = `aws:ResourceTag/${DEFAULT_TEMPLATE_TAG.key}`;
  let rewritten = 0;
  for (const s of policy.Statement) {
    const equals = s.Condition?.StringEquals;
    if (equals && from in equals) {
      delete equals[from];
      equals[`aws:ResourceTag/${templateTag.key}`] = templateTag.value;
      rewritten++;
    }
  }
  if (rewritten !== 1) throw new Error(`expected one template-tag condition in lookout-chaos.json, found ${rewritten}`);
  return policy;
}
