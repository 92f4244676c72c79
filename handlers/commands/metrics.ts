import { METRICS_COMMAND, type MetricsCommand } from '../../src/commands/metrics';
import { renderMetricsAnswer } from '../../src/views/metrics';
import { metricsChart } from '../../src/views/charts';
import { metricsFingerprint } from '../fingerprints';
import { answer, type CommandDef, type HandlerDeps } from '../types';

/** `/metrics QUERY [--range 6h [--step 1m]] [--at T] | labels [METRIC] | series SELECTOR` (product.md §5). */
export function metricsCommand(deps: HandlerDeps): CommandDef<MetricsCommand> {
  return {
    ...METRICS_COMMAND,
    verb: () => 'metrics',
    async run(req, ctx) {
      const metrics = deps.backends.metrics;
      const service = await metrics.service(ctx.actor);
      const result = await service.run(req);
      const summary = `${result.kind}${'total' in result ? ` ${result.total} series` : ''}`;
      return answer({ visibility: 'channel', result, view: (a) => renderMetricsAnswer(a, { amp: metrics.amp }), chart: metricsChart, fingerprint: metricsFingerprint, summary });
    },
  };
}
