import type { WebClient } from '@slack/web-api';
import type { Config } from '../config/types';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import { currentHalt, haltTime, type HaltState } from '../chaos/halt';
import type { HealthCheck } from '../views/lookout';

export interface BackendCheck {
  name: string;
  check(): Promise<string>; // resolves with a short detail, rejects when unhealthy
}

/** `/lookout status`: Slack, the store, AWS and the metrics backends, each timed; one failing never hides the others. */
export function createHealthChecks(o: { web: WebClient; store: Store; config: Config; clock: Clock; backends?: BackendCheck[] }): () => Promise<HealthCheck[]> {
  const timed = async (name: string, fn: () => Promise<string>): Promise<HealthCheck> => {
    const t0 = o.clock.now();
    try {
      const detail = await fn();
      return { name, ok: true, detail, latencyMs: o.clock.now() - t0 };
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      return { name, ok: false, detail: msg.slice(0, 200), latencyMs: o.clock.now() - t0 };
    }
  };
  return async () => {
    const checks = [
      timed('Slack', async () => {
        const r = await o.web.auth.test();
        return `connected as ${r.user ?? r.user_id} in ${r.team ?? r.team_id}`;
      }),
      timed('Store', async () => {
        await o.store.ping();
        return o.config.env.databaseUrl.startsWith('sqlite') ? 'SQLite reachable' : 'Postgres reachable';
      }),
      ...(o.backends ?? []).map((b) => timed(b.name, b.check)),
      timed('Chaos', async () => describeHalt(await currentHalt(o.store))),
    ];
    const named = new Set((o.backends ?? []).map((b) => b.name));
    const unconfigured: HealthCheck[] = [];
    if (!named.has('Metrics')) unconfigured.push({ name: 'Metrics', ok: true, detail: 'not configured (metrics in lookout.yml)' });
    if (!named.has('Grafana')) unconfigured.push({ name: 'Grafana', ok: true, detail: 'not configured (grafana in lookout.yml)' });
    return [...(await Promise.all(checks)), ...unconfigured];
  };
}

/** The `/lookout status` line for `/chaos halt`: a halt is deliberate, so it is shown, not counted as a failure. */
export function describeHalt(halt: HaltState | null): string {
  if (!halt) return 'runs allowed (not halted)';
  return `HALTED by ${halt.by} since ${haltTime(halt.at)} UTC${halt.reason ? `: ${halt.reason}` : ''}; /chaos resume lifts it`;
}
