import { LookoutError } from '../errors';
import { inlineCode } from '../text';

/** Milliseconds per unit. Only the units product.md §8 names: s, m, h, d. */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const DURATION_HINT = 'expected a duration like 90s, 30m, 2h or 1d';

/**
 * Parses `90s`, `30m`, `2h`, `1d` (or a sum such as `1h30m`) into milliseconds; null for anything else.
 * A bare number is refused on purpose: `30` could mean seconds or minutes, and a wrong guess is silent.
 */
export function tryParseDuration(text: string): number | null {
  const s = text.trim();
  if (!/^(\d+[smhd])+$/.test(s)) return null;
  let total = 0;
  for (const [, amount, unit] of s.matchAll(/(\d+)([smhd])/g)) {
    total += Number(amount) * UNIT_MS[unit];
  }
  return total > 0 && Number.isSafeInteger(total) ? total : null;
}

/** Like tryParseDuration, but `0s` (any unit) is 0: a guard's `for` (lookout.yml and `--guard-for`) may be zero. */
export function tryParseDurationOrZero(text: string): number | null {
  return /^0+[smhd]$/.test(text.trim()) ? 0 : tryParseDuration(text);
}

/** Like tryParseDuration, for command flags: throws a usage error naming the accepted forms. */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === null) {
    throw new LookoutError('usage', `${inlineCode(text)} is not a duration: ${DURATION_HINT}.`);
  }
  return ms;
}
