import { METRICS_USAGE, parseMetrics, type MetricsCommand } from '../../src/commands/metrics';
import { guessUnit } from '../../src/views/metrics-units';
import { renderMetricsAnswer } from '../../src/views/metrics';
import { shortenLabelSets } from '../../src/charts/labels';
import { metricsFingerprint } from '../fingerprints';
import type { CommandDef, HandlerDeps } from '../types';

/** `/metrics QUERY [--range 6h [--step 1m]] [--at T] | labels [METRIC] | series SELECTOR` (product.md §5). */
export function metricsCommand(deps: HandlerDeps): CommandDef<MetricsCommand> {
  return {
    command: '/metrics',
    usage: METRICS_USAGE,
    parse: parseMetrics,
    isHelp: (req) => req.kind === 'help',
    verb: () => 'metrics',
    async run(req, ctx) {
      if (req.kind === 'help') return;
      const metrics = deps.backends.metrics;
      const service = await metrics.service({ teamId: ctx.inv.teamId, userId: ctx.inv.userId });
      const answer = await service.run(req);
      if (answer.kind === 'range' && answer.series.length > 0) {
        const unit = guessUnit(answer.query);
        const names = shortenLabelSets(answer.series.map((s) => s.labels));
        const chart = await deps.backends.charts.renderLineChart({
          title: answer.query.length > 120 ? `${answer.query.slice(0, 119)}…` : answer.query,
          series: answer.series.map((s, i) => ({ name: names[i], points: s.points })),
          unit: unit === 'bytes/s' ? 'bytes' : unit,
          range: { start: answer.start, end: answer.end },
          notDrawn: answer.total - answer.series.length,
          now: deps.clock.now(),
        });
        await ctx.reply.upload({ filename: 'metrics.png', data: chart.png, title: `Metrics: ${answer.query.slice(0, 200)}`, altText: `Line chart of ${answer.query.slice(0, 900)}` });
      }
      const message = renderMetricsAnswer(answer, { ctx: ctx.resultContext(), amp: metrics.amp });
      return { visibility: 'channel', message, withContext: false, summary: `${answer.kind}${'total' in answer ? ` ${answer.total} series` : ''}`, fingerprint: metricsFingerprint(answer) };
    },
  };
}
