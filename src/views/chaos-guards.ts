/**
 * Guards as the approval card and the thread show them (product.md §4 "Guards"). Pure: the chaos service passes
 * each guard's definition and stored state. Wired into the card and the watcher in the next step (docs/guards.md).
 */
import { formatNumber } from './metrics-units';
import { code, escapeText, formatDuration, listWithMore, truncate } from './text';

/** One guard with its state (chaos/guards GuardState, flattened: views take plain data). */
export interface GuardRow {
  name: string;
  expr: string;
  forMs: number;
  status: 'inactive' | 'pending' | 'firing';
  series: number;
  failures: number;
  value?: number;
  reason?: string;
}

const EXPR_SHOWN = 120;

/** "ok", "pending: 2 series for 30 s of 1 min", "firing: 3 series", with the value and failed evaluations. */
export function guardStateText(g: GuardRow, now?: number, since?: number): string {
  const state =
    g.status === 'firing'
      ? `:rotating_light: firing: ${g.reason ? escapeText(g.reason) : `${g.series} series`}`
      : g.status === 'pending'
        ? `:hourglass_flowing_sand: pending: ${g.series} series${now !== undefined && since !== undefined ? ` for ${formatDuration(now - since)} of ${formatDuration(g.forMs)}` : ''}`
        : ':large_green_circle: ok';
  const value = g.value !== undefined ? ` · value ${formatNumber(g.value)}` : '';
  const failing = g.status !== 'firing' && g.failures > 0 ? ` · :warning: ${g.failures} failed evaluation${g.failures === 1 ? '' : 's'} in a row` : '';
  return `${state}${value}${failing}`;
}

/** The card's guard lines, under FIS's own stop conditions; the note when guards are the only brake. */
export function guardLines(rows: GuardRow[], o: { hasStopConditions: boolean; now?: number; since?: Record<string, number> }): string {
  if (rows.length === 0) return o.hasStopConditions ? 'Guards: none' : 'Guards: none — :warning: nothing stops this experiment but a person';
  const lines = rows.map((g) => {
    const rule = `${code(truncate(g.expr, EXPR_SHOWN))}${g.forMs > 0 ? ` for ${formatDuration(g.forMs)}` : ''}`;
    return `• *${escapeText(g.name)}* — ${guardStateText(g, o.now, o.since?.[g.name])}\n   ${rule}`;
  });
  const note = o.hasStopConditions ? '' : '\n:warning: The template has no CloudWatch stop conditions: these guards are its only brake.';
  return `Guards (PromQL, checked by Lookout):\n${listWithMore(lines, 10, '\n')}${note}`;
}

/** The thread message when a guard stopped the experiment: which guard, why, and its value. */
export function guardFiredText(g: GuardRow, experimentId: string): string {
  const value = g.value !== undefined ? ` Its value: *${formatNumber(g.value)}*.` : '';
  const why = g.reason ? escapeText(g.reason) : `returned ${g.series} series`;
  return `:rotating_light: Guard *${escapeText(g.name)}* fired (${why}), so Lookout stopped experiment ${code(experimentId)}.${value}\n${code(truncate(g.expr, EXPR_SHOWN * 2))}`;
}
