import type { ComposeInput } from './types';
import type { ChartRenderer } from '../charts/render';
import { lazy } from './lazy';
import { composeMetrics } from './metrics';
import { composeReach } from './reach';
import { composeGrafana } from './grafana';
import { composeChaos } from './chaos';
import { createSandboxFis } from '../sandbox/fis';

/** The AWS and metrics ends Lookout talks to: SDK adapters, or the sandbox account in the playground. */
export function composeBackends(input: ComposeInput) {
  // One simulated FIS for both ends in the playground: its experiments move the sandbox's metrics.
  const o = input.sandbox ? { ...input, sandboxFis: input.sandboxFis ?? createSandboxFis({ clock: input.clock }) } : input;
  const metrics = composeMetrics(o);
  return {
    metrics,
    grafana: composeGrafana({ ...o, metrics }),
    reach: composeReach(o),
    chaos: composeChaos(o, metrics),
    charts: lazyCharts(),
  };
}

/** The chart engine and its font load on the first chart, not at start. */
function lazyCharts(): ChartRenderer {
  const renderer = lazy(() => (require('../charts/render') as typeof import('../charts/render')).createChartRenderer());
  return { renderSvg: (input) => renderer().renderSvg(input), renderLineChart: (input) => renderer().renderLineChart(input) };
}
