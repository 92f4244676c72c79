/** Sentences shared by the /reach views: the question in words, ages. */
import type { ReachQuestion } from '../reach/model';
import { endpointLabel } from './reach-console';
import { escapeText, formatDuration, truncate } from './text';

/** "12 s" while under a minute (never "0 ms"), then formatDuration's "3 min". */
export function ago(ms: number): string {
  const clamped = Math.max(0, ms);
  return clamped < 60_000 ? `${Math.floor(clamped / 1000)} s` : formatDuration(clamped);
}

/** `web-1` → `db-1` on tcp/5432 */
export function questionText(q: ReachQuestion): string {
  return `${endpointLabel(q.source)} → ${endpointLabel(q.destination)} on ${q.protocol}/${q.port ?? 'any port'}`;
}

export function plainQuestion(q: ReachQuestion): string {
  const name = (e: ReachQuestion['source']) => e.name ?? e.ip ?? e.input;
  return escapeText(truncate(`${name(q.source)} → ${name(q.destination)} on ${q.protocol}/${q.port ?? 'any port'}`, 300));
}

