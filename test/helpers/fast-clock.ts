import { sleepFor } from '../../src/clock';
import type { Clock } from '../../src/ports/clock';

/**
 * A clock that runs `speed` times faster than real time, with real timers underneath: pollers, expiries and
 * experiments of minutes take milliseconds, and everything still interleaves as it would in production.
 */
export function fastClock(speed: number, start = Date.now()): Clock {
  const t0 = Date.now();
  return {
    now: () => start + (Date.now() - t0) * speed,
    sleep: (ms, signal) => sleepFor(Math.max(0, ms / speed), signal),
  };
}

/** Waits until `fn` returns something truthy (effects that arrive asynchronously) and returns it. */
export async function eventually<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
