import { canonicalJson, fingerprintOf } from '../../../src/common/fingerprint';

describe('fingerprintOf', () => {
  it('ignores key order at every level and keys whose value is undefined', () => {
    const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 'x' }, gone: undefined };
    const b = { a: { x: 'x', y: [1, { p: 2, q: 1 }] }, b: 1 };
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":2,"q":1}]},"b":1}');
  });

  it('keeps array order, types and non-finite numbers apart', () => {
    expect(fingerprintOf([1, 2])).not.toBe(fingerprintOf([2, 1]));
    expect(fingerprintOf({ v: 1 })).not.toBe(fingerprintOf({ v: '1' }));
    expect(fingerprintOf({ v: NaN })).not.toBe(fingerprintOf({ v: Infinity }));
    expect(fingerprintOf({ v: NaN })).not.toBe(fingerprintOf({ v: null }));
  });

  it('is pinned: stored fingerprints must keep matching after an upgrade, or every on-change report posts once', () => {
    expect(fingerprintOf({ reachable: true })).toBe('dc7b96cdc442e28525027aa947c2125aeca30928d704ee8b488c13ade5618de5');
  });
});
