import fc from 'fast-check';
import { formatPromDuration, NICE_STEPS_MS, niceStepAtLeast, planRange, pointsFor } from '../../../src/metrics/plan';
import { DEFAULT_METRICS_LIMITS as L } from '../../../src/metrics/model';
import { LookoutError } from '../../../src/errors';

const NOW = Date.UTC(2026, 10, 29, 9);
const H = 3_600_000;

describe('planRange', () => {
  it('picks a nice step giving about 240 points when none is given', () => {
    expect(planRange({ rangeMs: 6 * H }, NOW, L)).toEqual({ start: NOW - 6 * H, end: NOW, stepMs: 120_000, stepChosen: true });
    expect(planRange({ rangeMs: H }, NOW, L).stepMs).toBe(15_000);
    expect(planRange({ rangeMs: 7 * 24 * H }, NOW, L).stepMs).toBe(H);
    expect(planRange({ rangeMs: 30 * 24 * H }, NOW, L).stepMs).toBe(3 * H);
    expect(planRange({ rangeMs: 60_000 }, NOW, L).stepMs).toBe(1_000);
  });

  it('keeps every automatic step within the points cap and on the nice list (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: L.maxRangeMs }), (rangeMs) => {
        const plan = planRange({ rangeMs }, NOW, L);
        expect(NICE_STEPS_MS).toContain(plan.stepMs);
        expect(pointsFor(rangeMs, plan.stepMs)).toBeLessThanOrEqual(L.targetPoints + 1);
      }),
    );
  });

  it('ends at --at and keeps a user step that fits', () => {
    const end = NOW - 24 * H;
    expect(planRange({ rangeMs: H, stepMs: 60_000, end }, NOW, L)).toEqual({ start: end - H, end, stepMs: 60_000, stepChosen: false });
  });

  it('refuses a user step that would exceed 11,000 points, naming one that fits', () => {
    const refuse = () => planRange({ rangeMs: 7 * 24 * H, stepMs: 15_000 }, NOW, L);
    expect(refuse).toThrow(LookoutError);
    expect(refuse).toThrow(/40,321 points a series; the limit is 11,000/);
    try {
      refuse();
    } catch (e) {
      expect((e as LookoutError).code).toBe('invalid_input');
      expect((e as LookoutError).hint).toContain('`--step 1m`');
      expect(pointsFor(7 * 24 * H, 60_000)).toBeLessThanOrEqual(11_000);
    }
  });

  it('accepts exactly 11,000 points', () => {
    expect(planRange({ rangeMs: 10_999 * 1000, stepMs: 1000 }, NOW, L).stepMs).toBe(1000);
    expect(() => planRange({ rangeMs: 11_000 * 1000, stepMs: 1000 }, NOW, L)).toThrow(/11,001 points/);
  });

  it('refuses ranges beyond the cap and ends in the future', () => {
    expect(() => planRange({ rangeMs: 33 * 24 * H }, NOW, L)).toThrow(/longer than Lookout allows \(4w4d\)/);
    expect(() => planRange({ rangeMs: H, end: NOW + 2 * H }, NOW, L)).toThrow(/in the future/);
  });
});

describe('helpers', () => {
  it('formats durations the Prometheus way', () => {
    expect(formatPromDuration(90_000)).toBe('1m30s');
    expect(formatPromDuration(6 * H)).toBe('6h');
    expect(formatPromDuration(1500)).toBe('1s500ms');
  });

  it('rounds up to the next nice step', () => {
    expect(niceStepAtLeast(16_000)).toBe(30_000);
    expect(niceStepAtLeast(60_000)).toBe(60_000);
    expect(niceStepAtLeast(10 * 24 * H)).toBe(10 * 24 * H);
  });
});
