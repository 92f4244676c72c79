/**
 * A stable hash of a small plain value (canonical JSON: keys sorted, undefined left out) — what `--on-change`
 * reports compare. Callers pass the facts an answer shows (states, codes, values as displayed), never rendered
 * text, so a change of wording or of volatile parts (times, durations, ids) does not count as a change.
 */
import { hash } from 'node:crypto';

export function fingerprintOf(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'hex');
}

/** JSON with object keys in code-unit order at every level; non-finite numbers (NaN from an empty series) as strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify(String(value));
  return JSON.stringify(value) ?? 'null';
}
