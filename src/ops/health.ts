import type { WebClient } from '@slack/web-api';
import type { Config } from '../config/types';
import { isLookoutError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import { currentHalt, haltTime, type HaltState } from '../chaos/halt';
import type { HealthCheck } from '../views/lookout';
import { newReferenceId } from './process-guards';

export interface BackendCheck {
  name: string;
  /** What the check touches, so it runs only for a caller who may use that (HealthScope). */
  uses: 'aws' | 'metrics' | 'grafana';
  /** For `aws`: the account's name in lookout.yml (or `default`). */
  account?: string;
  check(): Promise<string>; // resolves with a short detail, rejects when unhealthy
}

/**
 * Which backends one `/lookout status` may exercise: the channel's accounts (all of them for an admin), and AWS,
 * metrics and Grafana only for a caller with a verb that uses them. Status never makes Lookout assume a role or
 * query a backend on a caller's behalf that the caller could not reach with a command in that channel.
 */
export interface HealthScope {
  accounts: string[] | 'all';
  aws: boolean;
  metrics: boolean;
  grafana: boolean;
}

const EVERYTHING: HealthScope = { accounts: 'all', aws: true, metrics: true, grafana: true };

/** `/lookout status`: Slack, the store, AWS and the metrics backends, each timed; one failing never hides the others. */
export function createHealthChecks(o: {
  web: WebClient;
  store: Store;
  config: Config;
  clock: Clock;
  backends?: BackendCheck[];
  log?: { warn(obj: object, msg: string): void };
}): (scope?: HealthScope) => Promise<HealthCheck[]> {
  const timed = async (name: string, fn: () => Promise<string>): Promise<HealthCheck> => {
    const t0 = o.clock.now();
    try {
      const detail = await fn();
      return { name, ok: true, detail, latencyMs: o.clock.now() - t0 };
    } catch (err) {
      return { name, ok: false, detail: failureDetail(err, name, o.log), latencyMs: o.clock.now() - t0 };
    }
  };
  const inScope = (b: BackendCheck, s: HealthScope) => s[b.uses] && (b.uses !== 'aws' || s.accounts === 'all' || (b.account !== undefined && s.accounts.includes(b.account)));
  return async (scope = EVERYTHING) => {
    const backends = (o.backends ?? []).filter((b) => inScope(b, scope));
    const checks = [
      timed('Slack', async () => {
        const r = await o.web.auth.test();
        return `connected as ${r.user ?? r.user_id} in ${r.team ?? r.team_id}`;
      }),
      timed('Store', async () => {
        await o.store.ping();
        return o.config.env.databaseUrl.startsWith('sqlite') ? 'SQLite reachable' : 'Postgres reachable';
      }),
      ...backends.map((b) => timed(b.name, b.check)),
      timed('Chaos', async () => describeHalt(await currentHalt(o.store))),
    ];
    const configured = new Set((o.backends ?? []).map((b) => b.uses));
    const skipped = (o.backends ?? []).length - backends.length;
    const notes: HealthCheck[] = [];
    if (!configured.has('metrics')) notes.push({ name: 'Metrics', ok: true, detail: 'not configured (metrics in lookout.yml)' });
    if (!configured.has('grafana')) notes.push({ name: 'Grafana', ok: true, detail: 'not configured (grafana in lookout.yml)' });
    if (skipped > 0) notes.push({ name: 'Not checked', ok: true, detail: `${skipped} backend${skipped === 1 ? '' : 's'} this channel does not let you use` });
    return [...(await Promise.all(checks)), ...notes];
  };
}

/**
 * What a failed check shows: a classified message only. LookoutErrors carry user-safe text; a Slack refusal its
 * error code; anything else is logged with a reference id, and only the reference is shown.
 */
function failureDetail(err: unknown, check: string, log?: { warn(obj: object, msg: string): void }): string {
  if (isLookoutError(err)) return err.message;
  const slackCode = (err as { data?: { error?: unknown } })?.data?.error;
  if (typeof slackCode === 'string' && /^[a-z_]{1,60}$/.test(slackCode)) return `Slack answered \`${slackCode}\``;
  const ref = newReferenceId();
  log?.warn({ err, ref, check }, 'a /lookout status check failed unexpectedly');
  return `failed unexpectedly (reference ${ref})`;
}

/** The `/lookout status` line for `/chaos halt`: a halt is deliberate, so it is shown, not counted as a failure. */
export function describeHalt(halt: HaltState | null): string {
  if (!halt) return 'runs allowed (not halted)';
  return `HALTED by ${halt.by} since ${haltTime(halt.at)} UTC${halt.reason ? `: ${halt.reason}` : ''}; /chaos resume lifts it`;
}
