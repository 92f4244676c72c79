import { describeChange, shouldPost } from '../../../src/reports/on-change';

const stored = { lastSummary: 'up is 1', lastPostedAt: 1 };

describe('shouldPost', () => {
  it('posts always without on-change; with it, only a new or first answer', () => {
    expect(shouldPost({ ...stored, onChange: false, lastFingerprint: 'a' }, 'a')).toBe(true);
    expect(shouldPost({ ...stored, onChange: true, lastFingerprint: null }, 'a')).toBe(true);
    expect(shouldPost({ ...stored, onChange: true, lastFingerprint: 'a' }, 'a')).toBe(false);
    expect(shouldPost({ ...stored, onChange: true, lastFingerprint: 'a' }, 'b')).toBe(true);
  });

  it('posts an answer that has no fingerprint: there is nothing to compare', () => {
    expect(shouldPost({ ...stored, onChange: true, lastFingerprint: 'a' }, undefined)).toBe(true);
  });

  it('a report stored before fingerprints records its first one silently, unless it never answered', () => {
    expect(shouldPost({ ...stored, onChange: true }, 'a')).toBe(false);
    expect(shouldPost({ onChange: true, lastSummary: null, lastPostedAt: null }, 'a')).toBe(true);
    expect(shouldPost({ ...stored, onChange: false }, 'a')).toBe(true);
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
