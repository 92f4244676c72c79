import { accountTarget } from '../policy/accounts';
import { lazy } from './lazy';
import { createSandboxReachabilityFactory } from '../sandbox/reach';
import { createReachService, type ReachService } from '../reach';
import type { ComposeInput } from './types';
import type { AwsTarget } from '../ports/aws';

/** /reach over the EC2 adapter, or over the sandbox VPC in the playground. */
export function composeReach(o: Pick<ComposeInput, 'config' | 'accounts' | 'clock' | 'store' | 'sandbox' | 'observeAws'>): ReachService {
  const ec2 = lazy(() => require('../aws/reachability') as typeof import('../aws/reachability'));
  const reachability = o.sandbox
    ? createSandboxReachabilityFactory({ clock: o.clock })
    : (t: AwsTarget) => ec2().createReachabilityAdapter(t, o.clock, { observe: o.observeAws });
  return createReachService({
    reachability,
    store: o.store,
    clock: o.clock,
    minWatchIntervalMs: o.config.lookout.reach.minWatchIntervalMs,
    // The 30-day sweep acts for Lookout itself, not a person: its role session is named after Lookout.
    targets: (ref) => accountTarget(o.accounts, o.config.lookout, { name: ref.accountName, accountId: ref.accountId, region: ref.region }, { teamId: 'lookout', userId: 'sweeper' }),
  });
}
