import type { LookoutConfig, RuntimeEnv } from '../config/types';
import type { Actor, AwsAccounts, AwsTarget } from '../ports/aws';
import { LookoutError } from '../errors';
import { channelPolicy } from './channel-policy';
import { inlineCode } from './refusals';

/** The AWS account and region a command runs against. No roleArn: Lookout's own credentials. */
export interface ResolvedAccount {
  name: string;
  roleArn?: string;
  accountId?: string;
  region: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Picks the account (`--account` only among the channel's `accounts`) and the region, by product.md §1:
 * `--region` > accounts.<name>.region > aws.region > AWS_REGION. Without `accounts` in the configuration
 * Lookout acts with its own credentials, under the channel's account label or 'default'.
 */
export function resolveAccount(
  cfg: LookoutConfig,
  env: Pick<RuntimeEnv, 'awsRegion'>,
  channelId: string,
  requested: { account?: string; region?: string } = {},
): ResolvedAccount {
  const name = pickAccountName(cfg, channelId, requested.account);
  const account = cfg.accounts[name];
  if (requested.region !== undefined && !REGION.test(requested.region)) {
    throw new LookoutError('usage', `${inlineCode(requested.region)} is not an AWS region name (for example \`us-east-1\`).`);
  }
  const region = requested.region ?? account?.region ?? cfg.aws.region ?? env.awsRegion;
  if (!region) {
    throw new LookoutError(
      'config',
      `No AWS region is set for account ${inlineCode(name)}. Pass \`--region\`, or set \`region\` under \`accounts.${name}\` or \`aws.region\` in lookout.yml, or \`AWS_REGION\` in Lookout’s environment.`,
    );
  }
  return { name, roleArn: account?.roleArn, accountId: account?.accountId, region };
}

function pickAccountName(cfg: LookoutConfig, channelId: string, requested: string | undefined): string {
  const { account, accounts } = channelPolicy(cfg, channelId);
  if (requested === undefined) return account ?? accounts[0] ?? 'default';
  if (accounts.includes(requested)) return requested;
  if (accounts.length === 0) {
    throw new LookoutError(
      'usage',
      `This channel has no AWS accounts to choose from, so \`--account\` does not apply here: Lookout uses its own credentials. Run the command without \`--account\`.`,
    );
  }
  const choices = accounts.map(inlineCode).join(', ');
  if (cfg.accounts[requested] === undefined) {
    throw new LookoutError('usage', `There is no account named ${inlineCode(requested)}. This channel may use ${choices}.`);
  }
  throw new LookoutError(
    'forbidden',
    `Account ${inlineCode(requested)} isn’t available in this channel; it may use ${choices}. To change that, add it to this channel’s \`accounts\` in lookout.yml.`,
  );
}

/**
 * Every account lookout.yml names (under `accounts` and in channels), each with its region by the same rule as
 * resolveAccount; without any, Lookout's own credentials as `default`. For `/chaos halt`, which acts everywhere.
 * Accounts without a region cannot be reached and are returned apart, so the answer can say so.
 */
export function configuredAccounts(
  cfg: LookoutConfig,
  env: Pick<RuntimeEnv, 'awsRegion'>,
): { accounts: ResolvedAccount[]; withoutRegion: string[] } {
  const names = new Set(Object.keys(cfg.accounts));
  for (const ch of Object.values(cfg.channels)) [ch.account, ...(ch.accounts ?? [])].forEach((n) => n && names.add(n));
  if (names.size === 0) names.add('default');
  const accounts: ResolvedAccount[] = [];
  const withoutRegion: string[] = [];
  for (const name of [...names].sort()) {
    const account = cfg.accounts[name];
    const region = account?.region ?? cfg.aws.region ?? env.awsRegion;
    if (region) accounts.push({ name, roleArn: account?.roleArn, accountId: account?.accountId, region });
    else withoutRegion.push(name);
  }
  return { accounts, withoutRegion };
}

/**
 * The one account → target lookup: the account's configured role and id, assumed for `actor` (SourceIdentity).
 * Commands, stored requests, watched experiments, the path sweep, metrics, Grafana and the status checks all go
 * through it.
 */
export function accountTarget(
  accounts: AwsAccounts,
  cfg: Pick<LookoutConfig, 'accounts'>,
  ref: { name: string; accountId?: string; region: string },
  actor: Actor,
): Promise<AwsTarget> {
  const acct = cfg.accounts[ref.name];
  return accounts.target({ name: ref.name, roleArn: acct?.roleArn, accountId: ref.accountId ?? acct?.accountId, region: ref.region }, actor);
}
