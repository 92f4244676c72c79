import { fontSizeOf, loadFontMetrics } from '../../../src/charts/font-metrics';
import { findShippedFont } from '../../../src/charts/render';

describe('loadFontMetrics', () => {
  const metrics = loadFontMetrics(findShippedFont());

  it('reads advance widths from the font (DejaVu Sans "a" is 1255/2048 em)', () => {
    expect(metrics.measure('a', 2048)).toBe(1255);
    expect(metrics.measure('aa', 12)).toBeCloseTo(2 * (1255 / 2048) * 12, 6);
  });
  it('gives proportional widths, and a full em to characters the font lacks', () => {
    expect(metrics.measure('W', 12)).toBeGreaterThan(metrics.measure('i', 12));
    expect(metrics.measure('国', 12)).toBe(12);
    expect(metrics.measure('', 12)).toBe(0);
  });
  it('parses the size out of a CSS font shorthand', () => {
    expect(fontSizeOf('bold 16px "DejaVu Sans"')).toBe(16);
    expect(fontSizeOf('11.5px sans-serif')).toBe(11.5);
    expect(fontSizeOf(undefined)).toBe(12);
  });
});
