import { describeChange, digestOf, normalizeAnswer, shouldPost } from '../../../src/reports/digest';

describe('digestOf', () => {
  it.each([
    ['checked 3 min ago', 'checked 12 s ago'],
    ['took 1.2 s', 'took 850 ms'],
    ['took 2 h 5 min', 'took 3 min'],
    ['Reference lk-a1b2c3', 'Reference lk-zz99'],
    ['at <!date^1764406800^{date_short_pretty} {time}|2025-11-29T09:00:00Z>', 'at <!date^1764410400^{time}|2025-11-29T10:00:00Z>'],
    ['2026-11-29T09:00:00Z', '2026-11-30T10:15:00.123Z'],
    ['as of 09:00', 'as of 17:45:12'],
    ['analysis nia-0123456789abcdef0', 'analysis nia-0fedcba987654321f'],
    ['request 1b4e28ba-2fa1-11d2-883f-0016d3cca427', 'request 6fa459ea-ee8a-3ca4-894e-db77e160355e'],
    ['Analyzing… 12 s', 'Analyzing… 48 s'],
    ['explore?from=1764406800000&to=1764428400000', 'explore?from=1764410400000&to=1764432000000'],
    ['a   b\n c', 'a b c'],
  ])('%j and %j digest alike', (a, b) => {
    expect(digestOf(a)).toBe(digestOf(b));
  });

  it.each([
    ['db-1 is reachable from web-1', 'db-1 is not reachable from web-1'],
    ['error rate 3%', 'error rate 5%'],
    ['db-1:5432', 'db-1:5433'],
    ['path nip-0123456789abcdef0', 'path nip-0123456789abcdef1'],
    ['up = 1', 'up = 0'],
  ])('%j and %j differ', (a, b) => {
    expect(digestOf(a)).not.toBe(digestOf(b));
  });

  it('keeps ports and ids that are part of the answer', () => {
    expect(normalizeAnswer('web-1 -> db-1:22 via sg-0abc')).toBe('web-1 -> db-1:22 via sg-0abc');
  });
});

describe('shouldPost', () => {
  it('posts always without on-change; with it, only a new or first answer', () => {
    expect(shouldPost({ onChange: false, lastDigest: 'a' }, 'a')).toBe(true);
    expect(shouldPost({ onChange: true, lastDigest: null }, 'a')).toBe(true);
    expect(shouldPost({ onChange: true, lastDigest: 'a' }, 'a')).toBe(false);
    expect(shouldPost({ onChange: true, lastDigest: 'a' }, 'b')).toBe(true);
  });
});

describe('describeChange', () => {
  it.each([
    ['db-1 is not reachable from web-1', 'db-1 is reachable from web-1', 'db-1 is now reachable from web-1'],
    ['db-1 is reachable from web-1', 'db-1 is not reachable from web-1', 'db-1 is no longer reachable from web-1'],
    ['error rate is 3%', 'error rate is 5%', 'error rate is now 5% (was 3%)'],
    ['2 experiments running', '0 experiments running', 'Now: 0 experiments running (was: 2 experiments running)'],
    ['blocked by sg-0db', 'blocked by sg-0db and nacl-1', 'blocked by sg-0db and nacl-1 (was: blocked by sg-0db)'],
    ['blocked by sg-0db and nacl-1', 'blocked by sg-0db', 'blocked by sg-0db (was: blocked by sg-0db and nacl-1)'],
  ])('%j → %j', (a, b, want) => {
    expect(describeChange(a, b)).toBe(want);
  });
  it('says nothing when nothing changed or there is nothing to compare with', () => {
    expect(describeChange('same  thing', 'same thing')).toBeNull();
    expect(describeChange(null, 'first')).toBeNull();
    expect(describeChange('x', undefined)).toBeNull();
  });
});
