import type { Config } from '../config/types';
import { LookoutError } from '../errors';
import type { Actor, AwsAccounts } from '../ports/aws';
import type { Clock } from '../ports/clock';
import type { PromQuery } from '../ports/prom-query';
import { createAmpPromQuery } from '../aws/amp';
import { createPrometheusPromQuery } from '../aws/prometheus-auth';
import { createSandboxPromQuery } from '../sandbox/metrics';
import { createMetricsService, type MetricsService } from '../metrics/service';
import type { ExploreTarget } from '../metrics/explore-link';

export interface MetricsBackend {
  /** The metrics service for this person (AMP signs with their role session); LookoutError('config') when none. */
  service(actor: Actor): Promise<MetricsService>;
  /** Where AMP lives, for "Run it yourself"; undefined for other backends. */
  amp?: { region: string; workspaceId: string };
}

/** Picks the metrics backend from lookout.yml: AMP, a Prometheus URL, or (playground) the sandbox. */
export function composeMetrics(o: { config: Config; accounts: AwsAccounts; clock: Clock; sandbox: boolean; env: Record<string, string | undefined> }): MetricsBackend {
  const { lookout, env } = o.config;
  const explore = exploreTarget(o.config);
  const withService = (prom: PromQuery) => createMetricsService({ prom, clock: o.clock, explore });
  if (o.sandbox && !lookout.metrics) {
    const svc = withService(createSandboxPromQuery({ clock: o.clock }));
    return { service: async () => svc };
  }
  const prometheus = lookout.metrics?.prometheus;
  if (prometheus) {
    const svc = withService(createPrometheusPromQuery(prometheus, o.env));
    return { service: async () => svc };
  }
  const amp = lookout.metrics?.amp;
  if (amp) {
    const perPerson = new Map<string, MetricsService>();
    const region = amp.region ?? lookout.accounts[amp.account ?? '']?.region ?? lookout.aws.region ?? env.awsRegion ?? 'us-east-1';
    return {
      amp: { region, workspaceId: amp.workspaceId },
      async service(actor) {
        const key = `${actor.teamId}/${actor.userId}`;
        const hit = perPerson.get(key);
        if (hit) return hit;
        // metrics.amp.account is fixed by configuration, whatever channel asks (config validation checked it exists).
        const account = amp.account ? lookout.accounts[amp.account] : undefined;
        const target = await o.accounts.target({ name: account?.name ?? 'default', roleArn: account?.roleArn, accountId: account?.accountId, region }, actor);
        const svc = withService(createAmpPromQuery({ workspaceId: amp.workspaceId, target, region, clock: o.clock }));
        perPerson.set(key, svc);
        return svc;
      },
    };
  }
  return {
    service: async () => {
      throw new LookoutError('config', 'No metrics backend is configured.', {
        hint: 'Add `metrics: { amp: { workspaceId: … } }` or `metrics: { prometheus: { url: … } }` to lookout.yml.',
      });
    },
  };
}

function exploreTarget(config: Config): ExploreTarget | undefined {
  const g = config.lookout.grafana;
  if (!g?.datasourceUid) return undefined;
  const region = g.amg?.region ?? config.lookout.aws.region ?? config.env.awsRegion;
  const baseUrl = g.url ?? (g.amg && region ? `https://${g.amg.workspaceId}.grafana-workspace.${region}.amazonaws.com` : undefined);
  return baseUrl ? { baseUrl, datasourceUid: g.datasourceUid } : undefined;
}
