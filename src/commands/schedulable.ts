/**
 * What a report may run (product.md §7): query commands only. Anything that changes AWS (`/chaos run|stop`),
 * manages Lookout itself (`/report`, `/reach watch|forget`) or only shows help is refused when the report is
 * created, with the grammar's own error when the command does not parse.
 */
import { parseChaos } from './chaos';
import { parseGrafana } from './grafana';
import { parseLookout } from './lookout';
import { parseMetrics } from './metrics';
import { parseReach } from './reach';

export const SCHEDULABLE =
  '`/metrics …`, `/grafana panel|search`, `/reach SOURCE -> DEST…`, `/chaos status|history|list|show` and `/lookout status`';

const show = (s: string) => '`' + (s.length > 40 ? `${s.slice(0, 39)}…` : s).replace(/`/g, 'ˋ') + '`';

/** Splits `/metrics up` into `/metrics` and `up`. */
export function splitSlashCommand(command: string): { name: string; text: string } {
  const trimmed = command.trim();
  const space = trimmed.search(/\s/);
  const name = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  return { name, text: space < 0 ? '' : trimmed.slice(space + 1).trim() };
}

/** Why this command cannot be scheduled, or null. Plain text with backticks. */
export function scheduledCommandProblem(command: string): string | null {
  const { name, text } = splitSlashCommand(command);
  if (!name.startsWith('/')) return `the command must start with \`/\`, e.g. \`/metrics up\`; reports run ${SCHEDULABLE}`;
  const parsed = parseTarget(name, text);
  if (parsed === null) return `${show(name)} cannot be scheduled; reports run ${SCHEDULABLE}`;
  if (!parsed.ok) return `the scheduled command does not parse: ${parsed.error}`;
  return parsed.refusal ?? null;
}

type TargetParse = { ok: true; refusal?: string } | { ok: false; error: string };

function parseTarget(name: string, text: string): TargetParse | null {
  switch (name) {
    case '/metrics': {
      const p = parseMetrics(text);
      if (!p.ok) return p;
      return p.request.kind === 'help' ? { ok: true, refusal: 'a report needs a query, e.g. `-- /metrics up`' } : { ok: true };
    }
    case '/grafana': {
      const p = parseGrafana(text);
      if (!p.ok) return p;
      return p.request.kind === 'help' ? { ok: true, refusal: 'a report needs `/grafana panel …` or `/grafana search …`' } : { ok: true };
    }
    case '/reach': {
      const p = parseReach(text);
      if (!p.ok) return p;
      if (p.request.kind === 'check') return { ok: true };
      if (p.request.kind === 'watch') return { ok: true, refusal: '`/reach watch` is already a schedule: use it on its own' };
      return { ok: true, refusal: 'only a reachability check (`/reach SOURCE -> DEST:PORT`) can be scheduled' };
    }
    case '/chaos': {
      const p = parseChaos(text);
      if (!p.ok) return p;
      const kind = p.request.kind;
      if (kind === 'status' || kind === 'history' || kind === 'list' || kind === 'show') return { ok: true };
      return { ok: true, refusal: 'only `/chaos status`, `history`, `list` and `show` can be scheduled: experiments are never started or stopped by a schedule' };
    }
    case '/lookout': {
      const p = parseLookout(text);
      if (!p.ok) return p;
      return p.request.kind === 'status' ? { ok: true } : { ok: true, refusal: 'of `/lookout`, only `status` can be scheduled' };
    }
    case '/report':
      return { ok: true, refusal: 'a report cannot run `/report`' };
    default:
      return null;
  }
}

/** `/reach` checks are billed analyses: they follow reach.minWatchInterval like watches. */
export function isReachCommand(command: string): boolean {
  return splitSlashCommand(command).name === '/reach';
}
