import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { startBench, type Bench } from '../../helpers/app';
import { eventually } from '../../helpers/fast-clock';

const root = path.join(__dirname, '..', '..', '..');
const RULES = path.join(root, 'deploy', 'prometheus', 'lookout-rules.yml');
const RULE_TESTS = path.join(root, 'deploy', 'prometheus', 'lookout-rules.test.yml');
const DASHBOARD = path.join(root, 'deploy', 'grafana', 'lookout.json');

/** Metrics the dashboard uses that the running app does not export yet (none: chaos guards export theirs). */
const NOT_YET_EXPORTED: string[] = [];
/** Exported, but its series (and so its labels) appear only once a guard evaluates: test/e2e/chaos-guards.test.ts checks `guard` and `outcome` on a live run. */
const LABELS_SEEN_ON_A_GUARDED_RUN = ['lookout_guard_evaluations_total'];
/** Labels Prometheus adds to every scraped series (and `le`, a histogram's bucket bound). */
const SCRAPE_LABELS = ['job', 'instance', 'le'];

interface Panel {
  panels?: Panel[];
  targets?: { expr?: string }[];
}
const panelExprs = (panels: Panel[]): string[] => panels.flatMap((p) => [...(p.targets ?? []).flatMap((t) => (t.expr ? [t.expr] : [])), ...panelExprs(p.panels ?? [])]);
const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[]; templating: { list: { definition?: string }[] } };
const dashboardExprs = panelExprs(dashboard.panels);
const rules = (YAML.parse(fs.readFileSync(RULES, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
const ruleExprs = rules.map((r) => r.expr);
/** Grafana's variables, as concrete PromQL, so promtool can parse the dashboard's queries. */
const asPromql = (expr: string) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$job', '.+');

const metricsIn = (expr: string) => [...new Set(expr.match(/\blookout_[a-z0-9_]+\b/g) ?? [])];
const promtool = (...args: string[]) => spawnSync('promtool', args, { encoding: 'utf8', cwd: path.dirname(RULES) });

describe('Lookout watching itself: alert rules and dashboard', () => {
  it('the alert rules pass `promtool check rules`, and a broken rule does not', () => {
    const ok = promtool('check', 'rules', RULES);
    expect({ status: ok.status, out: ok.stdout + ok.stderr }).toEqual({ status: 0, out: expect.stringContaining(`SUCCESS: ${rules.length} rules found`) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-rules-'));
    fs.writeFileSync(path.join(dir, 'broken.yml'), 'groups: [{ name: x, rules: [{ alert: X, expr: "sum(rate(lookout_commands_total[5m]) > " }] }]\n');
    expect(promtool('check', 'rules', path.join(dir, 'broken.yml')).status).not.toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the alert rules pass their unit tests (`promtool test rules`): late acks and late reports fire, normal ones do not', () => {
    const run = promtool('test', 'rules', RULE_TESTS);
    expect({ status: run.status, out: run.stdout + run.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it("every dashboard query is valid PromQL (promtool parses them as recording rules)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-dashboard-'));
    const file = path.join(dir, 'dashboard.yml');
    const exprs = [...dashboardExprs, ...dashboard.templating.list.flatMap((v) => (v.definition?.startsWith('label_values(') ? [] : v.definition ? [v.definition] : []))];
    fs.writeFileSync(file, YAML.stringify({ groups: [{ name: 'dashboard', rules: exprs.map((e, i) => ({ record: `dashboard:query_${i}`, expr: asPromql(e) })) }] }));
    const run = promtool('check', 'rules', file);
    fs.rmSync(dir, { recursive: true, force: true });
    expect({ status: run.status, out: run.stdout + run.stderr }).toEqual({ status: 0, out: expect.stringContaining(`SUCCESS: ${exprs.length} rules found`) });
    expect(exprs.length).toBeGreaterThan(15);
  });

  it('the dashboard shows ack latency against the 3 s budget, and the alerts cover the same signals', () => {
    const all = dashboardExprs.join('\n');
    for (const m of ['lookout_ack_latency_seconds_bucket', 'lookout_commands_total', 'lookout_aws_call_seconds_count', 'lookout_aws_call_seconds_bucket', 'lookout_slack_calls_total', 'lookout_slack_call_seconds_bucket', 'lookout_slack_rate_limited_total', 'lookout_approvals_pending', 'lookout_experiments_running', 'lookout_report_lag_seconds', ...NOT_YET_EXPORTED]) {
      expect({ m, shown: all.includes(m) }).toEqual({ m, shown: true });
    }
    expect(all).toContain('le="3"');
    expect(JSON.stringify(dashboard)).toMatch(/"value": 3\b|"value":3\b/);
    const alerted = new Set(ruleExprs.flatMap(metricsIn));
    expect([...alerted].sort()).toEqual(
      ['lookout_ack_latency_seconds_bucket', 'lookout_ack_latency_seconds_count', 'lookout_approvals_pending', 'lookout_aws_call_seconds_bucket', 'lookout_aws_call_seconds_count', 'lookout_commands_total', 'lookout_experiments_running', 'lookout_report_lag_seconds', 'lookout_slack_call_seconds_bucket', 'lookout_slack_calls_total', 'lookout_slack_rate_limited_total'].sort(),
    );
    // An alert on a metric nobody exports would never fire.
    expect(ruleExprs.flatMap(metricsIn).filter((m) => NOT_YET_EXPORTED.includes(m))).toEqual([]);
  });

  describe('every metric and label they use is exported by the running app', () => {
    let bench: Bench;
    let exposition: string;
    beforeAll(async () => {
      bench = await startBench();
      // Commands that answer from Slack alone, /lookout status, which asks STS (a closed port here), and a mention
      // whose reply meets one 429: after them the command, Slack, rate-limit and AWS series carry labels.
      const where = { user: 'U0WATCH01', channel: 'C0WATCH01' };
      await bench.driver.command('/lookout', 'help', where);
      await bench.driver.command('/lookout', 'status', where);
      bench.slack.script('chat.postEphemeral', { status: 429, retryAfter: 0 }, { times: 1 });
      await bench.driver.mention('help', where);
      exposition = await eventually(async () => {
        const text = await (await fetch(`${bench.app.url}/metrics`)).text();
        const labelled = ['lookout_commands_total{', 'lookout_aws_call_seconds_count{', 'lookout_slack_rate_limited_total{', 'lookout_slack_calls_total{method="chat.postEphemeral",outcome="ok"}'];
        return labelled.every((l) => text.includes(l)) && text;
      });
    });
    afterAll(() => bench.stop());

    /** name → type, from `# TYPE` lines; name → label names, from the samples. */
    const parse = () => {
      const types = new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
      const labels = new Map<string, Set<string>>();
      for (const m of exposition.matchAll(/^([a-zA-Z_:][\w:]*)\{([^}]*)\}/gm)) {
        const set = labels.get(m[1]) ?? new Set<string>();
        for (const l of m[2].matchAll(/(\w+)="/g)) set.add(l[1]);
        labels.set(m[1], set);
      }
      return { types, labels };
    };
    const familyOf = (types: Map<string, string>, name: string) => {
      if (types.has(name)) return name;
      const base = name.replace(/_(bucket|sum|count)$/, '');
      return types.get(base) === 'histogram' ? base : undefined;
    };

    it('every lookout_* name in the dashboard and the rules is in /metrics (the guard panels wait for issue 12)', () => {
      const { types } = parse();
      const used = [...new Set([...dashboardExprs, ...ruleExprs].flatMap(metricsIn))].filter((m) => !NOT_YET_EXPORTED.includes(m));
      expect(used.length).toBeGreaterThan(10);
      expect(used.filter((m) => !familyOf(types, m))).toEqual([]);
    });

    it('every label a query filters or groups by is one the metric has', () => {
      const { labels } = parse();
      const problems: string[] = [];
      for (const expr of [...dashboardExprs, ...ruleExprs]) {
        const metrics = metricsIn(expr).filter((m) => !NOT_YET_EXPORTED.includes(m) && !LABELS_SEEN_ON_A_GUARDED_RUN.includes(m));
        const known = new Set([...SCRAPE_LABELS, ...metrics.flatMap((m) => [...(labels.get(m) ?? [])])]);
        const selectors = [...expr.matchAll(/lookout_[a-z0-9_]+\{([^}]*)\}/g)].flatMap((m) => [...m[1].matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]));
        const grouped = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((s) => s.trim()).filter(Boolean));
        for (const l of [...selectors, ...grouped]) if (!known.has(l) && metrics.length) problems.push(`${l} in ${expr}`);
      }
      expect(problems).toEqual([]);
    });
  });
});
