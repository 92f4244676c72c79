import type { Insertable, Kysely, Selectable } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { AuditEntry, StoredAuditEntry } from '../ports/store';
import type { AuditRow, Database } from './schema';
import { classifyStoreFault } from './faults';

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

/** Rows in one INSERT at most: 11 parameters each stays far below SQLite's (32,766) and Postgres' (65,535) limits. */
const MAX_BATCH = 500;

interface Pending {
  row: Insertable<AuditRow>;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Audit rows of commands that finish in the same turn of the event loop go in one multi-row INSERT (one commit):
 * every command writes a row, and on SQLite a commit costs ~150 µs of the thread that acks every other command,
 * ten rows in one commit ~20 µs. Under no load a batch is one row, written on the next turn. Each append resolves
 * once its row is written; if a batch fails, its rows are tried one by one so one bad row loses only itself.
 */
export function createAuditWriter(db: Kysely<Database>, sqlite?: SqliteDatabase.Database): { append(e: AuditEntry): Promise<void>; drain(): Promise<void> } {
  const queue: Pending[] = [];
  let flushing: Promise<void> | undefined;
  const onSqlite = sqlite && sqliteInserter(sqlite);
  const insert = async (rows: Insertable<AuditRow>[]) => {
    // SQLite: one prepared statement run per row inside one transaction (all rows or none), without Kysely building
    // and preparing a new multi-row INSERT for every batch size (~20 µs of CPU per row). Not inside someone
    // else's open transaction (only migrations hold one), whose rollback would take the rows with it.
    if (onSqlite && !sqlite.inTransaction) return onSqlite(rows);
    await db.insertInto('audit_log').values(rows).execute();
  };
  const flush = async () => {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, MAX_BATCH);
        const ok = await insert(batch.map((p) => p.row)).then(() => true, () => false);
        // Row by row finds the one bad row; a store that is down, busy or full fails them all alike, so the first
        // such failure answers the rest at once instead of one wait per row (a backlog would take rows × timeout).
        let down: unknown;
        for (const p of batch) {
          if (ok) p.resolve();
          else if (down !== undefined) p.reject(down);
          else await insert([p.row]).then(p.resolve, (err: unknown) => (classifyStoreFault(err) ? (down = err) : undefined, p.reject(err)));
        }
      }
    } finally {
      flushing = undefined;
    }
  };
  return {
    append: (e) =>
      new Promise<void>((resolve, reject) => {
        queue.push({ row: toRow(e), resolve, reject });
        flushing ??= new Promise<void>((r) => setImmediate(r)).then(flush);
      }),
    drain: async () => {
      while (flushing) await flushing;
    },
  };
}

const COLUMNS = ['at', 'request_id', 'team_id', 'channel_id', 'user_id', 'kind', 'command', 'outcome', 'detail', 'aws_request_ids', 'duration_ms'] as const;

function sqliteInserter(sqlite: SqliteDatabase.Database): (rows: Insertable<AuditRow>[]) => void {
  let run: ((rows: Insertable<AuditRow>[]) => void) | undefined;
  return (rows) => {
    if (!run) {
      const stmt = sqlite.prepare(`insert into "audit_log" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
      run = sqlite.transaction((batch: Insertable<AuditRow>[]) => {
        for (const row of batch) stmt.run(COLUMNS.map((c) => row[c]));
      }).immediate;
    }
    run(rows);
  };
}

function toRow(e: AuditEntry): Insertable<AuditRow> {
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

/** The pending row of this request id becomes the entry; without one (its write failed), the entry is appended. */
export async function completeAudit(db: Kysely<Database>, e: AuditEntry): Promise<void> {
  const r = await db.updateTable('audit_log').set(toRow(e)).where('request_id', '=', e.requestId).where('outcome', '=', 'pending').executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) await db.insertInto('audit_log').values(toRow(e)).execute();
}

/** Newest first by time; the id breaks ties so entries written in the same millisecond keep their order. */
export async function selectAudit(db: Kysely<Database>, opts: { channelId?: string; limit: number }): Promise<StoredAuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (opts.channelId !== undefined) q = q.where('channel_id', '=', opts.channelId);
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(Math.max(0, opts.limit)).execute();
  return rows.map(toStoredEntry);
}
