import type { Config } from '../config/types';
import type { AwsAccounts } from '../ports/aws';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import type { GroupMembership } from '../chaos/membership';
import type { SandboxFis } from '../sandbox/fis';
import type { AwsCallObserver } from '../aws/instrument';
import type { ChaosOptions } from '../chaos/context';

/** What every backend composer is built from (main.ts fills it once). */
export interface ComposeInput {
  config: Config;
  accounts: AwsAccounts;
  clock: Clock;
  store: Store;
  /** Playground: the simulated AWS account instead of the SDK adapters. */
  sandbox: boolean;
  env: Record<string, string | undefined>;
  membership?: GroupMembership;
  log?: { warn(obj: object, msg: string): void };
  /** The playground's simulated FIS, shared across restarts of the app in one process. */
  sandboxFis?: SandboxFis;
  /** AWS SDK calls, for /metrics. */
  observeAws?: AwsCallObserver;
  /** Chaos timings and this replica's name on start leases (defaults in src/chaos/context.ts). */
  chaosOptions?: Partial<ChaosOptions>;
}
