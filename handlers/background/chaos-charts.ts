import type { Logger } from 'pino';
import { planImpactCharts, type ImpactChart, type ImpactPlan } from '../../src/chaos/guards/impact';
import type { LineChartInput } from '../../src/charts/options';
import type { RangeSeries } from '../../src/metrics/model';
import type { GuardSpec } from '../../src/chaos/model';
import type { Actor } from '../../src/ports/aws';
import { seriesChart } from '../../src/views/charts';
import type { HandlerDeps } from '../types';
import type { createReplier } from '../reply';

const MAX_SERIES = 10;

/**
 * Charts under an experiment's card, through the same renderer and file upload as `/metrics`: the impact summary
 * when an experiment ends (each guard's value or expression and each `chaos.watchMetrics` expression, from 10 minutes
 * before the start to the end, start and end marked), and the firing guard's chart when a guard stops it.
 * A chart that cannot be drawn is logged and skipped: the thread's text already says what happened.
 */
export async function postImpactCharts(
  deps: HandlerDeps,
  reply: ReturnType<typeof createReplier>,
  o: { actor: Actor; startedAt: number; endedAt: number; guards: GuardSpec[]; watchMetrics: string[]; log: Logger; titlePrefix?: string },
): Promise<number> {
  const plan = planImpactCharts(o);
  if (plan.charts.length === 0) return 0;
  let posted = 0;
  for (const chart of plan.charts) {
    try {
      const prom = await deps.backends.metrics.prom(o.actor);
      const { series } = await prom.range(chart.expr, plan.range);
      const input = impactChartInput(plan, chart, series, { titlePrefix: o.titlePrefix, now: deps.clock.now() });
      const rendered = await deps.backends.charts.renderLineChart(input);
      // The file's title says which chart it is too: "Fired: …" beside the summary's chart of the same guard.
      await reply.upload({ filename: 'impact.png', data: rendered.png, title: input.title, altText: `Chart of ${chart.expr.slice(0, 900)} around the experiment` });
      posted++;
    } catch (err) {
      o.log.warn({ err, expr: chart.expr }, 'chaos: an impact chart could not be drawn');
    }
  }
  return posted;
}

/** The chart one planned impact chart draws: the plan's whole range on the x axis, its start and end marked. */
export function impactChartInput(plan: ImpactPlan, chart: ImpactChart, series: RangeSeries[], o: { titlePrefix?: string; now: number }): LineChartInput {
  return {
    title: `${o.titlePrefix ?? ''}${chart.title}`.slice(0, 160),
    ...seriesChart(chart.expr, series, MAX_SERIES),
    range: { start: plan.range.start, end: plan.range.end },
    markers: plan.markers,
    now: o.now,
  };
}
