import { LookoutError } from '../../../src/errors';
import { ManualClock } from '../../helpers/manual-clock';
import { PostOutcomeUnknownError, createPacer, retryAfterOf } from '../../../src/reports/pacer';
import { waitFor } from './fixtures';

const t0 = Date.UTC(2026, 10, 29, 9, 0, 0);

/** Slack's WebAPIRateLimitedError shape: code + retryAfter in seconds. */
const rateLimited = (seconds: number) => Object.assign(new Error('A rate limit was exceeded'), { code: 'slack_webapi_rate_limited_error', retryAfter: seconds });
/** @slack/web-api's RequestError: the transport failed; `original` is the underlying error. */
const requestError = (code: string) => Object.assign(new Error(`A request error occurred: ${code}`), { code: 'slack_webapi_request_error', original: Object.assign(new Error(code), { code }) });
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
    // The replier's clear message (src/ops/slack-gate.ts) keeps Slack's 429 as its cause.
    [new LookoutError('rate_limited', 'Slack is limiting how fast I may post…', { cause: rateLimited(4) }), 4000],
    [new LookoutError('upstream', 'x', { cause: new Error('socket hang up') }), null],
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

  it('retries a post Slack surely never got (connection refused) with back-off; the same post only', async () => {
    const clock = new ManualClock(t0);
    const pacer = createPacer({ clock, minGapMs: 1000, backoffMs: 1000, maxAttempts: 3 });
    const attempts: number[] = [];
    const flaky = pacer.send('C1', async () => {
      attempts.push(clock.now() - t0);
      if (attempts.length < 3) throw requestError('ECONNREFUSED');
      return 'ok';
    });
    await drive(clock, () => attempts.length === 3);
    expect(await flaky).toBe('ok');
    expect(attempts).toEqual([0, 1000, 3000]);
  });

  it.each([
    ['a timeout', requestError('ECONNABORTED')],
    ['a reset', requestError('ECONNRESET')],
    ['an HTTP 503', Object.assign(new Error('An HTTP protocol error occurred: statusCode = 503'), { code: 'slack_webapi_http_error', statusCode: 503 })],
    ['Slack’s internal_error', platform('internal_error')],
    ['an unknown failure', new Error('socket hang up')],
  ])('after %s the post may be in the channel: posted: unknown, never sent again (issue 10)', async (_what, err) => {
    const clock = new ManualClock(t0);
    const pacer = createPacer({ clock, maxAttempts: 5 });
    let calls = 0;
    const sent = pacer.send('C1', async () => {
      calls++;
      throw err;
    });
    await expect(sent).rejects.toBeInstanceOf(PostOutcomeUnknownError);
    await expect(sent).rejects.toThrow(/posted: unknown/);
    expect(calls).toBe(1);
  });

  it('Slack refusing the post (channel_not_found) is passed on at once: nothing was posted', async () => {
    const pacer = createPacer({ clock: new ManualClock(t0), maxAttempts: 5 });
    let calls = 0;
    const gone = pacer.send('C9', async () => {
      calls++;
      throw platform('channel_not_found');
    });
    await expect(gone).rejects.toThrow('channel_not_found');
    expect(calls).toBe(1);
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
