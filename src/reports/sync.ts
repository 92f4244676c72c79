/**
 * Reports as code (product.md §8 `reports:`): at start, the reports declared in lookout.yml are created or
 * updated in the Store under their own ids, and config reports no longer declared are removed. A report whose
 * definition did not change keeps its state, next run and history, so a restart neither re-runs nor skips it.
 * Safe to run on several replicas at once: every write is a create-if-absent or a compare-and-set.
 */
import type { ReportConfig } from '../config/types';
import type { Entity, EntityChange, Store } from '../ports/store';
import { canonicalTimeZone, nextRunAfter } from '../common/cron';
import { definitionProblem, type ScheduleRules } from './rules';
import { REPORT_KIND, newReportData, silentLogger, type ReportData, type ReportLogger } from './model';

export interface SyncDeps {
  store: Store;
  rules: ScheduleRules;
  logger?: ReportLogger;
  /** The workspace's team id (from auth.test), recorded on config reports. */
  teamId?: string | null;
}

export interface SyncResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  /** Declared but not scheduled: a bad cron, a command that cannot be scheduled, an id taken in Slack. */
  invalid: { id: string; problem: string }[];
}

interface Wanted {
  channel: string;
  cron: string;
  tz: string;
  onChange: boolean;
  command: string;
}

function wantedOf(r: ReportConfig): Wanted {
  return { channel: r.channel, cron: r.cron.trim(), tz: canonicalTimeZone(r.tz ?? 'UTC') ?? r.tz ?? 'UTC', onChange: r.onChange ?? false, command: r.command.trim() };
}

const sameDefinition = (d: ReportData, w: Wanted) =>
  d.channel === w.channel && d.cron === w.cron && d.tz === w.tz && d.onChange === w.onChange && d.command === w.command;

export async function syncConfiguredReports(deps: SyncDeps, reports: ReportConfig[], now: number): Promise<SyncResult> {
  const log = deps.logger ?? silentLogger;
  const result: SyncResult = { created: [], updated: [], unchanged: [], removed: [], invalid: [] };
  for (const r of reports) {
    const wanted = wantedOf(r);
    const problem = definitionProblem(wanted, deps.rules, { fields: 'any', now });
    if (problem) {
      result.invalid.push({ id: r.id, problem });
      log.error({ reportId: r.id, problem }, 'report in lookout.yml cannot be scheduled; left as it was');
      continue;
    }
    const outcome = await upsert(deps, r.id, wanted, now);
    if (outcome === 'taken') result.invalid.push({ id: r.id, problem: 'the id is already used by a report created in Slack' });
    else result[outcome].push(r.id);
  }
  const declared = new Set(reports.map((r) => r.id));
  const stored = await deps.store.list<ReportData>(REPORT_KIND);
  for (const e of stored) {
    if (e.data.source === 'config' && !declared.has(e.id) && (await deps.store.delete(REPORT_KIND, e.id))) result.removed.push(e.id);
  }
  log.info({ ...result, invalid: result.invalid.length }, 'reports from lookout.yml applied');
  return result;
}

async function upsert(deps: SyncDeps, id: string, w: Wanted, now: number): Promise<'created' | 'updated' | 'unchanged' | 'taken'> {
  const nextRunAt = nextRunAfter(w.cron, w.tz, now);
  const data = newReportData(w, { source: 'config', createdBy: null, team: deps.teamId ?? null, nextRunAt, now });
  const create = () => deps.store.create<ReportData>({ kind: REPORT_KIND, id, state: 'active', data, dueAt: nextRunAt });
  if (await create()) return 'created';
  let outcome: 'updated' | 'unchanged' | 'taken' = 'unchanged';
  const updated = await deps.store.update<ReportData>(REPORT_KIND, id, (e) => {
    outcome = e.data.source !== 'config' ? 'taken' : sameDefinition(e.data, w) ? 'unchanged' : 'updated';
    return outcome === 'updated' ? changeTo(e, w, now) : undefined;
  });
  if (updated) return outcome;
  // Removed in between (a replica with an older lookout.yml): create it again.
  if (await create()) return 'created';
  throw new Error(`report ${id} kept changing while lookout.yml was applied`);
}

function changeTo(e: Entity<ReportData>, w: Wanted, now: number): EntityChange<ReportData> {
  const d = e.data;
  const rescheduled = d.cron !== w.cron || d.tz !== w.tz;
  const nextRunAt = rescheduled ? nextRunAfter(w.cron, w.tz, now) : d.nextRunAt;
  // A different question or another channel: the last answer says nothing about the next one.
  const sameAnswer = d.command === w.command && d.channel === w.channel;
  const data: ReportData = {
    ...d,
    ...w,
    nextRunAt,
    ...(sameAnswer ? {} : { lastFingerprint: null, lastSummary: null }),
    ...(rescheduled ? { missedNote: null } : {}),
  };
  const live = d.running !== null;
  return { data, dueAt: e.state === 'active' ? (live ? e.dueAt : nextRunAt) : null };
}
