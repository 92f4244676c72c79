/**
 * The database's clock, as this process best knows it, for leases and due times (issue 13: replicas whose clocks
 * disagree must still agree on when a lease lapses and when a report is due).
 *
 * Asking the database on every claim would cost a round trip each; instead the offset between the database's
 * clock and the host's is measured (at open, then every `refreshMs`) and added to the injected clock. Tests drive
 * time through the injected clock (a ManualClock), so the offset is laid on top of it rather than replacing it:
 * on one machine the offset is within the dead band and the injected clock passes through unchanged.
 */
import type { Clock } from '../ports/clock';
import type { StoreLogger } from './connect';

export interface DbTime {
  now(): number;
  /** The offset currently applied (database − host), in ms. */
  readonly offsetMs: number;
  stop(): void;
}

export interface DbTimeOptions {
  clock: Pick<Clock, 'now'>;
  /** The host clock the database's is compared with; tests skew it together with `clock` to play a skewed replica. */
  wallClock?: () => number;
  /** One reading of the database's clock in epoch ms; absent (SQLite: one process owns the file) = no offset. */
  readDbClock?: () => Promise<number>;
  refreshMs?: number;
  logger?: StoreLogger;
}

/**
 * Offsets this small are within what one reading can tell apart from its own round trip and from NTP's ordinary
 * drift; ignoring them keeps the injected clock exact (tests compare timestamps). Leases are minutes long, and
 * every claim is a compare-and-set anyway: a skew below this only shifts when a claim happens, never how often.
 */
export const DEAD_BAND_MS = 500;

/** Measures once (a failure leaves the offset at 0 and is retried on the next refresh), then in the background. */
export async function startDbTime(o: DbTimeOptions): Promise<DbTime> {
  const wall = o.wallClock ?? Date.now;
  let offset = 0;
  const measure = async () => {
    if (!o.readDbClock) return;
    try {
      const before = wall();
      const db = await o.readDbClock();
      const after = wall();
      // The database read its clock somewhere within the round trip: the midpoint is the best guess.
      const measured = db - (before + after) / 2;
      offset = Math.abs(measured) <= DEAD_BAND_MS ? 0 : Math.round(measured);
    } catch (err) {
      o.logger?.warn({ err }, 'store: reading the database clock failed; keeping the last offset');
    }
  };
  await measure();
  const timer = o.readDbClock ? setInterval(() => void measure(), o.refreshMs ?? 60_000) : undefined;
  timer?.unref();
  return {
    now: () => o.clock.now() + offset,
    get offsetMs() {
      return offset;
    },
    stop: () => clearInterval(timer),
  };
}
