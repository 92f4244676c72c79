import type { Config } from '../config/types';
import type { AwsAccounts } from '../ports/aws';
import type { Clock } from '../ports/clock';
import { createChartRenderer } from '../charts/render';
import { composeMetrics } from './metrics';
import { composeReach } from './reach';
import { composeGrafana } from './grafana';
import { composeChaos } from './chaos';
import type { GroupMembership } from '../chaos/membership';
import type { SandboxFis } from '../sandbox/fis';
import type { Store } from '../ports/store';

/** The AWS and metrics ends Lookout talks to: SDK adapters, or the sandbox account in the playground. */
export function composeBackends(o: {
  config: Config;
  accounts: AwsAccounts;
  clock: Clock;
  store: Store;
  sandbox: boolean;
  env: Record<string, string | undefined>;
  membership?: GroupMembership;
  log?: { warn(obj: object, msg: string): void };
  sandboxFis?: SandboxFis;
}) {
  const metrics = composeMetrics(o);
  return {
    metrics,
    grafana: composeGrafana({ ...o, metrics }),
    reach: composeReach(o),
    chaos: composeChaos(o),
    charts: createChartRenderer(),
  };
}
