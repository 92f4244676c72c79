import { applyLegendFormat, nameSeries } from '../../../src/grafana/legend';
import { usesSceneIds, viewPanelUrl } from '../../../src/common/grafana-links';
import { closestTitles, pickByTitle, splitSearchTerms } from '../../../src/common/title-match';
import { inlineCode } from '../../../src/text';

describe('legend', () => {
  it('applies {{label}} templates, empty for missing labels', () => {
    expect(applyLegendFormat('{{service}} {{ code }}', { service: 'web', code: '500' })).toBe('web 500');
    expect(applyLegendFormat('{{nope}}-{{constructor}}', {})).toBe('-');
  });
  it('falls back to the differing labels, and to the query for a bare series', () => {
    const names = nameSeries([
      { labels: { job: 'a', code: '200' }, expr: 'q' },
      { labels: { job: 'a', code: '500' }, legendFormat: '__auto', expr: 'q' },
      { labels: { job: 'a', code: '404' }, legendFormat: '{{missing}}', expr: 'q' },
      { labels: { service: 'x' }, legendFormat: 'svc {{service}}', expr: 'q' },
    ]);
    expect(names).toEqual(['{code="200", job="a"}', '{code="500", job="a"}', '{code="404", job="a"}', 'svc x']);
    expect(nameSeries([{ labels: {}, expr: 'sum(rate(x[5m]))' }])).toEqual(['sum(rate(x[5m]))']);
  });
});

describe('match', () => {
  const items = [{ title: 'Checkout service' }, { title: 'Checkout errors' }, { title: 'Node exporter' }];
  it('prefers exact titles, then a unique partial one', () => {
    expect(pickByTitle('checkout SERVICE', items)).toEqual({ kind: 'one', item: items[0] });
    expect(pickByTitle('node', items)).toEqual({ kind: 'one', item: items[2] });
    expect(pickByTitle('checkout', items)).toEqual({ kind: 'many', items: [items[0], items[1]] });
    expect(pickByTitle('grafana', items)).toEqual({ kind: 'none' });
  });
  it('suggests the nearest titles and nothing far away', () => {
    expect(closestTitles('Chekout servce', items.map((i) => i.title))).toEqual(['Checkout service', 'Checkout errors']);
    expect(closestTitles('zzzzzzzzzzzzzzzzzzzzzzzz', items.map((i) => i.title))).toEqual([]);
  });
  it('escapes user text for inline code', () => {
    expect(inlineCode('<!channel> `x` & y')).toBe('`&lt;!channel&gt; ˋxˋ &amp; y`');
  });
  it('splits tag: words from the title text', () => {
    expect(splitSearchTerms('  checkout tag:prod api TAG:team ')).toEqual({ query: 'checkout api', tags: ['prod', 'team'] });
    expect(splitSearchTerms('')).toEqual({ query: '', tags: [] });
  });
});

describe('links', () => {
  it('uses panel-<id> from Grafana 11, numeric ids before', () => {
    expect(usesSceneIds('12.1.0')).toBe(true);
    expect(usesSceneIds('10.4')).toBe(false);
    expect(usesSceneIds(undefined)).toBe(false);
  });
  it('builds a viewPanel url with range, variables and org when known', () => {
    const u = new URL(viewPanelUrl('https://g.example/d/u/s', 7, { start: 1000, end: 2000 }, { svc: ['a', 'b&c'] }, { sceneIds: true, orgId: 1 }));
    expect(u.searchParams.get('viewPanel')).toBe('panel-7');
    expect(u.searchParams.get('orgId')).toBe('1');
    expect([u.searchParams.get('from'), u.searchParams.get('to')]).toEqual(['1000', '2000']);
    expect(u.searchParams.getAll('var-svc')).toEqual(['a', 'b&c']);
  });
});
