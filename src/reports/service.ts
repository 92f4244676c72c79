/**
 * The /report use cases (product.md §7) and `/reach watch` as an on-change report. The pipeline has already
 * checked the verb (report:read / report:write); here: a report belongs to the channel it was created in, and
 * reports from lookout.yml are changed in lookout.yml, not from Slack.
 */
import { randomBytes } from 'node:crypto';
import type { ReportConfig } from '../config/types';
import { LookoutError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Entity, Store } from '../ports/store';
import { canonicalTimeZone, expectedRunsPerMonth, nextRunAfter, nextRuns } from '../common/cron';
import { assertDefinition, type ScheduleRules } from './rules';
import type { RunOutcome, Scheduler } from './scheduler';
import { syncConfiguredReports, type SyncResult } from './sync';
import { isReachCommand } from '../commands/schedulable';
import { watchKey } from './watches';
import { REPORT_KIND, newReportData, silentLogger, toReport, type Report, type ReportData, type ReportLogger, type ScheduledReport, type WatchReport } from './model';
import { inlineCode } from '../text';

export interface ReportServiceDeps {
  store: Store;
  clock: Clock;
  scheduler: Pick<Scheduler, 'runNow'>;
  rules: ScheduleRules; // { minWatchIntervalMs: config.lookout.reach.minWatchIntervalMs }
  defaultTz?: string; // default 'UTC'
  logger?: ReportLogger;
  /** Report ids; default `r-` + six random base-36 characters. */
  newId?: () => string;
}

/** Who asks, and where: a report is managed from its own channel only. */
export interface ReportActor {
  channelId: string;
  userId: string;
  teamId?: string;
}

export interface NewReport {
  cron: string;
  tz?: string;
  onChange: boolean;
  command: string;
  /** Created by `/reach watch` (always on-change). */
  watch?: boolean;
  /** The watched reachability path (`/reach watch`): at most one such report per path and channel. */
  pathId?: string;
}

/** `/reach watch`: the report that re-checks a path, and whether this call created it (else its schedule changed). */

export interface ReportService {
  add(input: NewReport, by: ReportActor): Promise<ScheduledReport>;
  /** Creates the path's watch in this channel, or sets the schedule of the one that exists. */
  watch(input: { pathId: string; cron: string; command: string }, by: ReportActor): Promise<WatchReport>;
  list(channelId: string): Promise<Report[]>;
  get(id: string, by: ReportActor): Promise<Report>;
  runNow(id: string, by: ReportActor): Promise<RunOutcome>;
  pause(id: string, by: ReportActor): Promise<Report>;
  resume(id: string, by: ReportActor): Promise<ScheduledReport>;
  remove(id: string, by: ReportActor): Promise<Report>;
  edit(id: string, change: { cron?: string; tz?: string }, by: ReportActor): Promise<ScheduledReport>;
  /** Reports as code: apply lookout.yml's `reports:` (at start, before the scheduler's first tick). */
  syncConfigured(reports: ReportConfig[], opts?: { teamId?: string | null }): Promise<SyncResult>;
}

const ID_TRIES = 5;
const code = inlineCode;
const defaultId = () => `r-${(parseInt(randomBytes(4).toString('hex'), 16) % 36 ** 6).toString(36).padStart(6, '0')}`;

export function createReportService(deps: ReportServiceDeps): ReportService {
  const log = deps.logger ?? silentLogger;
  const newId = deps.newId ?? defaultId;
  const now = () => deps.clock.now();

  function scheduled(report: Report): ScheduledReport {
    const at = now();
    return {
      report,
      // The first is the stored occurrence the scheduler will run, not one computed again from a later "now".
      nextRuns: report.state !== 'active' ? [] : report.nextRunAt !== null ? [report.nextRunAt, ...nextRuns(report.cron, report.tz, report.nextRunAt, 2)] : nextRuns(report.cron, report.tz, at, 3),
      expectedRunsPerMonth: expectedRunsPerMonth(report.cron, report.tz, at),
      billed: isReachCommand(report.command),
    };
  }

  // Another channel's report is reported as unknown: a channel cannot see or touch what it does not own.
  const notFound = (id: string) => new LookoutError('not_found', `No report ${code(id)} in this channel.`, { hint: '`/report list` shows the reports of this channel.' });
  const isOwned = (e: Entity<ReportData> | null, by: ReportActor): e is Entity<ReportData> => e !== null && e.data.channel === by.channelId;

  async function owned(id: string, by: ReportActor): Promise<Entity<ReportData>> {
    const e = await deps.store.get<ReportData>(REPORT_KIND, id);
    if (!isOwned(e, by)) throw notFound(id);
    return e;
  }

  function refuseConfig(e: Entity<ReportData>, what: string): void {
    if (e.data.source !== 'config') return;
    throw new LookoutError('forbidden', `Report ${code(e.id)} is declared in lookout.yml, so it cannot be ${what} from Slack.`, {
      hint: 'Change it in lookout.yml (`reports:`); Lookout applies the file when it starts. `/report pause` works here.',
    });
  }

  /** store.update of a report this channel owns; `change` may throw to refuse (nothing is written then). */
  async function update(id: string, by: ReportActor, change: (e: Entity<ReportData>) => { to: string; patch: Partial<ReportData>; dueAt: number | null }): Promise<Report> {
    const updated = await deps.store.update<ReportData>(REPORT_KIND, id, (e) => {
      if (!isOwned(e, by)) throw notFound(id);
      const t = change(e);
      return { state: t.to, data: { ...e.data, ...t.patch, updatedBy: by.userId }, dueAt: t.dueAt };
    });
    if (!updated) throw notFound(id);
    return toReport(updated.entity);
  }

  const liveRun = (d: ReportData, at: number) => (d.running && d.running.leaseUntil > at ? d.running : null);

  const service: ReportService = {
    async add(input, by) {
      const at = now();
      const tz = canonicalTimeZone(input.tz ?? deps.defaultTz ?? 'UTC');
      if (!tz) throw new LookoutError('invalid_input', `${code(input.tz ?? '')} is not a time zone.`, { hint: 'Use an IANA name such as `Europe/Berlin`.' });
      const def = { cron: input.cron.trim(), tz, command: input.command.trim() };
      assertDefinition(def, deps.rules, at);
      const nextRunAt = nextRunAfter(def.cron, tz, at);
      const watch = input.watch === true || input.pathId !== undefined;
      const path = input.pathId === undefined ? {} : { pathId: input.pathId, key: watchKey(by.channelId, input.pathId) };
      const data = newReportData(
        { ...def, channel: by.channelId, onChange: input.onChange || watch },
        { source: 'slack', createdBy: by.userId, team: by.teamId ?? null, watch, ...path, nextRunAt, now: at },
      );
      // A random id may be taken (not a compare-and-set: nothing is read or merged); a few fresh ones are tried.
      for (let i = 0; i < ID_TRIES; i++) {
        const id = newId();
        if (await deps.store.create<ReportData>({ kind: REPORT_KIND, id, state: 'active', data, dueAt: nextRunAt })) {
          log.info({ reportId: id, channel: by.channelId, user: by.userId, cron: def.cron, tz }, 'report added');
          // Answered from what was written, not read back: a read that fails after the create (the database went
          // away in between) would tell the person "not done" about a report that exists (store-fault test).
          return scheduled(toReport({ kind: REPORT_KIND, id, state: 'active', version: 1, data, dueAt: nextRunAt, createdAt: at, updatedAt: at }));
        }
      }
      throw new LookoutError('conflict', 'Could not find a free report id. Try again.');
    },

    async watch(input, by) {
      const existing = await deps.store.findByKey<ReportData>(REPORT_KIND, watchKey(by.channelId, input.pathId));
      if (existing) {
        const edited = await service.edit(existing.id, { cron: input.cron }, by);
        // Watching a paused watch again means "watch it": it runs again.
        return { ...(edited.report.state === 'paused' ? await service.resume(existing.id, by) : edited), created: false };
      }
      return { ...(await service.add({ cron: input.cron, onChange: true, pathId: input.pathId, command: input.command }, by)), created: true };
    },

    async list(channelId) {
      const all = await deps.store.list<ReportData>(REPORT_KIND);
      return all.filter((e) => e.data.channel === channelId).map(toReport);
    },

    async get(id, by) {
      return toReport(await owned(id, by));
    },

    async runNow(id, by) {
      await owned(id, by);
      const outcome = await deps.scheduler.runNow(id);
      if (outcome === 'not_found') throw new LookoutError('not_found', `No report ${code(id)} in this channel.`);
      if (outcome === 'busy') throw new LookoutError('conflict', `Report ${code(id)} is running right now; its answer will be posted here.`);
      return outcome;
    },

    async pause(id, by) {
      return update(id, by, (e) => {
        if (e.state === 'paused') throw new LookoutError('conflict', `Report ${code(id)} is already paused.`, { hint: `\`/report resume ${id}\` starts it again.` });
        return { to: 'paused', dueAt: null, patch: { pausedReason: `paused by <@${by.userId}>` } };
      });
    },

    async resume(id, by) {
      const at = now();
      const report = await update(id, by, (e) => {
        if (e.state === 'active') throw new LookoutError('conflict', `Report ${code(id)} is not paused.`);
        const running = liveRun(e.data, at);
        const nextRunAt = nextRunAfter(e.data.cron, e.data.tz, at);
        // Occurrences while paused were not missed: the schedule restarts from now, with a clean failure count.
        return { to: 'active', dueAt: running ? running.leaseUntil : nextRunAt, patch: { nextRunAt, running, failures: 0, pausedReason: null } };
      });
      return scheduled(report);
    },

    async remove(id, by) {
      const e = await owned(id, by);
      refuseConfig(e, 'removed');
      // A run in flight finds its claim gone: it neither posts (beginPost) nor records anything.
      if (!(await deps.store.delete(REPORT_KIND, id))) throw new LookoutError('not_found', `No report ${code(id)} in this channel.`);
      log.info({ reportId: id, user: by.userId }, 'report removed');
      return toReport(e);
    },

    async edit(id, change, by) {
      const tz = change.tz === undefined ? undefined : canonicalTimeZone(change.tz);
      if (tz === null) throw new LookoutError('invalid_input', `${code(change.tz ?? '')} is not a time zone.`, { hint: 'Use an IANA name such as `Europe/Berlin`.' });
      const at = now();
      const report = await update(id, by, (e) => {
        refuseConfig(e, 'edited');
        const def = { cron: change.cron?.trim() ?? e.data.cron, tz: tz ?? e.data.tz, command: e.data.command };
        assertDefinition(def, deps.rules, at);
        const nextRunAt = nextRunAfter(def.cron, def.tz, at);
        const running = liveRun(e.data, at);
        const dueAt = e.state === 'active' ? (running ? running.leaseUntil : nextRunAt) : null;
        return { to: e.state, dueAt, patch: { cron: def.cron, tz: def.tz, nextRunAt, missedNote: null } };
      });
      return scheduled(report);
    },

    syncConfigured(reports, opts = {}) {
      return syncConfiguredReports({ store: deps.store, rules: deps.rules, logger: log, teamId: opts.teamId }, reports, now());
    },
  };
  return service;
}
