import { collectAwsRequestIds } from '../aws-request-ids';
import { newReferenceId } from '../ops/process-guards';
import type { AuditEntry, Store } from '../ports/store';

/** The audit trace of background work: its row's request id, and the AWS request ids of what it changed. */
export interface ChangeTrace {
  requestId: string;
  awsRequestIds: string[];
}

type TraceEntry = Omit<AuditEntry, 'requestId' | 'outcome' | 'durationMs' | 'awsRequestIds'>;

/**
 * Work no command runs (a guard's stop, a start taken over after a crash) gets the trace a command gets
 * (handlers/pipeline.ts): a `pending` row written before its first AWS call that changes something, so a crash
 * before the end still leaves it. `complete`: write the final row here; otherwise the caller completes it with
 * `store.completeAudit` under `trace.requestId` (nothing is written when nothing changed). A failed audit write
 * never holds the work back.
 */
export async function traceChanges<T>(
  store: Store,
  entry: TraceEntry,
  o: { complete: boolean; now: () => number; onAuditError: (err: unknown) => void },
  fn: () => Promise<T>,
): Promise<{ value: T; trace: ChangeTrace }> {
  const trace: ChangeTrace = { requestId: newReferenceId(), awsRequestIds: [] };
  const row = (outcome: AuditEntry['outcome'], detail = entry.detail): AuditEntry => ({
    ...entry,
    detail,
    requestId: trace.requestId,
    outcome,
    awsRequestIds: [...trace.awsRequestIds],
    durationMs: Math.max(0, o.now() - entry.at),
  });
  let pending = false;
  const beforeChange = () => store.appendAudit(row('pending')).then(() => void (pending = true), o.onAuditError);
  const finish = (outcome: AuditEntry['outcome'], detail?: string) =>
    pending && o.complete ? store.completeAudit(row(outcome, detail)).catch(o.onAuditError) : undefined;
  try {
    const value = await collectAwsRequestIds(trace.awsRequestIds, fn, { beforeChange });
    await finish('ok');
    return { value, trace };
  } catch (err) {
    await finish('error', (err as { code?: string }).code ?? 'internal');
    throw err;
  }
}
