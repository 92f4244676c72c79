import { guardFiredText, guardLines, guardStateText, type GuardRow } from '../../../src/views/chaos-guards';

const row = (o: Partial<GuardRow> = {}): GuardRow => ({ name: 'web-5xx', expr: 'sum(rate(errors{code="500"}[1m])) > 5', forMs: 60_000, status: 'inactive', series: 0, failures: 0, ...o });

describe('guard views', () => {
  it.each<[string, GuardRow, string]>([
    ['ok', row(), ':large_green_circle: ok'],
    ['ok with a value', row({ value: 1.23456 }), ':large_green_circle: ok · value 1.235'],
    ['pending', row({ status: 'pending', series: 2 }), ':hourglass_flowing_sand: pending: 2 series'],
    ['firing', row({ status: 'firing', series: 3, reason: 'returned 3 series for 1m' }), ':rotating_light: firing: returned 3 series for 1m'],
    ['firing without a reason', row({ status: 'firing', series: 3 }), ':rotating_light: firing: 3 series'],
    ['failing', row({ failures: 2 }), ':large_green_circle: ok · :warning: 2 failed evaluations in a row'],
  ])('%s', (_name, g, want) => {
    expect(guardStateText(g)).toBe(want);
  });

  it('says how long a pending guard has held, of its `for`', () => {
    expect(guardStateText(row({ status: 'pending', series: 1 }), 30_000, 0)).toBe(':hourglass_flowing_sand: pending: 1 series for 30 s of 1 min');
  });

  it('lists guards with their rule, escaped, and says when they are the only brake', () => {
    const text = guardLines([row(), row({ name: 'db', expr: 'x < 1 & <!here>', forMs: 0 })], { hasStopConditions: false });
    expect(text).toContain('• *web-5xx* — :large_green_circle: ok\n   `sum(rate(errors{code="500"}[1m])) &gt; 5` for 1 min');
    expect(text).toContain('`x &lt; 1 &amp; &lt;!here&gt;`');
    expect(text).toContain('these guards are its only brake');
    expect(guardLines([row()], { hasStopConditions: true })).not.toContain('only brake');
    expect(guardLines([], { hasStopConditions: false })).toContain('nothing stops this experiment but a person');
  });

  it('names the guard that fired, with its value and expression', () => {
    expect(guardFiredText(row({ status: 'firing', series: 1, value: 27.5, reason: 'returned 1 series for 1m' }), 'EXP1')).toBe(
      ':rotating_light: Guard *web-5xx* fired (returned 1 series for 1m), so Lookout stopped experiment `EXP1`. Its value: *27.5*.\n`sum(rate(errors{code="500"}[1m])) &gt; 5`',
    );
  });
});
