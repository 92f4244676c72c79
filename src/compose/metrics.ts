import { accountTarget } from '../policy/accounts';
import type { Config } from '../config/types';
import { LookoutError } from '../errors';
import type { Actor } from '../ports/aws';
import type { PromQuery } from '../ports/prom-query';
import { lazy } from './lazy';
import { createPrometheusPromQuery } from '../aws/prometheus-auth';
import { createSandboxPromQuery } from '../sandbox/metrics';
import { createMetricsService, type MetricsService } from '../metrics/service';
import type { ExploreTarget } from '../metrics/explore-link';
import type { ComposeInput } from './types';

export interface MetricsBackend {
  /** The PromQL backend for this person (AMP signs with their role session); LookoutError('config') when none. */
  prom(actor: Actor): Promise<PromQuery>;
  service(actor: Actor): Promise<MetricsService>;
  /**
   * The backend chaos guards run against: no retries (the next guard interval is the retry; the evaluator bounds
   * each query by half the interval). Same as `prom` where the adapter has no retries of its own to turn off.
   */
  guardProm(actor: Actor): Promise<PromQuery>;
  /** Where AMP lives, for "Run it yourself"; undefined for other backends. */
  amp?: { region: string; workspaceId: string };
  /** The backend's scrape interval, for Grafana's `$__rate_interval`. */
  scrapeIntervalMs: number;
}

/** Picks the metrics backend from lookout.yml: AMP, a Prometheus URL, or (playground) the sandbox. */
export function composeMetrics(o: Pick<ComposeInput, 'config' | 'accounts' | 'clock' | 'sandbox' | 'sandboxFis' | 'env' | 'observeAws'>): MetricsBackend {
  const { lookout, env } = o.config;
  const explore = exploreTarget(o.config);
  const perPerson = new Map<string, { prom: PromQuery; service: MetricsService }>();
  const shared = (prom: PromQuery) => ({ prom, service: createMetricsService({ prom, clock: o.clock, explore }) });
  const fixed = (pair: ReturnType<typeof shared>, scrapeIntervalMs: number, guard: PromQuery = pair.prom): MetricsBackend => ({
    prom: async () => pair.prom,
    service: async () => pair.service,
    guardProm: async () => guard,
    scrapeIntervalMs,
  });

  const prometheus = lookout.metrics?.prometheus;
  if (prometheus) return fixed(shared(createPrometheusPromQuery(prometheus, o.env)), 15_000, createPrometheusPromQuery(prometheus, o.env, { maxAttempts: 1 }));
  const amp = lookout.metrics?.amp;
  const ampModule = lazy(() => require('../aws/amp') as typeof import('../aws/amp'));
  if (amp) {
    const region = amp.region ?? lookout.accounts[amp.account ?? '']?.region ?? lookout.aws.region ?? env.awsRegion ?? 'us-east-1';
    // One client pair per person (the role session carries their SourceIdentity); guards get a no-retry client.
    const forPerson = async (actor: Actor, guard = false) => {
      const key = `${actor.teamId}/${actor.userId}${guard ? '/guard' : ''}`;
      let pair = perPerson.get(key);
      if (!pair) {
        // metrics.amp.account is fixed by configuration, whatever channel asks (validation checked it exists).
        const target = await accountTarget(o.accounts, lookout, { name: amp.account ?? 'default', region }, actor);
        pair = shared(ampModule().createAmpPromQuery({ workspaceId: amp.workspaceId, target, region, clock: o.clock, observe: o.observeAws, ...(guard ? { maxAttempts: 1 } : {}) }));
        perPerson.set(key, pair);
      }
      return pair;
    };
    return {
      amp: { region, workspaceId: amp.workspaceId },
      prom: async (actor) => (await forPerson(actor)).prom,
      guardProm: async (actor) => (await forPerson(actor, true)).prom,
      service: async (actor) => (await forPerson(actor)).service,
      scrapeIntervalMs: 60_000, // AMP's usual remote-write scrape interval (aws-apis.md §4)
    };
  }
  if (o.sandbox) return fixed(shared(createSandboxPromQuery({ clock: o.clock, faults: o.sandboxFis?.faults })), 15_000);
  const none = async (): Promise<never> => {
    throw new LookoutError('config', 'No metrics backend is configured.', {
      hint: 'Add `metrics: { amp: { workspaceId: … } }` or `metrics: { prometheus: { url: … } }` to lookout.yml.',
    });
  };
  return { prom: none, service: none, guardProm: none, scrapeIntervalMs: 15_000 };
}

function exploreTarget(config: Config): ExploreTarget | undefined {
  const g = config.lookout.grafana;
  if (!g?.datasourceUid) return undefined;
  const region = g.amg?.region ?? config.lookout.aws.region ?? config.env.awsRegion;
  const baseUrl = g.url ?? (g.amg && region ? `https://${g.amg.workspaceId}.grafana-workspace.${region}.amazonaws.com` : undefined);
  return baseUrl ? { baseUrl, datasourceUid: g.datasourceUid } : undefined;
}
