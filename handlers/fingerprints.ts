/**
 * What each answer a report may run shows, as a fingerprint (src/common/fingerprint.ts): built from the domain
 * result, never from rendered text, so `--on-change` posts when the facts change and not when the wording does.
 * Only what the view displays counts, numbers rounded by the view's own formatter; times, ages ("checked 2 min
 * ago"), durations, analysis/request ids and who asked never do.
 */
import { fingerprintOf } from '../src/common/fingerprint';
import { formatValue as formatChartValue } from '../src/charts/units';
import { formatValue, guessUnit } from '../src/views/metrics-units';
import type { HealthCheck } from '../src/views/lookout';
import type { ExplainedIssue, ReachAnswer } from '../src/reach/model';
import type { MetricsAnswer } from '../src/metrics/model';
import type { DashboardSearchAnswer, PanelAnswer } from '../src/grafana/model';
import type { Experiment, ExperimentSummary, ExperimentsAnswer, TemplateDetails, TemplateListing } from '../src/chaos/model';

/** `/reach`: found or not, each explanation's code and the components it names, the hops; a failure's reason. */
export function reachFingerprint(a: ReachAnswer): string {
  if (a.kind === 'failed') return fingerprintOf({ failed: a.reason });
  const o = a.outcome;
  return fingerprintOf({
    reachable: o.reachable,
    hops: o.hops.map((h) => h.component.id),
    issues: o.reachable ? [] : o.issues.map(issueFacts),
  });
}

function issueFacts(i: ExplainedIssue) {
  const named = Object.fromEntries(Object.entries(i.explanation.components).map(([role, c]) => [role, c.id]));
  return { code: i.code, blocking: i.blocking?.id, components: named, securityGroups: i.explanation.securityGroups?.map((g) => g.id) };
}

/** `/chaos status`: each experiment's id and state and its actions' states. */
export function chaosStatusFingerprint(a: ExperimentsAnswer<Experiment>): string {
  return fingerprintOf({
    experiments: a.experiments.map((e) => ({ id: e.id, state: e.status, actions: e.actions.map((x) => [x.name, x.status]) })),
    more: a.more,
  });
}

/** `/chaos history`: the experiments listed and their states. */
export function chaosHistoryFingerprint(a: ExperimentsAnswer<ExperimentSummary>): string {
  return fingerprintOf({ experiments: a.experiments.map((e) => [e.id, e.status]), more: a.more });
}

/** `/chaos list`: templates and whether each may run (the listing holds no times or ids that vary). */
export function chaosListFingerprint(a: TemplateListing): string {
  return fingerprintOf(a);
}

/** `/chaos show`: the template and its preview's targets, not the preview run's experiment id or time. */
export function chaosShowFingerprint(a: TemplateDetails): string {
  const preview = a.preview.status === 'verified' ? { status: a.preview.status, targets: a.preview.targets } : a.preview;
  return fingerprintOf({ ...a, preview });
}

/** `/metrics`: the series and their values as the view rounds them; for a range, the summary figures. */
export function metricsFingerprint(a: MetricsAnswer): string {
  switch (a.kind) {
    case 'labels':
      return fingerprintOf({ kind: a.kind, metric: a.metric, names: a.names, values: a.values });
    case 'series':
      return fingerprintOf({ kind: a.kind, series: a.series.map((s) => s.labels), total: a.total });
    case 'string':
      return fingerprintOf({ kind: a.kind, value: a.value });
  }
  const unit = guessUnit(a.query);
  const fmt = (v: number) => formatValue(v, unit);
  switch (a.kind) {
    case 'scalar':
      return fingerprintOf({ kind: a.kind, value: fmt(a.value) });
    case 'vector':
      return fingerprintOf({ kind: a.kind, rows: a.rows.map((r) => [r.labels, fmt(r.value)]), total: a.total });
    case 'matrix':
      return fingerprintOf({ kind: a.kind, rows: a.rows.map((r) => [r.labels, fmt(r.last)]), total: a.total });
    case 'range':
      return fingerprintOf({ kind: a.kind, rows: a.summaries.map((s) => [s.labels, fmt(s.min), fmt(s.avg), fmt(s.max), fmt(s.last)]), total: a.total });
  }
}

/** `/grafana panel`: as `/metrics` over a range, for the panel's queries (the view's units and rounding). */
export function panelFingerprint(a: PanelAnswer): string {
  const fmt = (v: number) => formatChartValue(v, a.unit);
  return fingerprintOf({
    queries: a.queries,
    rows: a.series.map((s) => [s.name, fmt(s.stats.min), fmt(s.stats.avg), fmt(s.stats.max), fmt(s.stats.last)]),
    total: a.totalSeries,
  });
}

/** `/grafana search`: the dashboards found. */
export function dashboardSearchFingerprint(a: DashboardSearchAnswer): string {
  return fingerprintOf(a.dashboards);
}

/**
 * `/lookout status`: each check's name and whether it passed (details carry latencies, ARNs and reference ids),
 * and whether chaos is halted, which the Chaos check shows only in its detail (undefined: it could not be read).
 */
export function healthFingerprint(checks: HealthCheck[], halt: { by: string; reason?: string } | null | undefined): string {
  const halted = halt === undefined ? 'unknown' : halt && { by: halt.by, reason: halt.reason };
  return fingerprintOf({ checks: checks.map((c) => [c.name, c.ok]), halt: halted });
}
