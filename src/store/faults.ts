/**
 * Store faults in the person's terms (issue 13 item 7). A database that is down, busy or out of disk surfaces as a
 * driver error (pg: ECONNREFUSED, "Connection terminated unexpectedly", 57P01…; better-sqlite3: SQLITE_BUSY,
 * SQLITE_FULL…) that would otherwise reach the error wrapper as an unexplained failure. Here it becomes a
 * LookoutError saying what happened and what to do; anything else passes through unchanged.
 */
import { LookoutError, isLookoutError } from '../errors';

export type StoreFault = 'unreachable' | 'busy' | 'full' | 'io';

interface DriverError {
  code?: unknown;
  message?: unknown;
}

// Postgres SQLSTATE classes 08 (connection exception) and 57P0x (the server shutting down or restarting).
const PG_DOWN = /^(08|57P0)/;
const NET_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const PG_DOWN_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i;

/** Which store fault `err` is, or null when it is not one (a bug, a constraint, a LookoutError). */
export function classifyStoreFault(err: unknown): StoreFault | null {
  if (!err || typeof err !== 'object' || isLookoutError(err)) return null;
  const { code, message } = err as DriverError;
  const c = typeof code === 'string' ? code : '';
  if (c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED')) return 'busy';
  if (c === 'SQLITE_FULL') return 'full';
  if (c.startsWith('SQLITE_IOERR') || c.startsWith('SQLITE_READONLY') || c === 'SQLITE_CANTOPEN') return 'io';
  if (NET_DOWN.has(c) || PG_DOWN.test(c)) return 'unreachable';
  if (typeof message === 'string' && PG_DOWN_MESSAGES.test(message)) return 'unreachable';
  return null;
}

const HINT_OPERATOR = 'If it lasts, tell whoever runs Lookout: `/readyz` reports the store as down meanwhile.';

const MESSAGES: Record<StoreFault, { code: 'upstream' | 'timeout'; message: string; hint: string }> = {
  unreachable: { code: 'upstream', message: 'Lookout cannot reach its database right now, so this was not done.', hint: `Try again in a minute. ${HINT_OPERATOR}` },
  busy: { code: 'timeout', message: 'Lookout’s database is busy (another process holds its write lock), so this was not done.', hint: 'Try again in a moment.' },
  full: { code: 'upstream', message: 'Lookout’s database is out of disk space, so this could not be saved.', hint: `Whoever runs Lookout needs to free space on the volume of its SQLite file; nothing needs restarting. ${HINT_OPERATOR}` },
  io: { code: 'upstream', message: 'Lookout could not write to its database file, so this could not be saved.', hint: HINT_OPERATOR },
};

/** The LookoutError for a store fault; `err` itself when it is not one. */
export function storeFaultError(err: unknown): unknown {
  const fault = classifyStoreFault(err);
  if (!fault) return err;
  const m = MESSAGES[fault];
  return new LookoutError(m.code, m.message, { cause: err, hint: m.hint });
}
