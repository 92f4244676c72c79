import { z } from 'zod';
import {
  accountName,
  bool,
  channelId,
  duration,
  envName,
  expecting,
  httpUrl,
  show,
  isoDate,
  matching,
  positiveInt,
  principal,
  region,
  ROLE_ARN,
  SLACK_CHANNEL,
  strict,
  text,
  timezone,
} from './fields';
import { tryParseDurationOrZero } from './duration';
import type { FreezeWindow, Verb } from './types';

/** The schema of lookout.yml (product.md §8). Output is close to the file; load.ts maps it onto LookoutConfig. */
export const VERBS: readonly Verb[] = [
  'reach',
  'reach:watch',
  'chaos:read',
  'chaos:run',
  'chaos:stop',
  'metrics',
  'grafana',
  'report:read',
  'report:write',
  'admin',
];
/** Bare prefixes that grant every verb under them (`report` = report:read + report:write). */
export const GRANT_PREFIXES = ['reach', 'chaos', 'report'] as const;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// Refinements with `when` also run on input that failed its type check: look before reading fields.
const isMapping = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];
const FULL_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const grant = z.string({ error: expecting('a verb, a prefix or "*"') }).refine(isGrant, {
  error: (iss) =>
    iss.input === 'admin'
      ? 'admin cannot be granted to a channel: list the people or user groups under admins'
      : `expected a verb (${VERBS.filter((v) => v !== 'admin').join(', ')}), a prefix (${GRANT_PREFIXES.join(', ')}) or "*", got ${JSON.stringify(iss.input)}`,
});

function isGrant(g: string): boolean {
  return g === '*' || (g !== 'admin' && ((VERBS as readonly string[]).includes(g) || (GRANT_PREFIXES as readonly string[]).includes(g)));
}

const dayName = z
  .string({ error: expecting('a day: mon, tue, wed, thu, fri, sat or sun') })
  .transform((s, ctx): Day => {
    const lower = s.trim().toLowerCase();
    const i = FULL_DAYS.indexOf(lower);
    const day = i >= 0 ? DAYS[i] : (DAYS as readonly string[]).includes(lower) ? (lower as Day) : undefined;
    if (day) return day;
    ctx.issues.push({ code: 'custom', message: `expected a day: ${DAYS.join(', ')}, got ${JSON.stringify(s)}`, input: s });
    return z.NEVER;
  });

const freezeWindow = strict({
  days: z.array(dayName, { error: expecting('a list of days') }).min(1, { error: 'expected at least one day' }).optional(),
  from: isoDate().optional(),
  to: isoDate().optional(),
  reason: text().optional(),
}).superRefine((w, ctx) => {
  if ((w.from === undefined) !== (w.to === undefined)) {
    const missing = w.from === undefined ? 'from' : 'to';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'required with ' + (missing === 'from' ? 'to' : 'from') + ' (to is inclusive)' });
  } else if (w.from !== undefined && w.to !== undefined && w.from > w.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${w.from})` });
  }
  if (w.days === undefined && w.from === undefined && w.to === undefined) {
    ctx.addIssue({ code: 'custom', path: [], message: 'a freeze window needs days, or from and to' });
  }
}) satisfies z.ZodType<FreezeWindow>;

const templateTag = z.string({ error: expecting('"key=value"') }).transform((s, ctx) => {
  const eq = s.indexOf('=');
  const key = eq > 0 ? s.slice(0, eq).trim() : '';
  if (eq <= 0 || key.length > 128 || s.length - eq - 1 > 256) {
    ctx.issues.push({ code: 'custom', message: `expected "key=value" (a tag the template must carry), got ${JSON.stringify(s)}`, input: s });
    return z.NEVER;
  }
  return { key, value: s.slice(eq + 1).trim() };
});

const serviceAccountId = z
  .union([text(), z.number().int().nonnegative()], { error: expecting('a service account id like "5"') })
  .transform(String);

const channel = strict({
  account: accountName().optional(),
  accounts: z.array(accountName(), { error: expecting('a list of account names') }).min(1, { error: 'expected at least one account' }).optional(),
  allow: z.array(grant, { error: expecting('a list of verbs') }).optional(),
  approvers: z.array(principal(), { error: expecting('a list of Slack user or user-group ids') }).optional(),
  minApprovals: positiveInt().optional(),
});

const channelKey = z.string().refine((k) => k === 'default' || SLACK_CHANNEL.test(k), {
  error: (iss) =>
    `expected "default" or a Slack channel id (C…, G…, D…): names change, ids do not, got ${JSON.stringify(iss.input)}`,
});

const report = strict({
  id: matching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an id (letters, digits, - and _)'),
  channel: channelId(),
  cron: text('a cron expression like "0 9 * * 1-5"').refine((c) => [5, 6].includes(c.trim().split(/\s+/).length), {
    error: (iss) => `expected a cron expression with 5 or 6 fields like "0 9 * * 1-5", got ${JSON.stringify(iss.input)}`,
  }),
  tz: timezone().optional(),
  onChange: bool().optional(),
  command: text('a command like "/metrics up"').refine((c) => c.trim().startsWith('/'), {
    error: (iss) => `expected a command starting with "/" like "/chaos history", got ${JSON.stringify(iss.input)}`,
  }),
});

// `when`: duplicates are reported even while another report has a problem (entries may be partly invalid).
const reports = z.array(report, { error: expecting('a list of reports') }).superRefine(
  (list, ctx) => {
    if (!Array.isArray(list)) return;
    const seen = new Set<unknown>();
    list.forEach((r, i) => {
      const id: unknown = typeof r === 'object' && r !== null ? r.id : undefined;
      if (typeof id === 'string' && seen.has(id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate report id ${JSON.stringify(id)}` });
      seen.add(id);
    });
  },
  { when: () => true },
);

const metrics = strict({
  amp: strict({ workspaceId: matching(/^ws-[A-Za-z0-9-]+$/, 'a workspace id like ws-0123'), region: region().optional(), account: accountName().optional() }).optional(),
  prometheus: strict({ url: httpUrl(), tokenEnv: envName().optional(), usernameEnv: envName().optional(), passwordEnv: envName().optional() })
    .superRefine((p, ctx) => {
      if (p.tokenEnv && (p.usernameEnv || p.passwordEnv)) ctx.addIssue({ code: 'custom', path: ['tokenEnv'], message: 'use either tokenEnv (bearer) or usernameEnv + passwordEnv (basic), not both' });
      if (!p.usernameEnv !== !p.passwordEnv) ctx.addIssue({ code: 'custom', path: [p.usernameEnv ? 'passwordEnv' : 'usernameEnv'], message: 'basic auth needs both usernameEnv and passwordEnv' });
    })
    .optional(),
}).superRefine(
  (m, ctx) => {
    if (!isMapping(m)) return;
    if (!m.amp === !m.prometheus) ctx.addIssue({ code: 'custom', path: [], message: 'expected exactly one of amp or prometheus' });
  },
  { when: () => true },
);

const grafana = strict({
  amg: strict({ workspaceId: matching(/^g-[A-Za-z0-9]+$/, 'a workspace id like g-0123'), region: region().optional(), account: accountName().optional(), serviceAccountId }).optional(),
  url: httpUrl().optional(),
  tokenEnv: envName().optional(),
  datasourceUid: text().optional(),
}).superRefine(
  (g, ctx) => {
    if (!isMapping(g)) return;
    if (!g.amg === !g.url) ctx.addIssue({ code: 'custom', path: [], message: 'expected exactly one of amg or url' });
    if (g.amg && g.tokenEnv) ctx.addIssue({ code: 'custom', path: ['tokenEnv'], message: 'not used with amg: Lookout creates short-lived tokens itself' });
  },
  { when: () => true },
);

/** PromQL longer than this is refused, in lookout.yml and in `/chaos run --guard` alike. */
export const GUARD_EXPR_MAX_LENGTH = 4000;
/** The name `/chaos run --guard` gives its one ad-hoc guard; configured guards may not take it. */
export const AD_HOC_GUARD_NAME = 'ad-hoc';
const GUARD_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const promql = () =>
  text('a PromQL expression').refine((q) => q.length <= GUARD_EXPR_MAX_LENGTH, {
    error: (iss) => `expected at most ${GUARD_EXPR_MAX_LENGTH} characters of PromQL, got ${String(iss.input).length}`,
  });

// `for: 0s` is Prometheus's default and means "fire on the first evaluation that returns series".
const guardFor = z.string({ error: expecting('a duration like 0s, 90s or 5m') }).transform((s, ctx) => {
  const ms = tryParseDurationOrZero(s);
  if (ms !== null && ms <= DAY) return ms;
  ctx.issues.push({ code: 'custom', message: `expected a duration like 0s, 90s or 5m (at most 1d), got ${show(s)}`, input: s });
  return z.NEVER;
});

const guard = strict({
  name: matching(GUARD_NAME, 'a guard name (lower-case letters, digits, - and _)').refine((n) => n !== AD_HOC_GUARD_NAME, {
    error: `"${AD_HOC_GUARD_NAME}" is the name of the guard given with /chaos run --guard; pick another`,
  }),
  expr: promql(),
  for: guardFor.optional(),
  value: promql().optional(),
  templates: z.array(text('a template id or Name tag'), { error: expecting('a list of template ids or Name tags') }).min(1, { error: 'expected at least one template' }).optional(),
});

const guards = z.array(guard, { error: expecting('a list of guards') }).superRefine(
  (list, ctx) => {
    if (!Array.isArray(list)) return;
    const seen = new Set<unknown>();
    list.forEach((g, i) => {
      const name: unknown = isMapping(g) ? (g as { name?: unknown }).name : undefined;
      if (typeof name === 'string' && seen.has(name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate guard name ${JSON.stringify(name)}` });
      seen.add(name);
    });
  },
  { when: () => true },
);

const chaos = strict({
  approvalTtl: duration(MINUTE, 7 * DAY, 'between 1m and 7d').optional(),
  allowSelfApproval: bool().optional(),
  requireStopConditions: bool().optional(),
  maxRunning: positiveInt().optional(),
  templateTag: templateTag.optional(),
  timezone: timezone().optional(),
  freeze: z.array(freezeWindow, { error: expecting('a list of freeze windows') }).optional(),
  guards: guards.optional(),
  guardInterval: duration(1000, 60 * MINUTE, 'between 1s and 1h').optional(),
  guardFailures: positiveInt().optional(),
  watchMetrics: z.array(promql(), { error: expecting('a list of PromQL expressions') }).optional(),
});

const account = strict({
  roleArn: matching(ROLE_ARN, 'an IAM role ARN like arn:aws:iam::111111111111:role/lookout').optional(),
  region: region().optional(),
});

const fileShape = {
  aws: strict({ region: region().optional() }).optional(),
  accounts: z.record(accountName(), account, { error: expecting('a mapping of account names') }).optional(),
  admins: z.array(principal(), { error: expecting('a list of Slack user or user-group ids') }).optional(),
  metrics: metrics.optional(),
  grafana: grafana.optional(),
  chaos: chaos.optional(),
  reach: strict({ minWatchInterval: duration(MINUTE, 30 * DAY, 'between 1m and 30d').optional() }).optional(),
  limits: strict({ perUserPerMinute: positiveInt().optional(), perChannelPerMinute: positiveInt().optional() }).optional(),
  channels: z.record(channelKey, channel, { error: expecting('a mapping of channel ids') }).optional(),
  reports: reports.optional(),
};

/** The whole file; references between sections are checked separately (references.ts). */
export const fileSchema = strict(fileShape);

export type FileConfig = z.output<typeof fileSchema>;
