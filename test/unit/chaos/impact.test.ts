import { IMPACT_LEAD_MS, planImpactCharts } from '../../../src/chaos/guards/impact';
import { pointsFor } from '../../../src/metrics/plan';
import fc from 'fast-check';

const MIN = 60_000;
const t0 = Date.UTC(2026, 11, 3, 6, 0);

describe('planImpactCharts', () => {
  it('charts each guard’s value (or expression) and each watched metric from 10 minutes before the start to the end', () => {
    const plan = planImpactCharts({
      startedAt: t0,
      endedAt: t0 + 3 * MIN,
      guards: [
        { name: 'web-5xx', expr: 'errors > 5', forMs: MIN, value: 'errors' },
        { name: 'ad-hoc', expr: 'up == 0', forMs: 0 },
      ],
      watchMetrics: ['sum(rate(http_requests_total[1m]))', 'errors'],
    });
    expect(plan).toEqual({
      range: { start: t0 - 10 * MIN, end: t0 + 3 * MIN, stepMs: 15_000 },
      charts: [
        { title: 'Guard web-5xx: errors', expr: 'errors', source: { kind: 'guard', guard: 'web-5xx' } },
        { title: 'Guard ad-hoc: up == 0', expr: 'up == 0', source: { kind: 'guard', guard: 'ad-hoc' } },
        { title: 'sum(rate(http_requests_total[1m]))', expr: 'sum(rate(http_requests_total[1m]))', source: { kind: 'watch' } },
      ],
      markers: [
        { at: t0, label: 'start' },
        { at: t0 + 3 * MIN, label: 'end' },
      ],
    });
  });

  it('picks a nice step for long experiments (12 h → 5 m)', () => {
    expect(planImpactCharts({ startedAt: t0, endedAt: t0 + 12 * 60 * MIN, guards: [], watchMetrics: [] }).range.stepMs).toBe(5 * MIN);
  });

  it('an experiment that ended as it started (or before) gets one marker and a 10-minute window', () => {
    const plan = planImpactCharts({ startedAt: t0, endedAt: t0 - 1, guards: [], watchMetrics: ['x'] });
    expect(plan.markers).toEqual([{ at: t0, label: 'start' }]);
    expect(plan.range).toMatchObject({ start: t0 - IMPACT_LEAD_MS, end: t0 });
  });

  it('always stays within 11,000 points a series, and at or above a 15 s step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 24 * 60 * MIN }), (duration) => {
        const { range } = planImpactCharts({ startedAt: t0, endedAt: t0 + duration, guards: [], watchMetrics: [] });
        expect(pointsFor(range.end - range.start, range.stepMs)).toBeLessThanOrEqual(11_000);
        expect(range.stepMs).toBeGreaterThanOrEqual(15_000);
      }),
    );
  });
});
