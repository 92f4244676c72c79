import { z } from 'zod';
import { DURATION_HINT, tryParseDuration } from './duration';
import { editDistance } from '../text';

/**
 * Building blocks for the configuration schema. Every field states its expectation in the user's terms
 * ("expected a positive integer, got 0"), so a start-up message can be acted on without reading code.
 */
type RawIssue = { input?: unknown; code?: string };

/** A value as it appears in the message: short, quoted like YAML would show it. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const s = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Error function: "required" when the key is missing, otherwise what was expected and what came. */
export function expecting(what: string) {
  return (iss: RawIssue): string =>
    iss.input === undefined ? 'required' : `expected ${what}, got ${show(iss.input)}`;
}

export const text = (what = 'a string') => z.string({ error: expecting(what) }).min(1, { error: expecting(what) });

export const matching = (re: RegExp, what: string) =>
  z.string({ error: expecting(what) }).regex(re, { error: expecting(what) });

export const bool = () => z.boolean({ error: expecting('true or false') });

export const positiveInt = () => {
  const error = expecting('a positive integer');
  return z.number({ error }).int({ error }).min(1, { error });
};

export const SLACK_USER_OR_GROUP = /^[UWS][A-Z0-9]+$/;
export const SLACK_CHANNEL = /^[CGD][A-Z0-9]+$/;
export const ROLE_ARN = /^arn:aws[-a-z]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const region = () => matching(REGION, 'an AWS region like us-east-1');
export const accountName = () => matching(ACCOUNT_NAME, 'an account name (letters, digits, - _ .)');
export const envName = () => matching(ENV_NAME, 'an environment variable name like PROM_TOKEN');
export const principal = () =>
  matching(SLACK_USER_OR_GROUP, 'a Slack user id (U…, W…) or user-group id (S…), not a name');
export const channelId = () => matching(SLACK_CHANNEL, 'a Slack channel id (C…, G…, D…)');

export const httpUrl = () =>
  z.string({ error: expecting('an http(s) URL') }).refine(isHttpUrl, { error: expecting('an http(s) URL') });

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Intl is the authority on zone names: what it accepts, the freeze-window evaluation can use. */
export function isTimeZone(tz: string): boolean {
  if (tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timezone = () =>
  z
    .string({ error: expecting('an IANA time zone like Europe/Berlin') })
    .refine(isTimeZone, { error: expecting('an IANA time zone like Europe/Berlin') });

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

export const isoDate = () =>
  z.string({ error: expecting('a date YYYY-MM-DD') }).refine(isIsoDate, { error: expecting('a date YYYY-MM-DD') });

/** A duration string turned into milliseconds, within bounds that keep the feature meaningful. */
export function duration(minMs: number, maxMs: number, bounds: string) {
  return z.string({ error: expecting(DURATION_HINT.replace(/^expected /, '')) }).transform((s, ctx) => {
    const ms = tryParseDuration(s);
    if (ms === null || ms < minMs || ms > maxMs) {
      const message = ms === null ? `${DURATION_HINT}, got ${show(s)}` : `expected ${bounds}, got ${show(s)}`;
      ctx.issues.push({ code: 'custom', message, input: s });
      return z.NEVER;
    }
    return ms;
  });
}

/**
 * A strict mapping: unknown keys are problems, so a typo never silently falls back to a default.
 * Zod reports all unknown keys of one mapping in one issue; the message carries one line per key, in the
 * issue's key order, which formatIssues splits back into one problem per key.
 */
export function strict<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss: RawIssue & { keys?: string[] }) =>
      iss.code === 'unrecognized_keys'
        ? (iss.keys ?? []).map((k) => describeUnknownKey(k, known)).join('\n')
        : expecting('a mapping')(iss),
  });
}

function describeUnknownKey(key: string, known: string[]): string {
  const near = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key, 2) <= 2);
  return near ? `unknown key (did you mean ${near}?)` : `unknown key (expected one of: ${known.join(', ')})`;
}
