import { accountTarget } from '../policy/accounts';
import type { Config } from '../config/types';
import type { AwsAccounts } from '../ports/aws';
import type { MetricsBackend } from '../compose/metrics';
import type { GrafanaBackend } from '../compose/grafana';
import type { BackendCheck } from './health';

/** `/lookout status` acts as Lookout itself, not as a person (its role sessions are named after it). */
const STATUS_ACTOR = { teamId: 'lookout', userId: 'status' };

/**
 * What `/lookout status` checks beyond Slack and the store: every configured AWS account (role assumed, identity
 * read), and the metrics and Grafana backends when configured. Each check is one cheap call.
 */
export function backendChecks(o: { config: Config; accounts: AwsAccounts; metrics: MetricsBackend; grafana: GrafanaBackend; sandbox: boolean }): BackendCheck[] {
  const { lookout, env } = o.config;
  const named = Object.values(lookout.accounts);
  const region = lookout.aws.region ?? env.awsRegion;
  const accounts = named.length ? named : region ? [{ name: 'default', region }] : [];
  const checks: BackendCheck[] = accounts.map((a) => ({
    name: `AWS ${a.name}`,
    uses: 'aws' as const,
    account: a.name,
    check: async () => {
      if (o.sandbox) return 'sandbox account (simulated)';
      const target = await accountTarget(o.accounts, lookout, { name: a.name, region: a.region ?? region ?? 'us-east-1' }, STATUS_ACTOR);
      const who = await o.accounts.identity(target);
      return `account ${who.accountId} as ${who.arn}`;
    },
  }));
  if (lookout.metrics || o.sandbox) {
    checks.push({
      name: 'Metrics',
      uses: 'metrics',
      check: async () => {
        const prom = await o.metrics.prom(STATUS_ACTOR);
        const labels = await prom.labels();
        return `${prom.describe()} answers (${labels.length} label names)`;
      },
    });
  }
  if (lookout.grafana || o.sandbox) {
    checks.push({
      name: 'Grafana',
      uses: 'grafana',
      check: async () => {
        const { service, close } = await o.grafana.open(STATUS_ACTOR);
        try {
          const found = await service.search('');
          return `${found.source}: ${found.dashboards.length} dashboards visible`;
        } finally {
          await close();
        }
      },
    });
  }
  return checks;
}
