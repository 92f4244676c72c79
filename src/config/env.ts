import { z } from 'zod';
import { isHttpUrl } from './fields';
import type { RuntimeEnv } from './types';

/** Environment variables of product.md §1. Empty values count as unset (a blank line in an env file). */
export const ENV_KEYS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'PORT',
  'LOOKOUT_CONFIG',
  'DATABASE_URL',
  'LOG_LEVEL',
  'AWS_REGION',
] as const;
type EnvKey = (typeof ENV_KEYS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const DEFAULT_API_URL = 'https://slack.com/api/';
const DEFAULT_DATABASE_URL = 'sqlite:./data/lookout.db';

/** Token values are secrets: messages say what kind of token it looks like, never echo it. */
function token(prefix: 'xoxb-' | 'xapp-', what: string) {
  return z.string().refine((t) => t.startsWith(prefix), {
    error: (iss) => {
      const t = String(iss.input);
      const kind = t.startsWith('xapp-') ? ' (this is an app-level token, xapp-)' : t.startsWith('xoxb-') ? ' (this is a bot token, xoxb-)' : t.startsWith('xoxp-') ? ' (this is a user token, xoxp-)' : '';
      return `expected ${what} starting with ${prefix}${kind}`;
    },
  });
}

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: token('xoxb-', 'the bot token').optional(),
    SLACK_APP_TOKEN: token('xapp-', 'an app-level token').optional(),
    SLACK_SIGNING_SECRET: z.string().optional(),
    SLACK_API_URL: z
      .string()
      .refine(isHttpUrl, { error: (iss) => `expected an http(s) URL like ${DEFAULT_API_URL}, got ${JSON.stringify(iss.input)}` })
      .optional(),
    PORT: z
      .string()
      .refine((p) => /^\d{1,5}$/.test(p) && Number(p) <= 65535, {
        error: (iss) => `expected an integer from 0 to 65535, got ${JSON.stringify(iss.input)}`,
      })
      .optional(),
    LOOKOUT_CONFIG: z.string().optional(),
    DATABASE_URL: z
      .string()
      .refine((u) => /^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(u), {
        // A database URL may carry a password: say what is expected, not what was given.
        error: 'expected sqlite:<path> or postgres://…',
      })
      .optional(),
    LOG_LEVEL: z
      .string()
      .refine((l) => (LOG_LEVELS as readonly string[]).includes(l.toLowerCase()), {
        error: (iss) => `expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(iss.input)}`,
      })
      .optional(),
    AWS_REGION: z.string().optional(),
  })
  .superRefine(
    (e, ctx) => {
      if (e.SLACK_APP_TOKEN !== undefined && e.SLACK_BOT_TOKEN === undefined) {
        ctx.addIssue({ code: 'custom', path: ['SLACK_APP_TOKEN'], message: 'set without SLACK_BOT_TOKEN: Socket Mode needs both the bot token (xoxb-) and the app-level token (xapp-)' });
      }
      if (e.SLACK_BOT_TOKEN !== undefined && e.SLACK_APP_TOKEN === undefined && e.SLACK_SIGNING_SECRET === undefined) {
        ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'required in HTTP mode (SLACK_BOT_TOKEN set, SLACK_APP_TOKEN unset): copy it from the app\'s Basic Information page, or set SLACK_APP_TOKEN for Socket Mode' });
      }
    },
    { when: () => true },
  )
  .transform(
    (e): RuntimeEnv => ({
      slackBotToken: e.SLACK_BOT_TOKEN,
      slackSigningSecret: e.SLACK_SIGNING_SECRET,
      slackAppToken: e.SLACK_APP_TOKEN,
      slackApiUrl: withTrailingSlash(e.SLACK_API_URL ?? DEFAULT_API_URL),
      port: e.PORT === undefined ? 3000 : Number(e.PORT),
      databaseUrl: e.DATABASE_URL ?? DEFAULT_DATABASE_URL,
      logLevel: (e.LOG_LEVEL ?? 'info').toLowerCase(),
      awsRegion: e.AWS_REGION,
      configPath: e.LOOKOUT_CONFIG,
    }),
  );

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Only the variables Lookout reads, trimmed (tokens pasted with a newline), blanks dropped. */
export function pickEnv(env: Record<string, string | undefined>): Partial<Record<EnvKey, string>> {
  const picked: Partial<Record<EnvKey, string>> = {};
  for (const key of ENV_KEYS) {
    const raw = env[key];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value !== '') picked[key] = value;
  }
  return picked;
}

/** Validates the environment; issues carry the variable name as their path. */
export function parseEnv(env: Record<string, string | undefined>) {
  return envSchema.safeParse(pickEnv(env));
}
