/**
 * The compare-and-set steps of a report run: claim → (beginPost) → finish, and taking over a claim whose holder
 * vanished. Every step is a Store `transition` at the version just read, so of all replicas racing for the same
 * occurrence exactly one wins, and a claim holder that lost its lease can no longer post or record a result.
 *
 * Semantics when a process dies mid-run (the lease, default 10 min, decides when it is considered dead):
 * - died before `beginPost`: nothing reached the channel; the occurrence is re-run once by whichever replica sees
 *   the expired lease (if the next occurrence has not come yet; otherwise it is skipped and the next post says so);
 * - died after `beginPost`: the answer may be in the channel; it is not run again (at-most-once for the post).
 * So the command may run twice after a crash, the post happens at most once, and in the absence of crashes
 * exactly once.
 */
import type { Entity, Store } from '../ports/store';
import { dueOccurrences } from '../common/cron';
import { REPORT_KIND, mergeMissed, toReport, type MissedNote, type Report, type ReportData, type RunningClaim } from './model';

export interface ClaimDeps {
  store: Store;
  leaseMs: number;
  maxFailures: number;
  newToken(): string;
  /** This process: its replica name (kept across restarts) and this life of it. */
  owner?: { replica: string; incarnation: string };
}

export interface Claimed {
  report: Report; // as stored right after the claim
  claim: RunningClaim;
  trigger: 'schedule' | 'retry' | 'manual';
  /** Skipped occurrences to mention in this post (accumulated until something is posted). */
  missed: MissedNote | null;
}

/** What `finish` did; `paused` is set when this result paused the report (N failures in a row). */
export interface Finished {
  recorded: boolean;
  report: Report | null;
  paused?: string;
}

const dueAtFor = (state: string, d: ReportData) => (state === 'active' ? (d.running ? d.running.leaseUntil : d.nextRunAt) : null);

/** Claims the run of a due report (dueAt ≤ now); null when another replica won or nothing is to run. */
export async function claimDue(deps: ClaimDeps, e: Entity<ReportData>, now: number): Promise<Claimed | null> {
  const d = e.data;
  if (e.state !== 'active') return null;
  if (d.running) return d.running.leaseUntil <= now || leftByEarlierLife(deps, d.running) ? takeOver(deps, e, now) : null;
  if (d.nextRunAt === null || d.nextRunAt > now) {
    // dueAt out of step with the schedule (it never should be): realign instead of listing it on every tick.
    await deps.store.transition<ReportData>(REPORT_KIND, e.id, { from: ['active'], expectVersion: e.version, to: 'active', dueAt: d.nextRunAt });
    return null;
  }
  const due = dueOccurrences(d.cron, d.tz, d.nextRunAt, now);
  const skipped: MissedNote | null = due.skipped
    ? { skipped: due.skipped.count, firstAt: due.skipped.firstAt, lastAt: due.skipped.lastAt, ...(due.skipped.atLeast ? { atLeast: true } : {}) }
    : null;
  const claim = newClaim(deps, due.latest, now, 1, false);
  const missedNote = mergeMissed(d.missedNote, skipped);
  const won = await deps.store.transition<ReportData>(REPORT_KIND, e.id, {
    from: ['active'],
    expectVersion: e.version,
    to: 'active',
    dueAt: claim.leaseUntil,
    patch: { running: claim, nextRunAt: due.next, missedNote },
  });
  return won ? { report: toReport(won), claim, trigger: 'schedule', missed: missedNote } : null;
}

/** A run claimed outside the schedule (`/report run ID`); it leaves the schedule as it is. */
export async function claimManual(deps: ClaimDeps, e: Entity<ReportData>, now: number): Promise<Claimed | 'busy' | null> {
  if (e.data.running && e.data.running.leaseUntil > now) return 'busy';
  const claim = newClaim(deps, now, now, 1, true);
  const won = await deps.store.transition<ReportData>(REPORT_KIND, e.id, {
    from: [e.state],
    expectVersion: e.version,
    to: e.state,
    dueAt: e.state === 'active' ? claim.leaseUntil : null,
    patch: { running: claim },
  });
  return won ? { report: toReport(won), claim, trigger: 'manual', missed: won.data.missedNote } : null;
}

function newClaim(deps: ClaimDeps, occurrence: number, now: number, attempt: number, manual: boolean): RunningClaim {
  const owner = deps.owner ? { owner: deps.owner.replica, incarnation: deps.owner.incarnation } : {};
  return { token: deps.newToken(), occurrence, since: now, leaseUntil: now + deps.leaseMs, attempt, manual, ...owner };
}

/**
 * A claim this replica made before it restarted: its holder is dead (a process has one life), so it is taken over
 * at once instead of after the lease (10 min of a report not running), as chaos starts are (src/chaos/recovery.ts).
 */
export function leftByEarlierLife(deps: Pick<ClaimDeps, 'owner'>, r: RunningClaim): boolean {
  return !!deps.owner && r.owner === deps.owner.replica && r.incarnation !== undefined && r.incarnation !== deps.owner.incarnation;
}

/** The lease of a claim ran out: its holder is gone (or hopelessly slow). Re-run once, or close it. */
async function takeOver(deps: ClaimDeps, e: Entity<ReportData>, now: number): Promise<Claimed | null> {
  const d = e.data;
  const r = d.running as RunningClaim;
  const nextCame = d.nextRunAt !== null && d.nextRunAt <= now;
  // A claim written by the release before fingerprints marks "posting" as `postingDigest`: honour it in a rolling
  // deploy, or a post that may already be in the channel would run again.
  const posted = r.postingFingerprint !== undefined || (r as { postingDigest?: unknown }).postingDigest !== undefined;
  if (!posted && r.attempt < 2 && !r.manual && !nextCame) {
    const claim = newClaim(deps, r.occurrence, now, r.attempt + 1, false);
    const won = await deps.store.transition<ReportData>(REPORT_KIND, e.id, {
      from: ['active'],
      expectVersion: e.version,
      to: 'active',
      dueAt: claim.leaseUntil,
      patch: { running: claim },
    });
    return won ? { report: toReport(won), claim, trigger: 'retry', missed: d.missedNote } : null;
  }
  const lost: MissedNote | null = posted || r.manual ? null : { skipped: 1, firstAt: r.occurrence, lastAt: r.occurrence };
  // Lookout stopping is not the report's fault: it does not count towards pausing a failing report.
  const patch: Partial<ReportData> = posted
    ? { running: null, lastRunAt: r.since, lastResult: 'posted', lastFingerprint: r.postingFingerprint ?? null, lastPostedAt: r.since, failures: 0, lastError: null, missedNote: null }
    : { running: null, lastRunAt: r.since, lastResult: 'failed', lastError: 'The run did not finish (Lookout stopped while it ran).', missedNote: mergeMissed(d.missedNote, lost) };
  await deps.store.transition<ReportData>(REPORT_KIND, e.id, { from: ['active'], expectVersion: e.version, to: 'active', dueAt: d.nextRunAt, patch });
  // The next occurrence (if due) is claimed on a later pass of the same tick.
  return null;
}

/**
 * Records "about to post" for the claim holder; false when the claim is no longer theirs (lease lost, report
 * removed) — then the caller must not post.
 */
export async function beginPost(store: Store, id: string, token: string, fingerprint: string | undefined): Promise<boolean> {
  const updated = await store.update<ReportData>(REPORT_KIND, id, (e) => {
    const running = e.data.running;
    return running?.token === token ? { data: { ...e.data, running: { ...running, postingFingerprint: fingerprint ?? null } } } : undefined;
  });
  return updated?.entity.data.running?.token === token;
}

export type RunResultRecord = { ok: true; posted: boolean; fingerprint?: string; summary?: string } | { ok: false; error: string };

/** Records a run's result for the claim holder and moves dueAt to the next occurrence. */
export async function finishRun(deps: ClaimDeps, id: string, token: string, result: RunResultRecord, now: number): Promise<Finished> {
  let paused: string | undefined;
  const updated = await deps.store.update<ReportData>(REPORT_KIND, id, (e) => {
    paused = undefined;
    if (e.data.running?.token !== token) return undefined;
    const d = e.data;
    const manual = d.running?.manual ?? false;
    let state = e.state;
    let patch: Partial<ReportData>;
    if (result.ok) {
      patch = {
        running: null,
        lastRunAt: now,
        lastResult: result.posted ? 'posted' : 'unchanged',
        // An answer without a fingerprint leaves nothing to compare the next one with.
        lastFingerprint: result.fingerprint ?? null,
        lastSummary: result.summary ?? d.lastSummary,
        lastPostedAt: result.posted ? now : d.lastPostedAt,
        missedNote: result.posted ? null : d.missedNote,
        failures: 0,
        lastError: null,
      };
    } else {
      const failures = manual ? d.failures : d.failures + 1;
      patch = { running: null, lastRunAt: now, lastResult: 'failed', lastError: result.error, failures };
      if (!manual && failures >= deps.maxFailures && state === 'active') {
        state = 'paused';
        paused = `it failed ${failures} times in a row`;
        patch.pausedReason = paused;
      }
    }
    const data = { ...d, ...patch };
    return { state, data, dueAt: dueAtFor(state, data) };
  });
  if (!updated?.changed) return { recorded: false, report: updated ? toReport(updated.entity) : null };
  return { recorded: true, report: toReport(updated.entity), ...(paused ? { paused } : {}) };
}
