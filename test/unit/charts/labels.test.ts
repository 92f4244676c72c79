import fc from 'fast-check';
import { commonLabels, formatLabelSet, shortenLabelSets } from '../../../src/charts/labels';

describe('shortenLabelSets', () => {
  it('drops labels shared by every series and keeps the differing ones', () => {
    const sets = [
      { __name__: 'http_requests_total', job: 'api', code: '200', method: 'GET' },
      { __name__: 'http_requests_total', job: 'api', code: '500', method: 'GET' },
      { __name__: 'http_requests_total', job: 'api', code: '500', method: 'POST' },
    ];
    expect(shortenLabelSets(sets)).toEqual(['{code="200", method="GET"}', '{code="500", method="GET"}', '{code="500", method="POST"}']);
  });
  it('shows the metric name when it is what differs', () => {
    const sets = [
      { __name__: 'up', job: 'api' },
      { __name__: 'scrape_duration_seconds', job: 'api' },
    ];
    expect(shortenLabelSets(sets)).toEqual(['up', 'scrape_duration_seconds']);
  });
  it('treats a label present in only some series as differing', () => {
    expect(shortenLabelSets([{ job: 'a' }, { job: 'a', le: '0.5' }])).toEqual(['{job="a"}', '{le="0.5"}']);
  });
  it('keeps a single series whole, and names an empty label set with the fallback', () => {
    expect(shortenLabelSets([{ __name__: 'up', job: 'api' }])).toEqual(['up{job="api"}']);
    expect(shortenLabelSets([{}], 'sum(rate(x[5m]))')).toEqual(['sum(rate(x[5m]))']);
    expect(shortenLabelSets([])).toEqual([]);
  });
  it('handles label names that collide with Object.prototype members', () => {
    expect(shortenLabelSets([{ constructor: 'a' }, { constructor: 'b' }])).toEqual(['{constructor="a"}', '{constructor="b"}']);
  });
  it('never yields an empty name and keeps distinct sets distinct (property)', () => {
    const labelSet = fc.dictionary(fc.constantFrom('job', 'code', 'instance', '__name__'), fc.constantFrom('a', 'b', 'c'), { maxKeys: 4 });
    fc.assert(
      fc.property(fc.uniqueArray(labelSet, { selector: (s) => formatLabelSet(s), minLength: 1, maxLength: 6 }), (sets) => {
        const names = shortenLabelSets(sets, 'value');
        expect(names).toHaveLength(sets.length);
        names.forEach((n) => expect(n.length).toBeGreaterThan(0));
        expect(new Set(names).size).toBe(sets.length);
      }),
    );
  });
});

describe('commonLabels / formatLabelSet', () => {
  it('finds the labels with one value everywhere', () => {
    expect(commonLabels([{ a: '1', b: '2' }, { a: '1', b: '3' }])).toEqual({ a: '1' });
    expect(commonLabels([])).toEqual({});
  });
  it('formats in Prometheus notation with sorted labels', () => {
    expect(formatLabelSet({ z: '1', __name__: 'm', a: '2' })).toBe('m{a="2", z="1"}');
    expect(formatLabelSet({})).toBe('{}');
  });
});
