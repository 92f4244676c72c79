import type { Config } from '../config/types';
import type { AwsAccounts } from '../ports/aws';
import type { Clock } from '../ports/clock';
import { createChartRenderer } from '../charts/render';
import { composeMetrics } from './metrics';
import { composeReach } from './reach';
import type { Store } from '../ports/store';

/** The AWS and metrics ends Lookout talks to: SDK adapters, or the sandbox account in the playground. */
export function composeBackends(o: { config: Config; accounts: AwsAccounts; clock: Clock; store: Store; sandbox: boolean; env: Record<string, string | undefined> }) {
  return {
    metrics: composeMetrics(o),
    reach: composeReach(o),
    charts: createChartRenderer(),
  };
}
