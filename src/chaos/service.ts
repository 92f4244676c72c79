import type { Actor, AwsTarget } from '../ports/aws';
import type { ChaosRequest, Experiment, ExperimentsAnswer, ExperimentSummary, TemplateDetails, TemplateListing } from './model';
import { approveRequest, denyRequest, expireDue, loadRequest, remindDue, type ApproveResult, type DenyResult } from './approvals';
import { DEFAULT_CHAOS_OPTIONS, patchEntity, type ChaosContext, type ChaosLogger, type ChaosOptions } from './context';
import { currentHalt, haltAll, resumeRuns, type HaltAccount, type HaltResult, type HaltState } from './halt';
import { experimentHistory, experimentStatus, listTemplates, showTemplate } from './queries';
import { EXPERIMENT_KIND, REQUEST_KIND, newRequestId, toChaosRequest, type ChaosRequestData, type WatchedExperimentData } from './records';
import { recoverStuckStarts } from './recovery';
import { reclaimSlots } from './slots';
import { requestRun, type RunInput } from './request-run';
import { checkHalt } from './run-policy';
import { stopAll, stopInAccount, stoppableExperiments, stopRequestExperiment, type StopAllResult } from './stop';
import { createExperimentWatcher, type WatchEvent } from './watcher';
import { createSummaryLedger } from './summary-claim';
import { createGuardRound, type GuardEvent } from './guard-watch';
import { createGuardEvaluator } from './guards/evaluate';

/** The context's dependencies, with the logger, id source and options optional (defaults applied here). */
export interface ChaosServiceDeps extends Omit<ChaosContext, 'log' | 'newId' | 'options'> {
  log?: ChaosLogger;
  newId?: () => string;
  options?: Partial<ChaosOptions>;
}

/** A halt was put in force or lifted: every card still waiting for approval shows it (product.md §4 "Halt"). */
export interface HaltEvent {
  type: 'halt-changed';
  halt: HaltState | null;
  pending: ChaosRequest[];
}

/** Everything the service reports to the runtime: experiment changes, guard activity, halts. */
export type ChaosEvent = WatchEvent | GuardEvent | HaltEvent;

export interface ResumeResult {
  /** Requests that lapsed while Lookout was down: update their cards. */
  expired: ChaosRequest[];
  /** Experiments being watched again. */
  watching: string[];
  /** Starts this replica left unfinished before its restart (or whose lease lapsed), now watched (or failed). */
  recovered: ApproveResult[];
}

/** Everything `/chaos` and its buttons need. Errors are LookoutError; refusals are `forbidden`. */
export interface ChaosService {
  listTemplates(target: AwsTarget): Promise<TemplateListing>;
  /** `preview: false` skips the skip-all dry run (it needs fis:StartExperiment in the account). */
  showTemplate(target: AwsTarget, templateRef: string, opts?: { preview?: boolean }): Promise<TemplateDetails>;
  requestRun(input: RunInput): Promise<ChaosRequest>;
  /** Remembers where the approval card was posted (thread replies and later updates go there). */
  attachMessage(requestId: string, message: { channel: string; ts: string }): Promise<ChaosRequest>;
  getRequest(requestId: string): Promise<ChaosRequest | null>;
  approve(requestId: string, actor: Actor): Promise<ApproveResult>;
  deny(requestId: string, actor: Actor): Promise<DenyResult>;
  status(target: AwsTarget, experimentId?: string): Promise<ExperimentsAnswer<Experiment>>;
  history(target: AwsTarget, limit: number): Promise<ExperimentsAnswer<ExperimentSummary>>;
  /** For the `/chaos stop --all` confirmation: what would be stopped. */
  stoppable(target: AwsTarget): Promise<ExperimentSummary[]>;
  stop(target: AwsTarget, experimentId: string, actor: Actor): Promise<Experiment>;
  stopRequest(requestId: string, actor: Actor): Promise<{ request: ChaosRequest; experiment: Experiment }>;
  stopAll(target: AwsTarget, actor: Actor): Promise<StopAllResult>;
  /** Pending requests past their expiry → expired; returned once (to one replica) so the handler updates the card. */
  expireDue(now?: number): Promise<ChaosRequest[]>;
  /** Pending requests 5 minutes before expiry, once each: post the reminder in the card's thread. */
  remindDue(now?: number): Promise<ChaosRequest[]>;
  /**
   * The periodic sweep (every `sweepEveryMs`): reminders, then expiries, slots of requests that ended, then starts left behind by a replica
   * that died (lease lapsed), now watched or failed: update their cards.
   */
  sweep(now?: number): Promise<{ reminders: ChaosRequest[]; expired: ChaosRequest[]; recovered: ApproveResult[] }>;
  readonly sweepEveryMs: number;
  /** At start: expire lapsed requests, finish interrupted starts, resume watching running experiments. */
  resumeAll(): Promise<ResumeResult>;
  /** `/chaos halt`: records the halt, then stops every unfinished experiment in `accounts` as `actor`. */
  halt(input: { actor: Actor; reason?: string; accounts: HaltAccount[] }): Promise<HaltResult>;
  /** `/chaos resume`: the halt that was lifted, or null when chaos was not halted. */
  resume(actor: Actor): Promise<HaltState | null>;
  /** The halt in force (for cards and `/lookout status`), or null. */
  haltState(): Promise<HaltState | null>;
  /**
   * The end of an experiment (a `finished` event) is posted by one caller, once: true for the one that may post it
   * (src/chaos/summary-claim.ts); `summaryPosted` records it went out.
   */
  claimSummary(experimentId: string): Promise<boolean>;
  summaryPosted(experimentId: string): Promise<void>;
  /** Watch events (state/action changes, final summary). Returns an unsubscribe function. */
  subscribe(listener: (event: ChaosEvent) => void | Promise<void>): () => void;
  /** Experiment ids this instance is polling now (for /lookout status and metrics). */
  watching(): string[];
  /** Stops the watch loops (shutdown). */
  close(): Promise<void>;
}

export function createChaosService(deps: ChaosServiceDeps): ChaosService {
  const log: ChaosLogger = deps.log ?? { warn: () => undefined };
  const ctx: ChaosContext = {
    store: deps.store,
    clock: deps.clock,
    config: deps.config,
    experiments: deps.experiments,
    resolveTarget: deps.resolveTarget,
    membership: deps.membership,
    guardQuery: deps.guardQuery,
    newId: deps.newId ?? newRequestId,
    log,
    options: { ...DEFAULT_CHAOS_OPTIONS, ...deps.options },
  };
  const listeners = new Set<(event: ChaosEvent) => void | Promise<void>>();
  const emit = async (event: ChaosEvent) => {
    for (const l of [...listeners]) await l(event);
  };
  const pending = async () => (await ctx.store.list<ChaosRequestData>(REQUEST_KIND, { states: ['pending'] })).map(toChaosRequest);
  const guardEveryMs = ctx.config.chaos.guardIntervalMs;
  const evaluator = createGuardEvaluator({ store: ctx.store, clock: ctx.clock, intervalMs: guardEveryMs, maxFailures: ctx.config.chaos.guardFailures });
  const watcher = createExperimentWatcher({
    store: deps.store,
    clock: deps.clock,
    pollMs: ctx.options.pollMs,
    log,
    replicaId: ctx.options.replicaId,
    // A dead replica's experiments are taken over within one lease period (plus one sweep).
    leaseMs: 3 * Math.max(ctx.options.pollMs, guardEveryMs),
    guard: createGuardRound(ctx, evaluator, emit),
    guardEveryMs,
    experimentsFor: async (w: WatchedExperimentData) =>
      ctx.experiments(await ctx.resolveTarget({ accountName: w.account.name, accountId: w.account.id, region: w.account.region, actor: w.actor })),
    onEvent: emit,
  });
  const ledger = createSummaryLedger({ store: ctx.store, now: () => ctx.clock.now(), replicaId: ctx.options.replicaId });
  // Ends recorded but not posted (a kill fell in between): announced again; the claim keeps it to one post.
  const announceOwed = async () => {
    for (const { id, changes } of await ledger.owed()) {
      await watcher.announceOwed(id, changes).catch((err) => log.warn({ err, experimentId: id }, 'chaos: an owed summary could not be announced; the next sweep tries again'));
    }
  };
  const notHalted = async <T>(pass: T): Promise<T> => {
    const refusal = checkHalt(await currentHalt(ctx.store));
    if (refusal) throw refusal;
    return pass;
  };
  const watchStarted = (r: ApproveResult): ApproveResult => {
    if (r.outcome === 'started') watcher.watch(r.experiment.id);
    return r;
  };

  return {
    listTemplates: (target) => listTemplates(ctx, target),
    showTemplate: (target, ref, opts) => showTemplate(ctx, target, ref, opts),
    requestRun: async (input) => requestRun(ctx, await notHalted(input)),
    async attachMessage(requestId, message) {
      const e = await patchEntity<ChaosRequestData>(ctx.store, REQUEST_KIND, requestId, { message });
      const request = await loadRequest(ctx, requestId);
      if (e && request.experimentId) await patchEntity<WatchedExperimentData>(ctx.store, EXPERIMENT_KIND, request.experimentId, { message });
      return request;
    },
    async getRequest(id) {
      const e = await ctx.store.get<ChaosRequestData>(REQUEST_KIND, id);
      return e ? toChaosRequest(e) : null;
    },
    approve: async (id, actor) => watchStarted(await approveRequest(ctx, id, actor)),
    deny: (id, actor) => denyRequest(ctx, id, actor),
    status: (target, id) => experimentStatus(ctx, target, id),
    history: (target, limit) => experimentHistory(ctx, target, limit),
    stoppable: (target) => stoppableExperiments(ctx, target),
    stop: (target, id, actor) => stopInAccount(ctx, target, id, actor),
    stopRequest: (id, actor) => stopRequestExperiment(ctx, id, actor),
    stopAll: (target, actor) => stopAll(ctx, target, actor),
    expireDue: (now) => expireDue(ctx, now ?? ctx.clock.now()),
    remindDue: (now) => remindDue(ctx, now ?? ctx.clock.now()),
    async sweep(now) {
      const at = now ?? ctx.clock.now();
      const reminders = await remindDue(ctx, at);
      const expired = await expireDue(ctx, at);
      await reclaimSlots(ctx.store);
      await watcher.resumeAll(); // experiments whose lease lapsed (their replica died) are taken over here
      await announceOwed();
      return { reminders, expired, recovered: (await recoverStuckStarts(ctx, at, { atStart: false })).map(watchStarted) };
    },
    sweepEveryMs: ctx.options.sweepMs,
    async resumeAll() {
      const now = ctx.clock.now();
      const expired = await expireDue(ctx, now);
      const recovered = (await recoverStuckStarts(ctx, now, { atStart: true })).map(watchStarted);
      const watching = await watcher.resumeAll();
      await announceOwed();
      return { expired, watching, recovered };
    },
    async halt(input) {
      const result = await haltAll(ctx, input);
      await emit({ type: 'halt-changed', halt: result.halt, pending: await pending() });
      return result;
    },
    async resume(actor) {
      const lifted = await resumeRuns(ctx, actor);
      if (lifted) await emit({ type: 'halt-changed', halt: null, pending: await pending() });
      return lifted;
    },
    haltState: () => currentHalt(ctx.store),
    claimSummary: (id) => ledger.claim(id),
    summaryPosted: (id) => ledger.posted(id),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watching: () => watcher.watching(),
    close: () => watcher.close(),
  };
}
