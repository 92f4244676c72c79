import type { Config } from '../config/types';
import type { AwsAccounts } from '../ports/aws';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import { createReachabilityAdapter } from '../aws/reachability';
import { createSandboxReachabilityFactory } from '../sandbox/reach';
import { createReachService, type ReachService } from '../reach';

/** /reach over the EC2 adapter, or over the sandbox VPC in the playground. */
export function composeReach(o: { config: Config; accounts: AwsAccounts; clock: Clock; store: Store; sandbox: boolean }): ReachService {
  const reachability = o.sandbox ? createSandboxReachabilityFactory({ clock: o.clock }) : (t: Parameters<typeof createReachabilityAdapter>[0]) => createReachabilityAdapter(t, o.clock);
  const accountsByName = o.config.lookout.accounts;
  return createReachService({
    reachability,
    store: o.store,
    clock: o.clock,
    minWatchIntervalMs: o.config.lookout.reach.minWatchIntervalMs,
    // The 30-day sweep acts for Lookout itself, not a person: its role session is named after Lookout.
    targets: (ref) => {
      const acct = accountsByName[ref.accountName];
      return o.accounts.target({ name: ref.accountName, roleArn: acct?.roleArn, accountId: ref.accountId ?? acct?.accountId, region: ref.region }, { teamId: 'lookout', userId: 'sweeper' });
    },
  });
}
