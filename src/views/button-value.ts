/**
 * The one encoding of a button's value: its fields in a fixed order, space-separated (`nip-… us-west-2 prod`,
 * `EXP… prod`), so a value stays readable in the audit log. A field is written only when every field before it
 * is; the last field read back takes the rest (an account name may contain spaces). Values posted before a field
 * was added stay valid: they decode with that field absent.
 */
import { LIMITS } from './text';

export function encodeButtonValue<K extends string>(fields: readonly K[], v: Partial<Record<K, string>>): string {
  const parts: string[] = [];
  for (const f of fields) {
    if (!v[f]) break;
    parts.push(v[f] as string);
  }
  return parts.join(' ').slice(0, LIMITS.buttonValue);
}

export function decodeButtonValue<K extends string>(fields: readonly K[], value: string): Partial<Record<K, string>> {
  const words = value.trim().split(' ').filter(Boolean);
  const out: Partial<Record<K, string>> = {};
  fields.forEach((f, i) => {
    const v = i === fields.length - 1 ? words.slice(i).join(' ') : words[i];
    if (v) out[f] = v;
  });
  return out;
}

/** Re-run and Watch: the path, then the region and account it was asked in. */
export const REACH_BUTTON = ['pathId', 'region', 'account'] as const;
/** Stop confirmation: the experiment, then the account `/chaos stop … --account` named (older buttons: the id alone). */
export const STOP_BUTTON = ['experiment', 'account'] as const;
