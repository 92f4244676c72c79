import type { KnownBlock } from '@slack/types';
import { blockTextLength } from '../../../src/views/message';
import { renderMetricsAnswer } from '../../helpers/views';
import { ampCurlLines, shellQuote } from '../../../src/views/metrics-run';
import { LIMITS } from '../../../src/views/text';


const AT = Date.UTC(2026, 10, 29, 9);
const H = 3_600_000;
const o: Parameters<typeof renderMetricsAnswer>[1] = { ctx: { userId: 'U0ALICE', account: { name: 'prod', id: '111111111111' }, region: 'us-east-1', durationMs: 1234 } };
const amp: Parameters<typeof renderMetricsAnswer>[1] = { ...o, amp: { region: 'us-east-1', workspaceId: 'ws-0123' } };
const meta = { warnings: [] as string[] };
const up = (job: string, instance: string, value: number) => ({ labels: { __name__: 'up', job, instance, source: 'lookout-sandbox' }, value });
const flatSummary = (labels: Record<string, string>, v: number) => ({ labels, min: v / 2, avg: v, max: v * 2, last: v, points: 181 });

/** Slack limits every metrics message must respect, and no live mention or link from user text. */
function expectWithinLimits(blocks: KnownBlock[]) {
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  expect(blockTextLength(blocks)).toBeLessThanOrEqual(LIMITS.totalBlockText);
  for (const b of blocks) {
    if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    if (b.type === 'actions') for (const e of b.elements) expect((e as { url?: string }).url?.length ?? 0).toBeLessThanOrEqual(3000);
  }
  const text = JSON.stringify(blocks);
  expect(text).not.toMatch(/<!(channel|here|everyone)/);
  expect(text).not.toMatch(/<https?:\/\/evil/);
}

describe('renderMetricsAnswer', () => {
  it('renders an instant vector as a table with common labels once', () => {
    const m = renderMetricsAnswer(
      { kind: 'vector', query: 'up', source: 'sandbox (sample data)', meta, at: AT, total: 3, rows: [up('app', 'web-1:8080', 1), up('app', 'api-1:8080', 1), up('batch', 'batch-1:9100', 0)] },
      o,
    );
    expect(m).toMatchSnapshot();
    expectWithinLimits(m.blocks);
  });

  it('says "and N more" beyond the rows shown, and explains an empty answer', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ labels: { pod: `p-${i}` }, value: 100 - i }));
    const m = renderMetricsAnswer({ kind: 'vector', query: 'x', source: 's', meta, at: AT, total: 137, rows }, o);
    expect(JSON.stringify(m.blocks)).toContain('…and 117 more (top 20 by value shown).');
    const empty = renderMetricsAnswer({ kind: 'vector', query: 'nothing', source: 's', meta, at: AT, total: 0, rows: [] }, o);
    expect(JSON.stringify(empty.blocks)).toContain('No series matched');
  });

  it('renders scalars, strings and instant range vectors on one line or a short table', () => {
    expect(renderMetricsAnswer({ kind: 'scalar', query: 'scalar(sum(up))', source: 's', meta, at: AT, value: 3 }, o)).toMatchSnapshot();
    const s = renderMetricsAnswer({ kind: 'string', query: '"<!channel>"', source: 's', meta, at: AT, value: '<!channel> `x`' }, o);
    expect(s).toMatchSnapshot();
    expectWithinLimits(s.blocks);
    const matrix = renderMetricsAnswer({ kind: 'matrix', query: 'up[1m]', source: 's', meta, at: AT, total: 1, rows: [flatSummary({ __name__: 'up', job: 'a' }, 1)] }, o);
    expect(JSON.stringify(matrix.blocks)).toContain('LAST  POINTS  SERIES');
  });

  it('renders a range summary in the metric’s unit, with the Grafana button, warnings and samples', () => {
    const summaries = [flatSummary({ instance: 'web-1' }, 4 * 1024 ** 3), flatSummary({ instance: 'web-2' }, 2 * 1024 ** 3)];
    const m = renderMetricsAnswer(
      {
        kind: 'range',
        query: 'node_memory_MemAvailable_bytes',
        source: 'Prometheus http://prom:9090',
        meta: { warnings: ['PromQL info: <b>'], samples: 12_345 },
        exploreUrl: 'https://grafana.example.com/explore?orgId=1&left=%7B%7D',
        start: AT - 6 * H,
        end: AT,
        stepMs: 120_000,
        stepChosen: true,
        series: [],
        summaries,
        total: 37,
      },
      o,
    );
    expect(m).toMatchSnapshot();
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('4 GiB');
    expect(text).toContain('(6 h), step 2 min (auto), 37 series');
    expect(text).toContain('…and 35 more not drawn (the top 2 by average are).');
    expect(text).toContain('12,345 samples processed');
    expect(text).toContain('&lt;b&gt;');
    expectWithinLimits(m.blocks);
  });

  it('leaves out a Grafana link too long for a button, saying so', () => {
    const m = renderMetricsAnswer({ kind: 'scalar', query: 'x', source: 's', meta, at: AT, value: 1, exploreUrl: `https://g/${'x'.repeat(3001)}` }, o);
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(m.blocks)).toContain('too long for a Grafana Explore link');
  });

  it('renders labels and series answers', () => {
    expect(renderMetricsAnswer({ kind: 'labels', source: 's', names: ['__name__', 'instance', 'job'] }, o)).toMatchSnapshot();
    const one = renderMetricsAnswer(
      { kind: 'labels', source: 's', metric: 'http_requests_total', names: ['code', 'service'], values: [{ label: 'code', values: ['200', '500'], total: 2 }, { label: 'service', values: ['api', 'db'], total: 5 }] },
      o,
    );
    expect(one).toMatchSnapshot();
    const series = renderMetricsAnswer(
      { kind: 'series', source: 's', selector: 'up', start: AT - H, end: AT, total: 2, series: [up('app', 'a', 1), up('app', 'b', 1)].map(({ labels }) => ({ labels })) },
      o,
    );
    expect(series).toMatchSnapshot();
    expect(JSON.stringify(renderMetricsAnswer({ kind: 'labels', source: 's', metric: 'nope', names: [] }, o).blocks)).toContain('No series named `nope`');
  });

  it('offers Run it yourself with awscurl for AMP, keeping the query safe', () => {
    const query = `sum(rate(x{a="it's"}[5m])) + 1 & <!channel>`;
    const m = renderMetricsAnswer({ kind: 'scalar', query, source: 'AMP ws-0123 (us-east-1)', meta, at: AT, value: 1 }, amp);
    const run = m.blocks[m.blocks.length - 1];
    expect(run).toMatchSnapshot();
    const text = JSON.stringify(run);
    expect(text).toContain('https://us-east-1.console.aws.amazon.com/cloudshell/home?region=us-east-1');
    expect(text).toContain(`'query=sum(rate(x{a=\\"it'\\\\''s\\"}[5m])) %2B 1 %26 &lt;!channel&gt;'`);
    expectWithinLimits(m.blocks);
  });

  it('stays within Slack limits with hostile and huge label values', () => {
    const hostile = '<!channel> <https://evil.example|click> ```' + 'v'.repeat(5000);
    const rows = Array.from({ length: 20 }, (_, i) => ({ labels: { [`l${i}`]: hostile, job: `<@U${i}>` }, value: i }));
    const m = renderMetricsAnswer({ kind: 'vector', query: `up{job="${hostile}"}`, source: '<!here>', meta: { warnings: [hostile] }, at: AT, total: 5000, rows }, amp);
    expectWithinLimits(m.blocks);
    expect(JSON.stringify(m.blocks)).toContain('&lt;!channel&gt;');
    const summaries = Array.from({ length: 10 }, (_, i) => flatSummary({ pod: hostile + i }, i));
    const range = renderMetricsAnswer(
      { kind: 'range', query: hostile, source: 's', meta, start: AT - H, end: AT, stepMs: 15_000, stepChosen: false, series: [], summaries, total: 10 },
      amp,
    );
    expectWithinLimits(range.blocks);
    const names = Array.from({ length: 3000 }, (_, i) => `label_${i}_<!channel>`);
    expectWithinLimits(renderMetricsAnswer({ kind: 'labels', source: 's', names }, o).blocks);
    const many = Array.from({ length: 50 }, (_, i) => ({ labels: { __name__: 'up', pod: `${hostile}${i}` } }));
    expectWithinLimits(renderMetricsAnswer({ kind: 'series', source: 's', selector: hostile, start: 0, end: H, total: 9000, series: many }, amp).blocks);
  });
});

describe('ampCurlLines', () => {
  it('builds a range call with ISO times and a step', () => {
    const [install, curl] = ampCurlLines({ region: 'eu-west-1', workspaceId: 'ws-1' }, { op: 'query_range', query: 'up', start: AT - H, end: AT, stepMs: 60_000 });
    expect(install).toContain('pip3 install --user awscurl');
    expect(curl).toBe(
      "awscurl -X POST --region eu-west-1 --service aps 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/query_range' " +
        "-d 'query=up' -d 'start=2026-11-29T08:00:00Z' -d 'end=2026-11-29T09:00:00Z' -d 'step=60s' -H 'Content-Type: application/x-www-form-urlencoded'",
    );
  });

  it('quotes for the shell so a query cannot break out', () => {
    expect(shellQuote(`a'; rm -rf / #`)).toBe(`'a'\\''; rm -rf / #'`);
  });
});
