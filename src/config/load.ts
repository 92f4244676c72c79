import YAML from 'yaml';
import type { z } from 'zod';
import { parseEnv } from './env';
import { expecting, ROLE_ARN } from './fields';
import { checkReferences } from './references';
import { fileSchema, type FileConfig } from './schema';
import type { ChannelConfig, Config, LookoutConfig } from './types';

export type LoadResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const MINUTE = 60_000;

/**
 * env + YAML text → typed Config, or every problem found (product.md §1: one message listing all of them).
 * Pure and total: it never throws, whatever the input. `fileText` null means no file: built-in defaults.
 */
export function loadConfig(env: Record<string, string | undefined>, fileText: string | null): LoadResult {
  try {
    return load(env, fileText);
  } catch (e) {
    return { ok: false, problems: [`configuration could not be read: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

function load(env: Record<string, string | undefined>, fileText: string | null): LoadResult {
  const envResult = parseEnv(env);
  const problems = envResult.success ? [] : formatIssues(envResult.error.issues, (path) => `env ${path.join('.')}`);

  const yaml = typeof fileText !== 'string' ? { value: {}, problems: [] } : readYaml(fileText);
  problems.push(...yaml.problems);
  let file: FileConfig | undefined;
  if (yaml.problems.length === 0) {
    const fileResult = fileSchema.safeParse(yaml.value, { error: describeIssue });
    if (fileResult.success) file = fileResult.data;
    else problems.push(...formatIssues(fileResult.error.issues, formatPath));
    problems.push(...checkReferences(yaml.value, env).map((r) => `${formatPath(r.path)}: ${r.message}`));
  }

  if (problems.length > 0 || !envResult.success || file === undefined) return { ok: false, problems };
  return { ok: true, config: { env: envResult.data, lookout: toLookoutConfig(file, typeof fileText === 'string') } };
}

/** YAML syntax errors carry their line and column; an empty file is an empty mapping. */
function readYaml(text: string): { value: unknown; problems: string[] } {
  // logLevel 'error': yaml would otherwise print process warnings (collection keys); the schema reports those keys.
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return pos ? `YAML line ${pos.line}, column ${pos.col}: ${message}` : `YAML: ${message}`;
    });
    return { value: undefined, problems };
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) ?? {}, problems: [] };
  } catch (e) {
    // Unresolved or exploding aliases surface only when the document is turned into values.
    return { value: undefined, problems: [`YAML: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

/** Fallback wording for issues a field did not phrase itself. */
function describeIssue(iss: { code?: string; input?: unknown; expected?: string; values?: unknown[] }): string | undefined {
  if (iss.code === 'invalid_type') {
    const what = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false' }[iss.expected ?? ''];
    return expecting(what ?? String(iss.expected))(iss);
  }
  if (iss.code === 'invalid_value' && iss.values) return `expected one of ${iss.values.map(String).join(', ')}`;
  return undefined;
}

/** `channels.C0123.minApprovals`, `reports[1].cron`; the root is "(top level)". */
function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? String(seg) : `.${String(seg)}`;
  return out === '' ? '(top level)' : out;
}

function formatIssues(issues: z.core.$ZodIssue[], at: (path: PropertyKey[]) => string): string[] {
  return issues.flatMap((iss) => {
    if (iss.code === 'unrecognized_keys') {
      // strict() puts one line per unknown key in the message, in key order.
      const lines = iss.message.split('\n');
      return iss.keys.map((k, i) => `${at([...iss.path, k])}: ${lines[i] ?? 'unknown key'}`);
    }
    const message = iss.code === 'invalid_key' ? (iss.issues[0]?.message ?? iss.message) : iss.message;
    return [`${at(iss.path)}: ${message}`];
  });
}

function toLookoutConfig(f: FileConfig, present: boolean): LookoutConfig {
  const chaos = f.chaos ?? {};
  return {
    present,
    aws: { region: f.aws?.region },
    accounts: Object.fromEntries(
      Object.entries(f.accounts ?? {}).map(([name, a]) => [
        name,
        { name, roleArn: a.roleArn, accountId: a.roleArn ? ROLE_ARN.exec(a.roleArn)?.[1] : undefined, region: a.region },
      ]),
    ),
    admins: f.admins ?? [],
    metrics: f.metrics,
    grafana: f.grafana,
    chaos: {
      approvalTtlMs: chaos.approvalTtl ?? 30 * MINUTE,
      allowSelfApproval: chaos.allowSelfApproval ?? false,
      requireStopConditions: chaos.requireStopConditions ?? true,
      maxRunning: chaos.maxRunning ?? 1,
      templateTag: chaos.templateTag,
      timezone: chaos.timezone ?? 'UTC',
      freeze: chaos.freeze ?? [],
      guards: (chaos.guards ?? []).map(({ for: forMs, ...g }) => ({ ...g, forMs: forMs ?? 0 })),
      guardIntervalMs: chaos.guardInterval ?? 15_000,
      guardFailures: chaos.guardFailures ?? 3,
      watchMetrics: chaos.watchMetrics ?? [],
    },
    reach: { minWatchIntervalMs: f.reach?.minWatchInterval ?? 15 * MINUTE },
    limits: { perUserPerMinute: f.limits?.perUserPerMinute ?? 20, perChannelPerMinute: f.limits?.perChannelPerMinute ?? 60 },
    channels: resolveAllow(f.channels ?? {}),
    reports: f.reports ?? [],
  };
}

/**
 * ChannelConfig.allow is required, so a listed channel that leaves `allow` out takes default's here
 * (keys override default's one by one); the other keys are inherited in policy/channelPolicy.
 */
function resolveAllow(channels: NonNullable<FileConfig['channels']>): Record<string, ChannelConfig> {
  const fallback = channels.default?.allow ?? [];
  return Object.fromEntries(
    Object.entries(channels).map(([id, ch]) => [id, { ...ch, allow: ch.allow ?? (id === 'default' ? [] : fallback) }]),
  );
}
