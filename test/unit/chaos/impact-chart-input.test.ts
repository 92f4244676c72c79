import { planImpactCharts } from '../../../src/chaos/guards/impact';
import { impactChartInput } from '../../../handlers/background/chaos-charts';

const MIN = 60_000;
const t0 = Date.UTC(2026, 11, 3, 6, 0);

describe('impactChartInput', () => {
  const plan = planImpactCharts({
    startedAt: t0,
    endedAt: t0 + 4 * MIN,
    guards: [{ name: 'web-5xx', expr: 'errors > 5', forMs: MIN, value: 'errors' }],
    watchMetrics: [],
  });
  const series = Array.from({ length: 12 }, (_, i) => ({ labels: { job: 'web', pod: `p${i}` }, points: [[t0, i] as [number, number]] }));

  it('draws the planned range with the experiment’s start and end marked', () => {
    const input = impactChartInput(plan, plan.charts[0], series, { now: t0 + 5 * MIN });
    expect(input.range).toEqual({ start: t0 - 10 * MIN, end: t0 + 4 * MIN });
    expect(input.markers).toEqual([
      { at: t0, label: 'start' },
      { at: t0 + 4 * MIN, label: 'end' },
    ]);
    expect(input.title).toBe('Guard web-5xx: errors');
    expect(input.now).toBe(t0 + 5 * MIN);
  });

  it('draws the top ten series and says how many were left out; a firing chart carries its prefix', () => {
    const input = impactChartInput(plan, plan.charts[0], series, { now: t0, titlePrefix: 'Fired: ' });
    expect(input.series).toHaveLength(10);
    expect(input.series[0].name).toBe('{pod="p0"}');
    expect(input.notDrawn).toBe(2);
    expect(input.title).toBe('Fired: Guard web-5xx: errors');
  });
});
