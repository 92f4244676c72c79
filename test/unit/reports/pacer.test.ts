import { ManualClock } from '../../helpers/manual-clock';
import { createPacer, retryAfterOf } from '../../../src/reports/pacer';
import { waitFor } from './fixtures';

const t0 = Date.UTC(2026, 10, 29, 9, 0, 0);

/** Slack's WebAPIRateLimitedError shape: code + retryAfter in seconds. */
const rateLimited = (seconds: number) => Object.assign(new Error('A rate limit was exceeded'), { code: 'slack_webapi_rate_limited_error', retryAfter: seconds });
const platform = (error: string) => Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error } });

async function drive(clock: ManualClock, until: () => boolean, stepMs = 100, maxMs = 60_000) {
  for (let spent = 0; spent < maxMs; spent += stepMs) {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    if (until()) return;
    await clock.advance(stepMs);
  }
}

describe('retryAfterOf', () => {
  it.each([
    [rateLimited(3), 3000],
    [{ retryAfterMs: 1500 }, 1500],
    [{ data: { retryAfter: 2 } }, 2000],
    [{ code: 'slack_webapi_rate_limited_error' }, 1000],
    [new Error('socket hang up'), null],
    [null, null],
    ['429', null],
  ])('%p → %p', (err, ms) => expect(retryAfterOf(err)).toBe(ms));
});

describe('createPacer', () => {
  it('spaces posts to one channel about a second apart; other channels are not held back', async () => {
    const clock = new ManualClock(t0);
    const pacer = createPacer({ clock, minGapMs: 1000 });
    const sent: [string, number, number][] = [];
    const post = (channel: string, n: number) => pacer.send(channel, async () => void sent.push([channel, n, clock.now() - t0]));
    const all = Promise.all([post('C1', 1), post('C1', 2), post('C1', 3), post('C2', 1)]);
    await drive(clock, () => sent.length === 4);
    await all;
    expect(sent.filter(([c]) => c === 'C1').map(([, n, at]) => [n, at])).toEqual([
      [1, 0],
      [2, 1000],
      [3, 2000],
    ]);
    expect(sent.find(([c]) => c === 'C2')?.[2]).toBe(0);
    expect(pacer.pending).toBe(0);
  });

  it('honours 429 Retry-After: waits as told, holds every channel meanwhile, retries the same post only', async () => {
    const clock = new ManualClock(t0);
    const pacer = createPacer({ clock, minGapMs: 1000 });
    const calls: [string, number][] = [];
    // The report's command ran once and built this message; the pacer re-sends it, it never asks for a new one.
    const message = { text: 'answer' };
    let failFirst = true;
    const first = pacer.send('C1', async () => {
      calls.push(['C1', clock.now() - t0]);
      if (failFirst) {
        failFirst = false;
        throw rateLimited(5);
      }
      return message.text;
    });
    await waitFor(() => calls.length === 1);
    const second = pacer.send('C2', async () => void calls.push(['C2', clock.now() - t0]));
    await drive(clock, () => calls.length === 3);
    expect(await first).toBe('answer');
    await second;
    expect(calls).toEqual([
      ['C1', 0],
      ['C1', 5000],
      ['C2', 5000],
    ]);
  });

  it('retries a transient failure with back-off, gives up on a permanent one at once', async () => {
    const clock = new ManualClock(t0);
    const pacer = createPacer({ clock, minGapMs: 1000, backoffMs: 1000, maxAttempts: 3 });
    const attempts: number[] = [];
    const flaky = pacer.send('C1', async () => {
      attempts.push(clock.now() - t0);
      if (attempts.length < 3) throw Object.assign(new Error('socket hang up'), { code: 'slack_webapi_request_error' });
      return 'ok';
    });
    await drive(clock, () => attempts.length === 3);
    expect(await flaky).toBe('ok');
    expect(attempts).toEqual([0, 1000, 3000]);

    let permanentCalls = 0;
    const gone = pacer.send('C9', async () => {
      permanentCalls++;
      throw platform('channel_not_found');
    });
    await expect(gone).rejects.toThrow('channel_not_found');
    expect(permanentCalls).toBe(1);
  });

  it('gives up after maxAttempts and rejects with the last error; the queue keeps going', async () => {
    const clock = new ManualClock(t0);
    const pacer = createPacer({ clock, minGapMs: 1000, maxAttempts: 2 });
    const failing = pacer.send('C1', async () => {
      throw rateLimited(1);
    });
    const outcome = failing.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    let after = 0;
    const next = pacer.send('C1', async () => void after++);
    await drive(clock, () => after === 1);
    expect(await outcome).toBe('A rate limit was exceeded');
    await next;
    expect(after).toBe(1);
  });
});
