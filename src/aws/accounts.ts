import type { STSClient } from '@aws-sdk/client-sts';
import { lazy } from '../compose/lazy';
import type { Actor, AwsAccounts, AwsCredentials, AwsTarget } from '../ports/aws';
import type { Clock } from '../ports/clock';
import { mapAwsError } from './errors';
import { instrument, type AwsCallObserver } from './instrument';

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
 * an account without a role uses Lookout's own credentials (the SDK's default chain).
 */
export function createAwsAccounts(opts: { clock: Clock; sts?: (region: string) => STSClient; observe?: AwsCallObserver }): AwsAccounts {
  const makeSts = opts.sts ?? ((region: string) => instrument(new (stsSdk().STSClient)({ region, maxAttempts: 3 }), 'sts', opts.observe));
  const stsByRegion = new Map<string, STSClient>();
  const sts = (region: string) => {
    let c = stsByRegion.get(region);
    if (!c) stsByRegion.set(region, (c = makeSts(region)));
    return c;
  };
  const creds = new Map<string, Promise<AwsCredentials>>();
  const identities = new Map<string, Promise<{ accountId: string; arn: string }>>();

  const assume = (roleArn: string, region: string, actor: Actor): Promise<AwsCredentials> => {
    const key = `${roleArn}|${actor.teamId}|${actor.userId}`;
    const hit = creds.get(key);
    if (hit) {
      return hit.then((c) => (c.expiration && c.expiration.getTime() - opts.clock.now() > REFRESH_BEFORE_MS ? c : (creds.delete(key), assume(roleArn, region, actor))));
    }
    const p = (async (): Promise<AwsCredentials> => {
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
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      } catch (err) {
        creds.delete(key);
        throw mapAwsError(err, `assuming the role \`${roleArn}\``);
      }
    })();
    creds.set(key, p);
    return p;
  };

  return {
    async target(account, actor): Promise<AwsTarget> {
      const base = { accountName: account.name, accountId: account.accountId, region: account.region };
      if (!account.roleArn) return base;
      const roleArn = account.roleArn;
      await assume(roleArn, account.region, actor); // fail now, in the command, rather than in the first SDK call
      return { ...base, credentials: () => assume(roleArn, account.region, actor) };
    },
    identity(target) {
      const key = `${target.accountName}|${target.accountId ?? ''}`;
      let p = identities.get(key);
      if (!p) {
        const client = target.credentials ? instrument(new (stsSdk().STSClient)({ region: target.region, credentials: target.credentials, maxAttempts: 3 }), 'sts', opts.observe) : sts(target.region);
        p = client
          .send(new (stsSdk().GetCallerIdentityCommand)({}))
          .then((o) => ({ accountId: o.Account ?? 'unknown', arn: o.Arn ?? 'unknown' }))
          .catch((err) => {
            identities.delete(key);
            throw mapAwsError(err, 'asking STS who Lookout is');
          });
        identities.set(key, p);
      }
      return p;
    },
  };
}
