/**
 * Views as the pipeline posts them: the view's result, then `finishAnswer` (the context line when `ctx` is given,
 * then "Run it yourself"). Tests written against the views' former signatures call these.
 */
import { finishAnswer, type ResultContext, type SlackMessage } from '../../src/views/message';
import * as reach from '../../src/views/reach';
import * as status from '../../src/views/chaos-status';
import * as templates from '../../src/views/chaos-templates';
import * as thread from '../../src/views/chaos-thread';
import * as metrics from '../../src/views/metrics';
import * as grafana from '../../src/views/grafana';
import * as stop from '../../src/views/chaos-stop';
import type { AmpLocation } from '../../src/views/metrics-run';

type Args<F> = F extends (...a: infer A) => unknown ? A : never;

export const renderReachAnswer = (a: Args<typeof reach.renderReachAnswer>[0], now: number, ref?: string): SlackMessage => finishAnswer(reach.renderReachAnswer(a, { now, ref }));
export const renderStatus = (a: Args<typeof status.renderStatus>[0], ctx: ResultContext, now: number): SlackMessage => finishAnswer(status.renderStatus(a, { region: ctx.region, now }), ctx);
export const renderHistory = (a: Args<typeof status.renderHistory>[0], ctx: ResultContext): SlackMessage => finishAnswer(status.renderHistory(a, { region: ctx.region }), ctx);
export const renderTemplateList = (a: Args<typeof templates.renderTemplateList>[0], ctx: ResultContext): SlackMessage => finishAnswer(templates.renderTemplateList(a, { region: ctx.region }), ctx);
export const renderTemplateDetails = (a: Args<typeof templates.renderTemplateDetails>[0], ctx: ResultContext): SlackMessage => finishAnswer(templates.renderTemplateDetails(a, { region: ctx.region }), ctx);
export const renderSummary = (...a: Args<typeof thread.renderSummary>): SlackMessage => finishAnswer(thread.renderSummary(...a));

interface Opts {
  ctx: ResultContext;
  amp?: AmpLocation;
}
export const renderMetricsAnswer = (a: Args<typeof metrics.renderMetricsAnswer>[0], o: Opts): SlackMessage => finishAnswer(metrics.renderMetricsAnswer(a, { amp: o.amp }), o.ctx);
export const renderDashboardSearch = (a: Args<typeof grafana.renderDashboardSearch>[0], o: Opts, max?: number): SlackMessage => finishAnswer(grafana.renderDashboardSearch(a, max), o.ctx);
export const renderPanelAnswer = (a: Args<typeof grafana.renderPanelAnswer>[0], o: Opts): SlackMessage => finishAnswer(grafana.renderPanelAnswer(a, { amp: o.amp }), o.ctx);
export const renderStopped = (...a: Args<typeof stop.renderStopped>): SlackMessage => finishAnswer(stop.renderStopped(...a));
export const renderStopAllResult = (...a: Args<typeof stop.renderStopAllResult>): SlackMessage => finishAnswer(stop.renderStopAllResult(...a));
