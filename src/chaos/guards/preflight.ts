import { LookoutError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { GuardCheck, GuardSpec } from '../model';
import type { PromQuery } from '../../ports/prom-query';
import { inlineCode } from '../../text';
import { observe } from './evaluate';

/**
 * The guards' preflight (product.md §4 "Guards"): each guard's expression once, now, with the evaluation's timeout
 * and no retries. A guard that returns series means the system is already unhealthy: the run is refused, before the
 * card is posted and again on the approving click. A guard that cannot be evaluated refuses too (fail safe: a
 * brake that cannot be read is no brake). Stateless: `for:` applies while the experiment runs, not here.
 */
export async function preflightGuards(guards: GuardSpec[], query: PromQuery, o: { clock: Clock; intervalMs: number }): Promise<{ checks: GuardCheck[]; refusal: LookoutError | null }> {
  const timeoutMs = Math.max(1, Math.floor(o.intervalMs / 2));
  const seen = await Promise.all(guards.map((g) => observe(query, g.expr, timeoutMs, o.clock)));
  const checks: GuardCheck[] = await Promise.all(
    guards.map(async (g, i): Promise<GuardCheck> => {
      const s = seen[i].observation;
      if (!s.ok) return { name: g.name, status: 'inactive', series: 0, failures: 1, reason: `evaluation failed: ${s.error}` };
      const value = g.value === undefined ? seen[i].top : (await observe(query, g.value, timeoutMs, o.clock)).top;
      return { name: g.name, status: s.series > 0 ? 'firing' : 'inactive', series: s.series, failures: 0, ...(value === undefined ? {} : { value }) };
    }),
  );
  const firing = checks.filter((c) => c.status === 'firing');
  const failed = checks.filter((c) => c.failures > 0);
  if (firing.length) {
    const names = firing.map((c) => `${inlineCode(c.name)} (${c.series} series)`).join(', ');
    return {
      checks,
      refusal: new LookoutError('forbidden', `The guard${firing.length === 1 ? '' : 's'} ${names} already ${firing.length === 1 ? 'fires' : 'fire'}: the system is unhealthy before the experiment starts.`, {
        hint: 'Wait until the guard returns nothing (check it with `/metrics`), then ask again.',
      }),
    };
  }
  if (failed.length) {
    return {
      checks,
      refusal: new LookoutError('forbidden', `The guard ${inlineCode(failed[0].name)} could not be evaluated (${failed[0].reason}), so the run would have no working brake.`, {
        hint: 'Check the metrics backend and the expression with `/metrics`, then ask again.',
      }),
    };
  }
  return { checks, refusal: null };
}
