import { parseDuration, tryParseDuration, tryParseDurationOrZero } from '../../../src/config/duration';
import { isLookoutError } from '../../../src/errors';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    [' 15m ', 900_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(tryParseDuration(text)).toBe(ms);
  });

  it.each(['30', '', 'm', '1.5h', '-5m', '0s', '10 m', '2w', '1H', '5ms', 'h1', '99999999999999999999d'])(
    '%j is refused',
    (text) => {
      expect(tryParseDuration(text)).toBeNull();
      let thrown: unknown;
      try {
        parseDuration(text);
      } catch (e) {
        thrown = e;
      }
      expect(isLookoutError(thrown) && thrown.code).toBe('usage');
      expect((thrown as Error).message).toContain('90s, 30m, 2h or 1d');
    },
  );

  it('escapes what the person typed in the usage message', () => {
    expect(() => parseDuration('<!channel>')).toThrow('&lt;!channel&gt;');
  });
});

describe('tryParseDurationOrZero', () => {
  it.each([
    ['0s', 0],
    ['0m', 0],
    [' 00h ', 0],
    ['0d', 0],
    ['90s', 90_000],
  ])('%j is %d ms', (text, ms) => {
    expect(tryParseDurationOrZero(text)).toBe(ms);
  });

  it.each(['0', '', '0w', '-0s', '0s0m', 'soon'])('%j is refused', (text) => {
    expect(tryParseDurationOrZero(text)).toBeNull();
  });
});
