/** The real clock (the port is src/ports/clock.ts; tests use test/helpers/manual-clock.ts). */
import type { Clock } from './ports/clock';

/** A real-time sleep that an AbortSignal cancels (rejecting with the signal's reason). */
export function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = { now: () => Date.now(), sleep: sleepFor };
