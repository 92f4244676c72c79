import type { Kysely, Selectable } from 'kysely';
import type { AuditEntry, StoredAuditEntry } from '../ports/store';
import type { AuditRow, Database } from './schema';

function toStoredEntry(row: Selectable<AuditRow>): StoredAuditEntry {
  const entry: StoredAuditEntry = {
    id: Number(row.id),
    at: Number(row.at),
    requestId: row.request_id,
    teamId: row.team_id,
    channelId: row.channel_id,
    userId: row.user_id,
    kind: row.kind as AuditEntry['kind'],
    command: row.command,
    outcome: row.outcome as AuditEntry['outcome'],
    durationMs: Number(row.duration_ms),
  };
  if (row.detail !== null) entry.detail = row.detail;
  if (row.aws_request_ids !== null) entry.awsRequestIds = JSON.parse(row.aws_request_ids) as string[];
  return entry;
}

function auditValues(e: AuditEntry) {
  return {
    at: e.at,
    request_id: e.requestId,
    team_id: e.teamId,
    channel_id: e.channelId,
    user_id: e.userId,
    kind: e.kind,
    command: e.command,
    outcome: e.outcome,
    detail: e.detail ?? null,
    aws_request_ids: e.awsRequestIds ? JSON.stringify(e.awsRequestIds) : null,
    duration_ms: Math.round(e.durationMs),
  };
}

export async function insertAudit(db: Kysely<Database>, e: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values(auditValues(e)).execute();
}

/** The pending row of this request id becomes the entry; without one (its write failed), the entry is appended. */
export async function completeAudit(db: Kysely<Database>, e: AuditEntry): Promise<void> {
  const r = await db.updateTable('audit_log').set(auditValues(e)).where('request_id', '=', e.requestId).where('outcome', '=', 'pending').executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) await insertAudit(db, e);
}

/** Newest first by time; the id breaks ties so entries written in the same millisecond keep their order. */
export async function selectAudit(db: Kysely<Database>, opts: { channelId?: string; limit: number }): Promise<StoredAuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (opts.channelId !== undefined) q = q.where('channel_id', '=', opts.channelId);
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(Math.max(0, opts.limit)).execute();
  return rows.map(toStoredEntry);
}
