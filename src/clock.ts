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

/**
 * Leases and due times on the store's clock (the database's, on Postgres: src/store/db-time.ts), sleeping on the
 * injected one. Replicas whose own clocks disagree then agree on when a lease lapses and a report is due.
 */
export const storeClock = (store: { now(): number }, clock: Clock): Clock => ({ now: () => store.now(), sleep: (ms, signal) => clock.sleep(ms, signal) });
