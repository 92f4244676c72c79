import { formatNumber, formatScaled, formatValue, pickScale, type ChartUnit } from '../../../src/charts/units';

describe('formatValue', () => {
  const cases: [number, ChartUnit, string][] = [
    [0, 'bytes', '0 B'],
    [512, 'bytes', '512 B'],
    [1229, 'bytes', '1.2 KiB'],
    [1234, 'bytes', '1.21 KiB'],
    [1536 * 1024, 'bytes', '1.5 MiB'],
    [5 * 1024 ** 3, 'bytes', '5 GiB'],
    [-2048, 'bytes', '-2 KiB'],
    [0.35, 'seconds', '350 ms'],
    [0.0000042, 'seconds', '4.2 µs'],
    [3e-9, 'seconds', '3 ns'],
    [12.5, 'seconds', '12.5 s'],
    [90, 'seconds', '1.5 min'],
    [7200, 'seconds', '2 h'],
    [3 * 86400, 'seconds', '3 d'],
    [0, 'seconds', '0 s'],
    [0.99996, 'seconds', '1 s'],
    [45, 'percent', '45 %'],
    [99.94, 'percent', '99.9 %'],
    [0.45, 'ratio', '45 %'],
    [1, 'ratio', '100 %'],
    [0.0012, 'ratio', '0.12 %'],
    [42, 'none', '42'],
    [1234, 'none', '1.23k'],
    [2_500_000, 'none', '2.5M'],
    [0.125, 'none', '0.125'],
    [NaN, 'bytes', 'NaN'],
    [Infinity, 'seconds', '+Inf'],
    [-Infinity, 'none', '-Inf'],
  ];
  it.each(cases)('%p %s → %s', (value, unit, expected) => {
    expect(formatValue(value, unit)).toBe(expected);
  });
});

describe('pickScale', () => {
  it('chooses one scale for the largest value so every tick shares it', () => {
    const s = pickScale(3 * 1024 * 1024, 'bytes');
    expect(s.suffix).toBe(' MiB');
    expect(formatScaled(512 * 1024, s)).toBe('0.5 MiB');
    expect(formatScaled(0, s)).toBe('0 MiB');
  });
  it('keeps percent and ratio in percent regardless of magnitude', () => {
    expect(pickScale(1e6, 'percent').suffix).toBe(' %');
    expect(formatScaled(0.5, pickScale(1, 'ratio'))).toBe('50 %');
  });
  it('falls back to the base unit for zero and non-finite maxima', () => {
    expect(pickScale(0, 'bytes').suffix).toBe(' B');
    expect(pickScale(NaN, 'none').suffix).toBe('');
    expect(pickScale(0, 'seconds').suffix).toBe(' s');
  });
});

describe('formatNumber', () => {
  it.each([
    [1, '1'],
    [1.005, '1'],
    [123.456, '123'],
    [1234.5, '1235'],
    [0.000123, '0.000123'],
    [-0.0000001, '-1e-7'],
    [1e16, '1e+16'],
    [-0.0004, '-0.0004'],
  ])('%p → %s', (n, expected) => {
    expect(formatNumber(n)).toBe(expected);
  });
});
