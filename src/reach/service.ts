/**
 * The /reach use cases (product.md §3) behind one factory: check, re-run, list, watch, unwatch, forget and the
 * 30-day sweep. Returns domain data; the handler renders it with src/views/reach.
 */
import { LookoutError } from '../errors';
import type { AwsTarget } from '../ports/aws';
import type { ForgetSummary, Protocol, ReachAnswer, ReachPathSummary, ReachQuestion } from './model';
import { ReachDeps, resolveDeps } from './deps';
import { SweepReport, Where, findPath, forgetPath, getManagedPath, listPaths, sweepUnusedPaths, unwatchPath } from './manage';
import { idOf } from './question';
import { resolveEndpoint } from './resolve';
import { RunOptions, runQuestion } from './run';

/** The parts of a `check` request the service needs (src/commands ReachRequest of kind 'check' fits). */
export interface CheckQuestion {
  source: string;
  destination: string;
  protocol: Protocol;
  port?: number;
}

export interface ReachService {
  /** Resolves names, then answers from a fresh result (< 10 min) or runs an analysis, reporting progress. */
  check(req: CheckQuestion, target: AwsTarget, opts?: RunOptions): Promise<ReachAnswer>;
  /** The Re-run button: a new analysis of a stored path, never the cached answer. */
  rerun(pathId: string, target: AwsTarget, opts?: RunOptions): Promise<ReachAnswer>;
  list(target: AwsTarget, at: Where): Promise<ReachPathSummary[]>;
  /** The path `/reach watch` watches; `pathId` may be 'last': the path most recently checked in this channel. */
  findPath(pathId: string, target: AwsTarget, at: Where): Promise<{ pathId: string; question: ReachQuestion }>;
  unwatch(pathId: string, target: AwsTarget, at: Where): Promise<{ pathId: string; question: ReachQuestion }>;
  forget(pathId: string, target: AwsTarget): Promise<ForgetSummary>;
  sweepUnusedPaths(now: number): Promise<SweepReport>;
}

export function createReachService(input: ReachDeps): ReachService {
  const deps = resolveDeps(input);
  return {
    async check(req, target, opts = {}) {
      const port = deps.reachability(target);
      const scope = { accountName: target.accountName, region: target.region };
      const [source, destination] = await Promise.all([
        resolveEndpoint(port, req.source, 'source', scope),
        resolveEndpoint(port, req.destination, 'destination', scope),
      ]);
      if (source.id && destination.id && idOf(source.id) === idOf(destination.id) && !destination.ip) {
        throw new LookoutError('invalid_input', 'The source and the destination are the same resource.');
      }
      const question: ReachQuestion = { source, destination, protocol: req.protocol, accountName: target.accountName, region: target.region };
      if (req.port !== undefined) question.port = req.port;
      if (target.accountId) question.accountId = target.accountId;
      return runQuestion(deps, port, question, opts);
    },
    async rerun(pathId, target, opts = {}) {
      const record = await getManagedPath(deps, pathId, target);
      return runQuestion(deps, deps.reachability(target), record.data.question, { ...opts, force: true });
    },
    list: (target, at) => listPaths(deps, target, at),
    findPath: (pathId, target, at) => findPath(deps, pathId, target, at),
    unwatch: (pathId, target, at) => unwatchPath(deps, pathId, target, at),
    forget: (pathId, target) => forgetPath(deps, pathId, target),
    sweepUnusedPaths: (now) => sweepUnusedPaths(deps, now),
  };
}
