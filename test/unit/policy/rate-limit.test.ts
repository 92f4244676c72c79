import { ManualClock } from '../../helpers/manual-clock';
import { createRateLimiter } from '../../../src/policy/rate-limit';

describe('createRateLimiter', () => {
  it('refuses the user over the per-user limit, with the time until a slot frees', async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ perUserPerMinute: 3, perChannelPerMinute: 100 }, clock);
    expect(limiter.check('U1', 'C1')).toEqual({ ok: true });
    await clock.advance(10_000);
    expect(limiter.check('U1', 'C1')).toEqual({ ok: true });
    expect(limiter.check('U1', 'C2')).toEqual({ ok: true });
    expect(limiter.check('U1', 'C1')).toEqual({ ok: false, scope: 'user', retryAfterMs: 50_000 });
    expect(limiter.check('U2', 'C1')).toEqual({ ok: true });
  });

  it('slides: the oldest call leaves the window after exactly 60 s', async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ perUserPerMinute: 2, perChannelPerMinute: 100 }, clock);
    limiter.check('U1', 'C1');
    await clock.advance(30_000);
    limiter.check('U1', 'C1');
    await clock.advance(29_999);
    expect(limiter.check('U1', 'C1')).toEqual({ ok: false, scope: 'user', retryAfterMs: 1 });
    await clock.advance(1);
    expect(limiter.check('U1', 'C1')).toEqual({ ok: true });
    expect(limiter.check('U1', 'C1')).toEqual({ ok: false, scope: 'user', retryAfterMs: 30_000 });
  });

  it('refuses the channel over the per-channel limit, whoever calls', () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ perUserPerMinute: 100, perChannelPerMinute: 2 }, clock);
    expect(limiter.check('U1', 'C1').ok).toBe(true);
    expect(limiter.check('U2', 'C1').ok).toBe(true);
    expect(limiter.check('U3', 'C1')).toEqual({ ok: false, scope: 'channel', retryAfterMs: 60_000 });
    expect(limiter.check('U3', 'C2').ok).toBe(true);
  });

  it('a refused call uses no budget', async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ perUserPerMinute: 1, perChannelPerMinute: 2 }, clock);
    expect(limiter.check('U1', 'C1').ok).toBe(true);
    // Hammering while refused must not push the retry time out, nor eat the channel's budget.
    for (let i = 0; i < 50; i++) {
      await clock.advance(1000);
      expect(limiter.check('U1', 'C1')).toMatchObject({ ok: false, scope: 'user' });
    }
    expect(limiter.check('U2', 'C1').ok).toBe(true);
    await clock.advance(10_000);
    expect(limiter.check('U1', 'C1')).toEqual({ ok: true });
  });

  it('a call refused for the channel does not use the user’s budget', () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ perUserPerMinute: 2, perChannelPerMinute: 1 }, clock);
    expect(limiter.check('U1', 'C1').ok).toBe(true);
    expect(limiter.check('U2', 'C1')).toMatchObject({ ok: false, scope: 'channel' });
    expect(limiter.check('U2', 'C2').ok).toBe(true);
    expect(limiter.check('U2', 'C3').ok).toBe(true);
    expect(limiter.check('U2', 'C4')).toMatchObject({ ok: false, scope: 'user' });
  });

  it('forgets idle users and channels, so memory follows recent traffic', async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ perUserPerMinute: 5, perChannelPerMinute: 5 }, clock);
    for (let i = 0; i < 1000; i++) limiter.check(`U${i}`, `C${i}`);
    expect(limiter.trackedKeys).toBe(2000);
    await clock.advance(61_000);
    limiter.check('U1', 'C1');
    expect(limiter.trackedKeys).toBe(2);
  });
});
