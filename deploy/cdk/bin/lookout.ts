import { App } from 'aws-cdk-lib';
import { AccountRoleStack } from '../lib/account-role-stack.ts';
import { LookoutStack } from '../lib/lookout-stack.ts';

/**
 * `cdk deploy` entry. Context (-c key=value or cdk.json):
 *   image=URI (required for the Lookout stack)  mode=http|socket  certificateArn=ARN  configPath=/etc/lookout/lookout.yml
 *   lookoutAccount=123456789012 (the account Lookout runs in)  region=eu-west-1 (of the role stacks; IAM is global)
 *   targetAccounts=111111111111,222222222222  chaosAccounts=111111111111  templateTag=lookout:allowed=true
 *   grafanaWorkspace=111111111111:g-0123abcd[:eu-west-1] (lookout.yml's grafana.amg: the account holding the
 *   workspace, its id, its region when not `region`; only that account's role may mint Grafana tokens, for it only)
 */
const app = new App();
const ctx = (key: string): string | undefined => {
  const v = app.node.tryGetContext(key) as unknown;
  return v === undefined || v === '' ? undefined : String(v);
};
const ids = (key: string) => (ctx(key) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const lookoutAccount = ctx('lookoutAccount');
const region = ctx('region') ?? process.env.CDK_DEFAULT_REGION;
const [tagKey, tagValue] = (ctx('templateTag') ?? 'lookout:allowed=true').split('=');

const image = ctx('image');
if (image) {
  const mode = ctx('mode') ?? 'http';
  if (mode !== 'http' && mode !== 'socket') throw new Error(`mode must be http or socket, got ${mode}`);
  new LookoutStack(app, 'Lookout', {
    // Env-agnostic: deploys to the CLI's account and region, and synthesizes without AWS calls (no AZ lookup).
    mode,
    image,
    certificateArn: ctx('certificateArn'),
    configPath: ctx('configPath'),
  });
}
const [grafanaAccount, grafanaId, grafanaRegion] = (ctx('grafanaWorkspace') ?? '').split(':');
if (grafanaAccount && !ids('targetAccounts').includes(grafanaAccount)) throw new Error(`grafanaWorkspace names account ${grafanaAccount}, which is not in targetAccounts`);
for (const account of ids('targetAccounts')) {
  if (!lookoutAccount) throw new Error('targetAccounts needs lookoutAccount (the account Lookout runs in)');
  new AccountRoleStack(app, `LookoutRole-${account}`, {
    env: { account, region },
    lookoutAccountId: lookoutAccount,
    chaos: ids('chaosAccounts').includes(account),
    templateTag: { key: tagKey, value: tagValue ?? '' },
    grafanaWorkspace: account === grafanaAccount ? { id: grafanaId ?? '', region: grafanaRegion } : undefined,
  });
}
