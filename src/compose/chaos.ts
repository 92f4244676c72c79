import type { Config } from '../config/types';
import type { AwsAccounts } from '../ports/aws';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import { fisExperiments } from '../aws/fis';
import { createSandboxFis, type SandboxFis } from '../sandbox/fis';
import { createChaosService, type ChaosService } from '../chaos/service';
import type { GroupMembership } from '../chaos/membership';

/** /chaos over FIS, or over the sandbox's simulated experiments in the playground. */
export function composeChaos(o: {
  config: Config;
  accounts: AwsAccounts;
  clock: Clock;
  store: Store;
  sandbox: boolean;
  env: Record<string, string | undefined>;
  membership?: GroupMembership;
  log?: { warn(obj: object, msg: string): void };
  /** The playground's simulated FIS, shared across restarts of the app in one process. */
  sandboxFis?: SandboxFis;
}): ChaosService {
  const experiments = o.sandbox ? (o.sandboxFis ?? createSandboxFis({ clock: o.clock })).forTarget : fisExperiments({ env: o.env });
  const accounts = o.config.lookout.accounts;
  return createChaosService({
    store: o.store,
    clock: o.clock,
    config: o.config.lookout,
    experiments,
    // Stored requests and watched experiments reach AWS again as the person who acted (SourceIdentity).
    resolveTarget: (ref) => {
      const acct = accounts[ref.accountName];
      return o.accounts.target({ name: ref.accountName, roleArn: acct?.roleArn, accountId: ref.accountId ?? acct?.accountId, region: ref.region }, ref.actor);
    },
    membership: o.membership,
    log: o.log,
  });
}
