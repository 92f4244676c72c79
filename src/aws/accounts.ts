import type { STSClient } from '@aws-sdk/client-sts';
import { lazy } from '../compose/lazy';
import type { Actor, AwsAccounts, AwsCredentials, AwsTarget } from '../ports/aws';
import type { Clock } from '../ports/clock';
import { mapAwsError } from './errors';
import { instrument, type AwsCallObserver } from './instrument';
import { sdkTimeouts } from './sdk-client';
import type { OutboundPolicy } from '../outbound';

// STS loads with the first AWS call, not at start: ~10 MiB of RSS that an idle Lookout and /lookout help never use.
const stsSdk = lazy(() => require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts'));

/** Refresh assumed-role credentials this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;
const SESSION_SECONDS = 3600;

/** `slack-<team>-<user>`: what CloudTrail shows as the SourceIdentity of everything Lookout does for a person. */
export function sourceIdentity(actor: Actor): string {
  return `slack-${actor.teamId}-${actor.userId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/**
 * Accounts from lookout.yml: a role is assumed with STS per (role, person) and cached until shortly before expiry;
 * an account without a role uses Lookout's own credentials (the SDK's default chain). Only answers are cached, never
 * a call in flight or a failure: a hung or refused STS call fails that command (after the outbound timeout), and
 * the next command asks STS again.
 */
export function createAwsAccounts(opts: { clock: Clock; sts?: (region: string) => STSClient; observe?: AwsCallObserver; outbound?: OutboundPolicy }): AwsAccounts {
  const stsClient = (region: string, credentials?: AwsTarget['credentials']) =>
    instrument(new (stsSdk().STSClient)({ region, ...(credentials ? { credentials } : {}), maxAttempts: 3, ...sdkTimeouts(opts.outbound) }), 'sts', opts.observe);
  const makeSts = opts.sts ?? ((region: string) => stsClient(region));
  const stsByRegion = new Map<string, STSClient>();
  const sts = (region: string) => {
    let c = stsByRegion.get(region);
    if (!c) stsByRegion.set(region, (c = makeSts(region)));
    return c;
  };
  const creds = new Map<string, AwsCredentials>();
  const identities = new Map<string, { accountId: string; arn: string }>();

  const assume = async (roleArn: string, region: string, actor: Actor): Promise<AwsCredentials> => {
    const key = `${roleArn}|${actor.teamId}|${actor.userId}`;
    const hit = creds.get(key);
    if (hit?.expiration && hit.expiration.getTime() - opts.clock.now() > REFRESH_BEFORE_MS) return hit;
    try {
      const out = await sts(region).send(
        new (stsSdk().AssumeRoleCommand)({
          RoleArn: roleArn,
          RoleSessionName: `lookout-${actor.userId}`.slice(0, 64),
          SourceIdentity: sourceIdentity(actor),
          DurationSeconds: SESSION_SECONDS,
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
      const fresh = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      creds.set(key, fresh);
      return fresh;
    } catch (err) {
      throw mapAwsError(err, `assuming the role \`${roleArn}\``);
    }
  };

  return {
    async target(account, actor): Promise<AwsTarget> {
      const base = { accountName: account.name, accountId: account.accountId, region: account.region };
      if (!account.roleArn) return base;
      const roleArn = account.roleArn;
      await assume(roleArn, account.region, actor); // fail now, in the command, rather than in the first SDK call
      return { ...base, credentials: () => assume(roleArn, account.region, actor) };
    },
    async identity(target) {
      const key = `${target.accountName}|${target.accountId ?? ''}`;
      const known = identities.get(key);
      if (known) return known;
      const client = target.credentials ? stsClient(target.region, target.credentials) : sts(target.region);
      try {
        const o = await client.send(new (stsSdk().GetCallerIdentityCommand)({}));
        const found = { accountId: o.Account ?? 'unknown', arn: o.Arn ?? 'unknown' };
        identities.set(key, found);
        return found;
      } catch (err) {
        throw mapAwsError(err, 'asking STS who Lookout is');
      }
    },
  };
}
