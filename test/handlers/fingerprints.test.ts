/**
 * What `--on-change` compares, per command a report may run: the fingerprint follows the facts an answer shows and
 * nothing else. Each "same" case also renders both answers to show that their text did differ (times, ages,
 * durations, ids, who asked, the catalogue's wording), so the fingerprint cannot be a hash of that text.
 */
import type { ReachAnswer, ReachQuestion } from '../../src/reach/model';
import type { Experiment, ExperimentsAnswer, ExperimentSummary, TemplateDetails } from '../../src/chaos/model';
import type { MetricsAnswer } from '../../src/metrics/model';
import type { PanelAnswer } from '../../src/grafana/model';
import { interpretAnalysis } from '../../src/reach/interpret';
import { evaluatePath } from '../../src/sandbox/reach/evaluate';
import { SANDBOX_IDS as S, createSandboxWorld } from '../../src/sandbox/world';
import { renderHistory, renderMetricsAnswer, renderPanelAnswer, renderReachAnswer, renderStatus, renderTemplateDetails } from '../helpers/views';
import { renderStatus as renderHealth, type HealthCheck } from '../../src/views/lookout';
import type { ResultContext, SlackMessage } from '../../src/views/message';
import {
  chaosHistoryFingerprint,
  chaosShowFingerprint,
  chaosStatusFingerprint,
  healthFingerprint,
  metricsFingerprint,
  panelFingerprint,
  reachFingerprint,
} from '../../handlers/fingerprints';

const now = Date.UTC(2026, 10, 29, 9, 0, 0);
const MIN = 60_000;
const alice: ResultContext = { userId: 'U0ALICE01', account: { name: 'prod', id: '111111111111' }, region: 'us-east-1', durationMs: 1_200 };
const bob: ResultContext = { ...alice, userId: 'U0BOB0001', durationMs: 9_800 };
const shown = (m: SlackMessage) => JSON.stringify(m);

/** Two answers that render differently and fingerprint alike. */
function expectSame<A>(fp: (a: A) => string, a: SlackMessage, b: SlackMessage, x: A, y: A) {
  expect(shown(a)).not.toBe(shown(b));
  expect(fp(x)).toBe(fp(y));
}

describe('/reach', () => {
  const question = (port: number, dest: { id: string; name: string }): ReachQuestion => ({
    source: { input: 'web-1', kind: 'instance', id: S.web1, name: 'web-1' },
    destination: { input: dest.name, kind: 'instance', id: dest.id, name: dest.name },
    protocol: 'tcp',
    port,
    accountName: 'prod',
    region: 'us-east-1',
  });
  const toDb = question(5432, { id: S.db1, name: 'db-1' });
  const toCache = question(6379, { id: S.cache1, name: 'cache-1' });
  const outcomeOf = (q: ReachQuestion) => {
    const r = evaluatePath(createSandboxWorld(), { source: S.web1, destination: q.destination.id, protocol: q.protocol, port: q.port }, q.region);
    return interpretAnalysis({ id: 'nia-1', pathId: 'nip-1', status: 'succeeded', pathFound: r.pathFound, forward: r.forward, returnPath: r.returnPath, explanations: r.explanations, alternatePathHints: [] }, q);
  };
  const fresh = (q: ReachQuestion): ReachAnswer => ({ kind: 'fresh', question: q, pathId: 'nip-1', analysisId: 'nia-0aaa', checkedAt: now, outcome: outcomeOf(q), durationMs: 9_500 });

  it('a new analysis, its time, its duration or a cached answer of any age is the same answer', () => {
    for (const q of [toDb, toCache]) {
      const a = fresh(q);
      const b: ReachAnswer = { kind: 'cached', question: q, pathId: 'nip-1', analysisId: 'nia-0bbb', checkedAt: now - 7 * MIN, outcome: outcomeOf(q) };
      expectSame(reachFingerprint, renderReachAnswer(a, now), renderReachAnswer(b, now + 3 * MIN), a, b);
    }
  });

  it('the catalogue rewording an explanation or its fix is the same answer', () => {
    const a = fresh(toDb);
    if (a.kind !== 'fresh' || a.outcome.reachable) throw new Error('db-1 is blocked in the sandbox');
    const reworded: ReachAnswer = { ...a, outcome: { ...a.outcome, issues: a.outcome.issues.map((i) => ({ ...i, meaning: `In other words: ${i.meaning}`, fix: { kind: 'advice' as const, text: 'Open the port.' } })) } };
    expectSame(reachFingerprint, renderReachAnswer(a, now), renderReachAnswer(reworded, now), a, reworded);
  });

  it('found or not, an explanation code, the component it names and the hops each count', () => {
    const blocked = fresh(toDb);
    const open = fresh(toCache);
    expect(reachFingerprint(blocked)).not.toBe(reachFingerprint(open));
    if (blocked.kind !== 'fresh' || blocked.outcome.reachable || open.kind !== 'fresh' || !open.outcome.reachable) throw new Error('sandbox changed');
    const [issue] = blocked.outcome.issues;
    const otherCode: ReachAnswer = { ...blocked, outcome: { ...blocked.outcome, issues: [{ ...issue, code: 'NO_ROUTE_TO_DESTINATION' }] } };
    const otherGroup: ReachAnswer = {
      ...blocked,
      outcome: { ...blocked.outcome, issues: [{ ...issue, explanation: { ...issue.explanation, components: { ...issue.explanation.components, securityGroup: { id: 'sg-0other' } } } }] },
    };
    const fewerHops: ReachAnswer = { ...open, outcome: { ...open.outcome, hops: open.outcome.hops.slice(1) } };
    expect(reachFingerprint(otherCode)).not.toBe(reachFingerprint(blocked));
    expect(reachFingerprint(otherGroup)).not.toBe(reachFingerprint(blocked));
    expect(reachFingerprint(fewerHops)).not.toBe(reachFingerprint(open));
  });

  it('a failed analysis counts by its reason, not by its message or duration', () => {
    const failed = (reason: 'timeout' | 'analysis_failed', message: string, durationMs: number): ReachAnswer => ({ kind: 'failed', question: toDb, pathId: 'nip-1', checkedAt: now, reason, message, durationMs });
    const a = failed('analysis_failed', 'Network changed (nia-1)', 12_000);
    const b = failed('analysis_failed', 'Network changed (nia-2)', 31_000);
    expectSame(reachFingerprint, renderReachAnswer(a, now), renderReachAnswer(b, now), a, b);
    expect(reachFingerprint(failed('timeout', '', 12_000))).not.toBe(reachFingerprint(a));
  });
});

describe('/chaos status and history', () => {
  const experiment = (over: Partial<Experiment> = {}): Experiment => ({
    id: 'EXP1',
    templateId: 'EXT1',
    status: 'running',
    reason: 'Experiment is running.',
    createdAt: now - 10 * MIN,
    startedAt: now - 9 * MIN,
    tags: {},
    actions: [
      { name: 'stress-cpu', actionId: 'aws:ssm:send-command', status: 'running', startedAt: now - 9 * MIN, parameters: {} },
      { name: 'stress-memory', actionId: 'aws:ssm:send-command', status: 'pending', parameters: {} },
    ],
    ...over,
  });
  const status = (...experiments: Experiment[]): ExperimentsAnswer<Experiment> => ({ experiments, more: 0, templateNames: { EXT1: 'cpu-stress-web' } });

  it('the experiment growing older, who asks and how long it took are the same answer', () => {
    const a = status(experiment());
    const b = status(experiment({ reason: 'Still running.', tags: { 'lookout:requested-by': 'U0ALICE01' } }));
    expectSame(chaosStatusFingerprint, renderStatus(a, alice, now), renderStatus(b, bob, now + 4 * MIN), a, b);
  });

  it('an experiment’s state, an action’s state or another experiment each count', () => {
    const a = status(experiment());
    const base = experiment();
    expect(chaosStatusFingerprint(status(experiment({ status: 'stopping' })))).not.toBe(chaosStatusFingerprint(a));
    expect(chaosStatusFingerprint(status(experiment({ actions: [{ ...base.actions[0], status: 'completed' }, { ...base.actions[1], status: 'running' }] })))).not.toBe(chaosStatusFingerprint(a));
    expect(chaosStatusFingerprint(status(experiment(), experiment({ id: 'EXP2' })))).not.toBe(chaosStatusFingerprint(a));
    expect(chaosStatusFingerprint(status())).not.toBe(chaosStatusFingerprint(a));
  });

  it('history: states count, not who asked or the listing’s context line', () => {
    const summary = (over: Partial<ExperimentSummary> = {}): ExperimentSummary => ({ id: 'EXP1', templateId: 'EXT1', status: 'completed', createdAt: now - 60 * MIN, tags: {}, ...over });
    const a: ExperimentsAnswer<ExperimentSummary> = { experiments: [summary()], more: 0, templateNames: {} };
    expectSame(chaosHistoryFingerprint, renderHistory(a, alice), renderHistory(a, bob), a, { ...a });
    expect(chaosHistoryFingerprint({ ...a, experiments: [summary({ status: 'failed' })] })).not.toBe(chaosHistoryFingerprint(a));
  });
});

describe('/chaos show', () => {
  const details = (experimentId: string, at: number, instance: string): TemplateDetails => ({
    template: { id: 'EXT1', name: 'cpu-stress-web', tags: {}, targets: [], actions: [], stopConditions: [{ source: 'none' }] },
    allowed: true,
    preview: { status: 'verified', experimentId, at, targets: [{ targetName: 'web', resourceType: 'aws:ec2:instance', info: { arn: `arn:aws:ec2:us-east-1:111111111111:instance/${instance}` } }] },
  });

  it('a new dry run of the same targets is the same answer; other targets count', () => {
    const a = details('EXPpreview1', now, 'i-0aaa');
    const b = details('EXPpreview2', now + 5 * MIN, 'i-0aaa');
    expectSame(chaosShowFingerprint, renderTemplateDetails(a, alice), renderTemplateDetails(b, bob), a, b);
    expect(chaosShowFingerprint(details('EXPpreview1', now, 'i-0bbb'))).not.toBe(chaosShowFingerprint(a));
  });
});

describe('/metrics', () => {
  const meta = { warnings: [] as string[] };
  const vector = (value: number, at = now, samples = 10): MetricsAnswer => ({
    kind: 'vector',
    query: 'sum by (job) (rate(http_requests_total[5m]))',
    source: 'sandbox',
    meta: { ...meta, samples },
    at,
    exploreUrl: `https://grafana.example.com/explore?from=${at - 3_600_000}&to=${at}`,
    rows: [{ labels: { job: 'web' }, value }, { labels: { job: 'api' }, value: 3 }],
    total: 2,
  });
  const range = (avg: number, end = now): MetricsAnswer => ({
    kind: 'range',
    query: 'up',
    source: 'sandbox',
    meta,
    start: end - 3_600_000,
    end,
    stepMs: 60_000,
    stepChosen: true,
    series: [{ labels: { job: 'web' }, points: [[end, avg]] }],
    summaries: [{ labels: { job: 'web' }, min: 0.5, avg, max: 1, last: 1, points: 61 }],
    total: 1,
  });

  it('values that round to what is displayed, the time, the samples and the Explore link are the same answer', () => {
    const a = vector(12_341.2);
    const b = vector(12_344.9, now + 5 * MIN, 99);
    expectSame(metricsFingerprint, renderMetricsAnswer(a, { ctx: alice }), renderMetricsAnswer(b, { ctx: bob }), a, b);
    const r1 = range(0.98761);
    const r2 = range(0.98764, now + 5 * MIN);
    expectSame(metricsFingerprint, renderMetricsAnswer(r1, { ctx: alice }), renderMetricsAnswer(r2, { ctx: alice }), r1, r2);
  });

  it('a value that displays differently, another series or a new total each count', () => {
    expect(metricsFingerprint(vector(12_361))).not.toBe(metricsFingerprint(vector(12_341)));
    expect(metricsFingerprint(range(0.9881))).not.toBe(metricsFingerprint(range(0.9876)));
    const a = vector(1);
    if (a.kind !== 'vector') throw new Error('vector');
    expect(metricsFingerprint({ ...a, rows: [{ labels: { job: 'batch' }, value: 1 }, a.rows[1]] })).not.toBe(metricsFingerprint(a));
    expect(metricsFingerprint({ ...a, total: 3 })).not.toBe(metricsFingerprint(a));
    expect(metricsFingerprint({ kind: 'scalar', query: 'scalar(1)', source: 's', meta, at: now, value: 2 })).not.toBe(
      metricsFingerprint({ kind: 'scalar', query: 'scalar(1)', source: 's', meta, at: now, value: 1 }),
    );
  });
});

describe('/grafana panel', () => {
  const panel = (last: number, end = now): PanelAnswer => ({
    dashboard: { uid: 'checkout-1', title: 'Checkout service', url: 'https://grafana.example.com/d/checkout-1' },
    panel: { id: 2, title: 'Request rate', type: 'timeseries' },
    link: `https://grafana.example.com/d/checkout-1?from=${end - 3_600_000}&to=${end}&viewPanel=2`,
    range: { start: end - 3_600_000, end, stepMs: 30_000 },
    queries: [{ refId: 'A', expr: 'sum by (code) (rate(http_requests_total[1m]))' }],
    series: [{ name: '200', refId: 'A', labels: { code: '200' }, points: [[end, last]], stats: { min: 10, avg: 12.5, max: 15, last } }],
    totalSeries: 1,
    unit: 'none',
    warnings: [],
    source: 'sandbox',
  });

  it('the range moving on and values that round alike are the same answer', () => {
    const a = panel(11.01);
    const b = panel(11.04, now + 10 * MIN);
    expectSame(panelFingerprint, renderPanelAnswer(a, { ctx: alice }), renderPanelAnswer(b, { ctx: bob }), a, b);
  });

  it('a figure that displays differently counts', () => {
    expect(panelFingerprint(panel(11.2))).not.toBe(panelFingerprint(panel(11.01)));
  });
});

describe('/lookout status', () => {
  const checks = (storeOk: boolean, detail: string, latencyMs: number): HealthCheck[] => [
    { name: 'Slack', ok: true, detail: `connected as @lookout, checked ${detail}`, latencyMs },
    { name: 'Store', ok: storeOk, detail: `sqlite, last write ${detail}` },
  ];

  it('details and latencies are the same answer; a check failing or a chaos halt counts', () => {
    const a = checks(true, '3 s ago', 40);
    const b = checks(true, '1 min ago', 95);
    expectSame((c: HealthCheck[]) => healthFingerprint(c, null), renderHealth(a), renderHealth(b), a, b);
    expect(healthFingerprint(checks(false, '3 s ago', 40), null)).not.toBe(healthFingerprint(a, null));
    expect(healthFingerprint(a, { by: 'U0BOB0001', reason: 'incident' })).not.toBe(healthFingerprint(a, null));
    expect(healthFingerprint(a, undefined)).not.toBe(healthFingerprint(a, null)); // the halt could not be read
  });
});
