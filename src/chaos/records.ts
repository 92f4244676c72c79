import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../ports/aws';
import { LOOKOUT_TAGS, type ActionStatus, type ChaosRequest, type ChaosRequestState, type ExperimentStatus, type GuardSpec } from './model';
import type { Entity } from '../ports/store';
import type { SummaryLedger } from './summary-claim';

/** Store kinds (entities with compare-and-set transitions). */
export const REQUEST_KIND = 'chaos-request';
export const EXPERIMENT_KIND = 'chaos-experiment';

export type ChaosRequestData = Omit<ChaosRequest, 'id' | 'state' | 'version'> & {
  /** When the request entered `starting` (Lookout's clock). */
  startingAt?: number;
  /** Who may finish the start, and until when; a lapsed lease (or its owner's restart) hands it to recovery. */
  startLease?: StartLease;
};

/** A claim on a start in flight: `owner` is a replica id (ChaosOptions.replicaId), `until` Lookout's clock. */
export interface StartLease {
  owner: string;
  until: number;
}

export function toChaosRequest(e: Entity<ChaosRequestData>): ChaosRequest {
  const { startingAt: _at, startLease: _lease, ...data } = e.data;
  return { ...data, id: e.id, state: e.state as ChaosRequestState, version: e.version };
}

/** What a watcher remembers between polls, so each change is reported once (kind `chaos-experiment`). */
export interface WatchedExperimentData {
  experimentId: string;
  requestId?: string;
  teamId: string;
  channelId: string;
  account: { name: string; id?: string; region: string };
  /** Whose identity AWS calls use when the watch resumes (the person who started it). */
  actor: Actor;
  templateId: string;
  templateName?: string;
  snapshot?: { status: ExperimentStatus; reason?: string; actions: Record<string, ActionStatus> };
  message?: { channel: string; ts: string };
  watchedSince: number;
  stoppedBy?: string;
  /** A StopExperiment under way (stop.ts): concurrent Stop clicks on any replica call it once; lapses if it hangs. */
  stopClaim?: { by: string; until: number };
  /** Who claimed a guard's stop (with `stoppedBy`), so a claim whose holder died before StopExperiment is taken over. */
  guardStop?: { owner: string; life: string; at: number };
  /** The run's guards (evaluated by whoever holds the lease) and the lease that covers watching and guarding. */
  guards?: GuardSpec[];
  lease?: { owner: string; until: number };
  /** Whether the end (thread lines, summary, notice, charts) is owed, being posted or posted: summary-claim.ts. */
  summary?: SummaryLedger;
}

/** Short, unguessable request ids: they travel in button values and appear on cards. */
export function newRequestId(): string {
  return `chq-${randomBytes(8).toString('hex')}`;
}

/**
 * StartExperiment's idempotency token (1–64 chars), derived from the request id alone: a retry, a second click or
 * a second replica sends the same token, so FIS returns the same experiment instead of starting another.
 */
export function clientTokenFor(requestId: string): string {
  return `lookout-${createHash('sha256').update(requestId).digest('hex').slice(0, 40)}`;
}

const TAG_VALUE_MAX = 256;

/** Tags that trace an experiment back to Slack (product.md §4). Ids joined by spaces: allowed in AWS tag values. */
export function experimentTags(r: Pick<ChaosRequest, 'id' | 'requesterId' | 'approvals' | 'channelId' | 'guards'>): Record<string, string> {
  let approvedBy = '';
  for (const a of r.approvals) {
    const next = approvedBy ? `${approvedBy} ${a.userId}` : a.userId;
    if (next.length > TAG_VALUE_MAX) break;
    approvedBy = next;
  }
  return {
    [LOOKOUT_TAGS.request]: r.id,
    [LOOKOUT_TAGS.requestedBy]: r.requesterId,
    [LOOKOUT_TAGS.approvedBy]: approvedBy,
    [LOOKOUT_TAGS.channel]: r.channelId,
    ...(r.guards?.length ? { [LOOKOUT_TAGS.guards]: r.guards.map((g) => g.name).join(' ').slice(0, TAG_VALUE_MAX) } : {}),
  };
}
