import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

const SECRET_KEY = /(token|secret|password|passwd|authorization|credential|signature|cookie|sessionid|api[-_]?key|private[-_]?key)/i;
// Slack tokens (xoxb-, xoxp-, xapp-, xoxe-…), AWS secret-looking values after known prefixes, bearer headers.
const SECRET_TEXT = [/\bxox[a-z]-[A-Za-z0-9-]{6,}/g, /\bxapp-[A-Za-z0-9-]{6,}/g, /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, /\b(ASIA|AKIA)[A-Z0-9]{16}\b/g];

/** Replaces secret-looking substrings in free text (error messages, URLs that carry tokens). */
export function scrubText(s: string): string {
  return SECRET_TEXT.reduce((acc, re) => acc.replace(re, (m) => `${m.slice(0, 5)}[REDACTED]`), s);
}

/** Deep copy with every secret-named key's value replaced and secret-looking strings scrubbed. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: scrubText(value.message) };
    if (value.stack) out.stack = scrubText(value.stack);
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined) out.cause = redact(value.cause, depth + 1);
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && typeof v !== 'boolean' ? '[REDACTED]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * JSON logs (pino) with secrets redacted everywhere: by key name at any depth, and by value shape in strings
 * (log messages included), so a token pasted into an error message does not reach the log either.
 */
export function createLogger(opts: { level: string; destination?: DestinationStream; base?: Record<string, unknown> }): Logger {
  return pino(
    {
      level: opts.level,
      base: { app: 'lookout', ...opts.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (obj) => redact(obj) as Record<string, unknown> },
      serializers: { err: (e: unknown) => redact(e) },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    opts.destination,
  );
}
