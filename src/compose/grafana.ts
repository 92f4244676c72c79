import { accountTarget } from '../policy/accounts';
import { LookoutError } from '../errors';
import type { Actor } from '../ports/aws';
import type { Dashboards } from '../ports/dashboards';
import { lazy } from './lazy';
import { createSandboxDashboards } from '../sandbox/grafana/dashboards';
import { createGrafanaService, type GrafanaService } from '../grafana/service';
import type { MetricsBackend } from './metrics';
import type { ComposeInput } from './types';

export interface GrafanaBackend {
  /** A Grafana service for one use: AMG tokens are short-lived, so `close()` must follow (it deletes the token). */
  open(actor: Actor): Promise<{ service: GrafanaService; close(): Promise<void> }>;
}

/** Grafana from lookout.yml: Amazon Managed Grafana (short-lived tokens), any Grafana URL + token, or the sandbox. */
export function composeGrafana(o: Pick<ComposeInput, 'config' | 'accounts' | 'clock' | 'sandbox' | 'env' | 'observeAws'> & { metrics: MetricsBackend }): GrafanaBackend {
  const g = o.config.lookout.grafana;
  const aws = lazy(() => require('../aws/grafana') as typeof import('../aws/grafana'));
  const lookout = o.config.lookout;
  const serviceFor = async (dashboards: Dashboards, actor: Actor) => ({
    service: createGrafanaService({ dashboards, prom: await o.metrics.prom(actor), clock: o.clock, scrapeIntervalMs: o.metrics.scrapeIntervalMs, datasourceUid: g?.datasourceUid }),
    close: () => dashboards.close(),
  });
  if (g?.amg) {
    const amg = g.amg;
    return {
      async open(actor) {
        const account = amg.account ? lookout.accounts[amg.account] : undefined;
        const region = amg.region ?? account?.region ?? lookout.aws.region ?? o.config.env.awsRegion ?? 'us-east-1';
        const target = await accountTarget(o.accounts, lookout, { name: amg.account ?? 'default', region }, actor);
        return serviceFor(aws().createAmgDashboards({ workspaceId: amg.workspaceId, serviceAccountId: amg.serviceAccountId, target, clock: o.clock, observe: o.observeAws }), actor);
      },
    };
  }
  if (g?.url && g.tokenEnv) {
    const dashboards = aws().createGrafanaUrlDashboards({ url: g.url, tokenEnv: g.tokenEnv, env: o.env, clock: o.clock });
    return { open: (actor) => serviceFor(dashboards, actor) };
  }
  if (o.sandbox) {
    const dashboards = createSandboxDashboards();
    return { open: (actor) => serviceFor(dashboards, actor) };
  }
  return {
    open: async () => {
      throw new LookoutError('config', 'No Grafana is configured.', {
        hint: 'Add `grafana: { amg: { workspaceId, serviceAccountId } }` or `grafana: { url, tokenEnv }` to lookout.yml.',
      });
    },
  };
}
