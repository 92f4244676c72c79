import { isLookoutError } from '../errors';
import type { Clock } from '../ports/clock';
import { type Experiments } from '../ports/experiments';
import { isTerminal, type ChaosRequest, type Experiment, type ExperimentChange, type ExperimentReport } from './model';
import type { Entity, Store } from '../ports/store';
import { diffExperiment, reportOf, snapshotOf } from './changes';
import { patchEntity, type ChaosLogger } from './context';
import { releaseSlot } from './slots';
import { EXPERIMENT_KIND, REQUEST_KIND, toChaosRequest, type ChaosRequestData, type WatchedExperimentData } from './records';

/**
 * What the watcher reports. `changed`: the state or an action's state moved (post thread lines, update the card —
 * coalescing card updates is the handler's job). `finished`: the experiment ended; `report` is the final summary.
 * Each change is reported once across replicas: it is reported only by the caller whose snapshot write won.
 */
export type WatchEvent =
  | { type: 'changed'; experimentId: string; request: ChaosRequest | null; watched: WatchedExperimentData; experiment: Experiment; changes: ExperimentChange[] }
  | {
      type: 'finished';
      experimentId: string;
      request: ChaosRequest | null;
      watched: WatchedExperimentData;
      experiment: Experiment;
      changes: ExperimentChange[];
      report: ExperimentReport;
    };

export interface WatcherDeps {
  store: Store;
  clock: Clock;
  experimentsFor(watched: WatchedExperimentData): Promise<Experiments>;
  onEvent(event: WatchEvent): void | Promise<void>;
  pollMs: number;
  log: ChaosLogger;
  /** This replica's name on experiment leases, and how long a lease lasts without renewal. */
  replicaId?: string; // default 'local'
  leaseMs?: number; // default 3 rounds
  /** One guard round (guard-watch.ts), run by the lease holder every `guardEveryMs`. */
  guard?: (experimentId: string) => Promise<void>;
  guardEveryMs?: number;
}

export interface ExperimentWatcher {
  /** Starts polling one `chaos-experiment` entity (no-op when this instance already watches it). */
  watch(experimentId: string): void;
  /** Polls once now; true when the experiment is finished (or no longer watched). */
  pollOnce(experimentId: string): Promise<boolean>;
  /** Watches every `chaos-experiment` still running (after a restart); returns their ids. */
  resumeAll(): Promise<string[]>;
  watching(): string[];
  /** Reports the end of a `done` experiment again (its posting owed after a kill: summary-claim.ts). */
  announceOwed(experimentId: string, changes: ExperimentChange[]): Promise<void>;
  /** Stops every loop (they end at their next wake-up) and waits for them. */
  close(): Promise<void>;
}

// After errors, wait longer between polls (up to 12× pollMs) instead of hammering a failing API.
const MAX_BACKOFF_FACTOR = 12;

export function createExperimentWatcher(deps: WatcherDeps): ExperimentWatcher {
  const { store, clock, log } = deps;
  const loops = new Map<string, Promise<void>>();
  const announcing = new Set<string>(); // experiments whose end this process is announcing now
  const abort = new AbortController();
  let closed = false;

  const emit = async (event: WatchEvent) => {
    try {
      await deps.onEvent(event);
    } catch (err) {
      log.warn({ err, experimentId: event.experimentId }, 'chaos watcher: event handler failed');
    }
  };

  const requestOf = async (watched: WatchedExperimentData, patch?: Partial<ChaosRequestData>, finish = false): Promise<ChaosRequest | null> => {
    if (!watched.requestId) return null;
    if (finish) {
      const moved = await store.transition<ChaosRequestData>(REQUEST_KIND, watched.requestId, { from: ['starting', 'running'], to: 'done', patch });
      await releaseSlot(store, watched.account.name, watched.requestId);
      if (moved) return toChaosRequest(moved);
    } else if (patch) {
      const e = await patchEntity<ChaosRequestData>(store, REQUEST_KIND, watched.requestId, patch, ['starting', 'running']);
      if (e) return toChaosRequest(e);
    }
    const e = await store.get<ChaosRequestData>(REQUEST_KIND, watched.requestId);
    return e ? toChaosRequest(e) : null;
  };

  const finish = async (e: Entity<WatchedExperimentData>, experiment: Experiment, experiments: Experiments): Promise<boolean> => {
    const now = clock.now();
    const changes = diffExperiment(e.data.snapshot, experiment, now);
    // The end is recorded with its posting owed (summary-claim.ts): a kill from here on leaves it to post again.
    // Marked as being announced here first, so this process's sweep does not announce it a second time meanwhile.
    announcing.add(e.id);
    try {
      const done = await store.transition<WatchedExperimentData>(EXPERIMENT_KIND, e.id, {
        from: ['running'],
        expectVersion: e.version,
        to: 'done',
        patch: { snapshot: snapshotOf(experiment), summary: { state: 'owed', changes } },
        dueAt: now,
      });
      if (!done) return false; // someone else moved first; the next poll sees what they did
      await announce(done.data, experiment, experiments, changes, now);
      return true;
    } finally {
      announcing.delete(e.id);
    }
  };

  const announce = async (watched: WatchedExperimentData, experiment: Experiment, experiments: Experiments, changes: ExperimentChange[], now: number) => {
    const targets = await experiments.resolvedTargets(experiment.id).catch((err) => {
      log.warn({ err, experimentId: experiment.id }, 'chaos watcher: resolved targets unavailable');
      return null;
    });
    // The end is recorded, so no later poll reports it: a store error here must not lose the summary (a pool timeout
    // under load did, in the full-size replicas run). Tried a few times, then the summary goes out without the request.
    let request: ChaosRequest | null = null;
    for (let attempt = 1; ; attempt++) {
      try {
        request = await requestOf(watched, { experiment }, true);
        break;
      } catch (err) {
        log.warn({ err, experimentId: experiment.id, attempt }, 'chaos watcher: recording the end on the request failed');
        if (attempt >= 4 || closed) break;
        await sleep(deps.pollMs * 2 ** attempt);
      }
    }
    const report = reportOf(experiment, watched, targets, now);
    await emit({ type: 'finished', experimentId: experiment.id, request, watched, experiment, changes, report });
  };

  /** An end recorded but not yet posted (a kill fell in between): reported again, from FIS's answer. */
  const announceOwed = async (id: string, changes: ExperimentChange[]) => {
    if (announcing.has(id)) return;
    announcing.add(id);
    try {
      const e = await store.get<WatchedExperimentData>(EXPERIMENT_KIND, id);
      if (!e || e.state !== 'done') return;
      const experiments = await deps.experimentsFor(e.data);
      await announce(e.data, await experiments.get(id), experiments, changes, clock.now());
    } finally {
      announcing.delete(id);
    }
  };

  const pollOnce = async (id: string): Promise<boolean> => {
    const e = await store.get<WatchedExperimentData>(EXPERIMENT_KIND, id);
    if (!e || e.state !== 'running') return true;
    const experiments = await deps.experimentsFor(e.data);
    const experiment = await experiments.get(id);
    if (isTerminal(experiment.status)) return finish(e, experiment, experiments);
    const changes = diffExperiment(e.data.snapshot, experiment, clock.now());
    if (changes.length === 0) return false;
    const saved = await store.updateData<WatchedExperimentData>(EXPERIMENT_KIND, id, e.version, { ...e.data, snapshot: snapshotOf(experiment) });
    if (!saved) return false;
    const request = await requestOf(saved.data, { experiment });
    await emit({ type: 'changed', experimentId: id, request, watched: saved.data, experiment, changes });
    return false;
  };

  /**
   * One lease per experiment covers watching and guarding: taken when free, lapsed, or already this replica's (a
   * restart under the same name), renewed every round. False: another live replica holds it, so this loop ends; the
   * sweep (resumeAll) offers the experiment again, so a dead holder's experiments are taken over within a lease.
   */
  const guardEveryMs = deps.guardEveryMs ?? deps.pollMs;
  const replicaId = deps.replicaId ?? 'local';
  const leaseMs = deps.leaseMs ?? 3 * Math.max(deps.pollMs, guardEveryMs);
  const holdLease = async (id: string): Promise<boolean> => {
    const now = clock.now();
    const updated = await store.update<WatchedExperimentData>(EXPERIMENT_KIND, id, (e) => {
      const lease = e.data.lease;
      if (e.state !== 'running' || (lease && lease.owner !== replicaId && lease.until > now)) return undefined;
      return { data: { ...e.data, lease: { owner: replicaId, until: now + leaseMs } } };
    });
    return !updated || updated.entity.state !== 'running' || updated.entity.data.lease?.owner === replicaId;
  };

  const loop = async (id: string) => {
    let failures = 0;
    let guardedAt = -Infinity;
    while (!closed) {
      try {
        if (!(await holdLease(id))) return;
        if (await pollOnce(id)) return;
        if (deps.guard && clock.now() - guardedAt >= guardEveryMs) {
          guardedAt = clock.now();
          await deps.guard(id);
        }
        failures = 0;
      } catch (err) {
        failures++;
        log.warn({ err, experimentId: id, failures }, 'chaos watcher: poll failed');
        if (isLookoutError(err) && err.code === 'not_found' && failures >= 3) return forget(id);
      }
      const factor = Math.min(2 ** failures, MAX_BACKOFF_FACTOR);
      if (!(await sleep(Math.min(deps.pollMs, guardEveryMs) * factor))) return;
    }
  };

  // A clock may ignore the abort signal (ManualClock does), so closing also races the sleep against the abort.
  const aborted = new Promise<false>((resolve) => abort.signal.addEventListener('abort', () => resolve(false), { once: true }));
  const sleep = (ms: number): Promise<boolean> =>
    Promise.race([clock.sleep(ms, abort.signal).then(() => true, () => false), aborted]);

  // FIS keeps ended experiments for 120 days; one that keeps answering "not found" is gone: stop resuming it.
  const forget = async (id: string) => {
    log.warn({ experimentId: id }, 'chaos watcher: experiment not found in FIS; no longer watching it');
    await store.transition(EXPERIMENT_KIND, id, { from: ['running'], to: 'done', patch: { lost: true }, dueAt: null });
  };

  return {
    watch(id) {
      if (closed || loops.has(id)) return;
      loops.set(
        id,
        loop(id).finally(() => loops.delete(id)),
      );
    },
    pollOnce,
    announceOwed,
    async resumeAll() {
      const running = await store.list<WatchedExperimentData>(EXPERIMENT_KIND, { states: ['running'] });
      for (const e of running) this.watch(e.id);
      return running.map((e) => e.id);
    },
    watching: () => [...loops.keys()],
    async close() {
      closed = true;
      abort.abort(new Error('chaos watcher closed'));
      await Promise.allSettled([...loops.values()]);
    },
  };
}
