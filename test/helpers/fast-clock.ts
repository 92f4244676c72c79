import type { Clock } from '../../src/ports/clock';

/**
 * A clock that runs `speed` times faster than real time, with real timers underneath: pollers, expiries and
 * experiments of minutes take milliseconds, and everything still interleaves as it would in production.
 */
export function fastClock(speed: number, start = Date.now()): Clock {
  const t0 = Date.now();
  return {
    now: () => start + (Date.now() - t0) * speed,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms / speed));
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}
