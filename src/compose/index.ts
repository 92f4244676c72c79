import type { ComposeInput } from './types';
import { createChartRenderer } from '../charts/render';
import { composeMetrics } from './metrics';
import { composeReach } from './reach';
import { composeGrafana } from './grafana';
import { composeChaos } from './chaos';

/** The AWS and metrics ends Lookout talks to: SDK adapters, or the sandbox account in the playground. */
export function composeBackends(o: ComposeInput) {
  const metrics = composeMetrics(o);
  return {
    metrics,
    grafana: composeGrafana({ ...o, metrics }),
    reach: composeReach(o),
    chaos: composeChaos(o),
    charts: createChartRenderer(),
  };
}
