import fc from 'fast-check';
import type { Template } from '../../src/chaos/model';
import type { DashboardSummary, PanelAnswer } from '../../src/grafana/model';
import { sandboxTemplates } from '../../src/sandbox/fis';
import { renderDashboardSearch, renderMetricsAnswer, renderPanelAnswer, renderReachAnswer, renderTemplateDetails, renderTemplateList } from '../helpers/views';
import { renderReportList } from '../../src/views/report-list';
import type { ReportView } from '../../src/reports/model';
import type { SlackMessage } from '../../src/views/message';
import { inlineCode } from '../../src/text';
import { tokenKinds } from '../helpers/live-tokens';
import type { ReachQuestion } from '../../src/reach/model';
import { interpretAnalysis } from '../../src/reach/interpret';
import { evaluatePath } from '../../src/sandbox/reach/evaluate';
import { SANDBOX_IDS, createSandboxWorld } from '../../src/sandbox/world';
import { size } from '../helpers/soak';

const NOW = Date.UTC(2026, 10, 29, 9);
const ctx = { userId: 'U0CAROL', account: { name: 'sandbox', id: '123456789012' }, region: 'us-east-1', durationMs: 420 };
const tag = { key: 'lookout:allowed', value: 'true' };

/** Strings an AWS resource, a Prometheus label, a Grafana title or a report command can carry. */
const PIECES = ['<!channel>', '<!here>', '<!everyone>', '<@U0EVIL01>', '<#C0EVIL01|x>', '<https://evil.example|aws console>', '<mailto:a@b>', '&', '&lt;', '&amp;', '`', '```', '*', '_', '~', '|', '>', '<', '\n'];
const hostile = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), { minLength: 1, maxLength: 8 })
  .map((ps) => ps.join(''))
  .filter((s) => s.trim().length > 0);
/** The same string with nothing Slack reads as markup: what the view shows for a harmless name of that shape. */
const harmless = (s: string) => s.replace(/[<>&`*_~|!@#]/g, 'x');

function withNames(t: Template, s: string): Template {
  return { ...t, name: s, description: s, tags: { ...t.tags, Name: s, team: s }, actions: t.actions.map((a) => ({ ...a, name: s, description: s })) };
}
const dash = (s: string, i: number): DashboardSummary => ({ uid: `uid-${i}`, title: s, folder: s, tags: [s], url: `https://grafana.example.com/d/uid-${i}` });
const panel = (s: string): PanelAnswer => ({
  dashboard: { uid: 'd1', title: s, url: 'https://grafana.example.com/d/d1', folder: s },
  panel: { id: 2, title: s, type: 'timeseries' },
  link: 'https://grafana.example.com/d/d1?viewPanel=2',
  range: { start: NOW - 3_600_000, end: NOW, stepMs: 30_000 },
  queries: [{ refId: 'A', expr: s }],
  series: [{ name: s, refId: 'A', labels: { code: s }, points: [], stats: { min: 1, avg: 2, max: 3, last: 2 } }],
  totalSeries: 1,
  unit: 'none',
  commonLabels: `{job="${s}"}`,
  warnings: [`Prometheus: ${inlineCode(s)}`], // mrkdwn by contract: the service quotes what Prometheus says
  source: 'AMP ws-0123 (us-east-1)',
});
const report = (s: string): ReportView => ({
  id: 'r-1a2b3c', state: 'active', cron: '0 9 * * 1-5', tz: 'UTC', onChange: false, command: `/metrics up{job="${s}"}`, source: 'slack',
  createdBy: 'U0ALICE', nextRunAt: NOW + 86_400_000, lastRunAt: null, lastResult: null, lastError: null, failures: 0, pausedReason: null,
});
const metricsOpts = { ctx };
/** A /reach question whose typed names and resolved Name tags are `s`, answered by the sandbox's own analysis. */
function reachAnswer(s: string, failed: boolean): SlackMessage {
  const q: ReachQuestion = {
    source: { input: s, kind: 'instance', id: SANDBOX_IDS.web1, name: s },
    destination: { input: s, kind: 'instance', id: SANDBOX_IDS.db1, name: s },
    protocol: 'tcp', port: 5432, accountName: 'prod', accountId: '111111111111', region: 'eu-west-1',
  };
  const base = { pathId: 'nip-00000000000000001', analysisId: 'nia-00000000000000002', checkedAt: NOW - 12_000, question: q };
  if (failed) return renderReachAnswer({ ...base, kind: 'failed', reason: 'analysis_failed', message: s, durationMs: 20_000 }, NOW);
  const r = evaluatePath(createSandboxWorld(), { source: SANDBOX_IDS.web1, destination: SANDBOX_IDS.db1, protocol: 'tcp', port: 5432 }, q.region);
  const outcome = interpretAnalysis({ id: 'nia-00000000000000002', pathId: 'nip-00000000000000001', status: 'succeeded', pathFound: r.pathFound, forward: r.forward, returnPath: r.returnPath, explanations: r.explanations, alternatePathHints: [] }, q);
  return renderReachAnswer({ ...base, kind: 'fresh', outcome, durationMs: 9_500 }, NOW);
}
const meta = { warnings: [] as string[] };

/** Each view with every user- or AWS-supplied string it shows set to `s`. */
const VIEWS: Array<[string, (s: string) => SlackMessage]> = [
  ['/chaos list (template names, descriptions, tags)', (s) => renderTemplateList({ items: sandboxTemplates().map(({ template: t }) => ({ summary: { ...withNames(t, s) }, template: withNames(t, s), allowed: true })), templateTag: tag }, ctx)],
  ['/chaos show (template and action names)', (s) => renderTemplateDetails({ template: withNames(sandboxTemplates()[0].template, s), allowed: true, templateTag: tag, preview: { status: 'verified', experimentId: 'EXPsbx1', at: 0, targets: [{ targetName: s, resourceType: 'aws:ec2:instance', info: { arn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0web1', id: 'i-0web1', name: s } }] } }, ctx)],
  ['/grafana search (titles, folders, tags, terms)', (s) => renderDashboardSearch({ terms: s, dashboards: [dash(s, 1), dash(s, 2)], source: 'Grafana https://grafana.example.com' }, { ctx })],
  ['/grafana panel (dashboard and panel titles, series, expr)', (s) => renderPanelAnswer(panel(s), { ctx })],
  ['/metrics instant (PromQL label values, query)', (s) => renderMetricsAnswer({ kind: 'vector', query: s, source: 's', meta, at: NOW, total: 2, rows: [{ labels: { job: s, instance: s }, value: 1 }, { labels: { job: 'a', [`l${s.length}`]: s }, value: 2 }] }, metricsOpts)],
  ['/metrics labels (names and values)', (s) => renderMetricsAnswer({ kind: 'labels', source: 's', metric: s, names: [s, 'job'], values: [{ label: s, values: [s, 'b'], total: 2 }] }, metricsOpts)],
  ['/metrics series (labels)', (s) => renderMetricsAnswer({ kind: 'series', source: 's', selector: s, start: NOW - 3_600_000, end: NOW, total: 1, series: [{ labels: { __name__: 'up', job: s } }] }, metricsOpts)],
  ['/report list (report commands)', (s) => renderReportList([report(s)])],
  ['/reach answer (typed and resolved names)', (s) => reachAnswer(s, false)],
  ['/reach failed analysis (AWS’s message)', (s) => reachAnswer(s, true)],
];

/**
 * Issue 13 item 2, views: a hostile string in any field a view shows from AWS, Prometheus, Grafana or a person
 * leaves the message's live tokens exactly as a harmless string of the same shape does: no added mention,
 * broadcast or link, in blocks or in `text`.
 */
describe(`reliability: hostile strings stay inert in every view (${size(300, 20_000).toLocaleString('en-US')} strings each)`, () => {
  it.each(VIEWS)('%s', (_name, render) => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(tokenKinds(render(s))).toEqual(tokenKinds(render(harmless(s))));
      }),
      { numRuns: size(300, 20_000) },
    );
  });
});
