import { CreateTableBuilder, DEFAULT_MIGRATION_TABLE, Kysely, Migration, MigrationProvider, Migrator, sql } from 'kysely';
import { LookoutError } from '../errors';
import type { Dialect } from './schema';

/**
 * Versioned schema changes, applied at open. Names sort in order; never edit a released migration, add the
 * next one. Migrations only add (tables, columns, indexes, rows): during a rolling deploy the previous release
 * runs against the new schema. Kysely records applied names in `kysely_migration` and, on Postgres, holds an advisory lock while
 * migrating, so replicas starting together apply each migration once.
 */
function buildMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<any>) {
        await columns(db.schema.createTable('entities'), {
          kind: 'text',
          id: 'text',
          state: 'text',
          version: 'integer',
          data: 'text',
          due_at: 'bigint?',
          created_at: 'bigint',
          updated_at: 'bigint',
        })
          .addPrimaryKeyConstraint('entities_pk', ['kind', 'id'])
          .execute();
        await db.schema.createIndex('entities_kind_state').on('entities').columns(['kind', 'state']).execute();
        await db.schema.createIndex('entities_kind_due_at').on('entities').columns(['kind', 'due_at']).execute();

        await db.schema
          .createTable('seen_events')
          .addColumn('event_id', 'text', (c) => c.primaryKey())
          .addColumn('seen_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('seen_events_seen_at').on('seen_events').column('seen_at').execute();

        const auditLog = db.schema
          .createTable('audit_log')
          // Dialect difference: SQLite's rowid alias vs a Postgres identity column.
          .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigint', (c) =>
            dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity(),
          );
        await columns(auditLog, {
          at: 'bigint',
          request_id: 'text',
          team_id: 'text',
          channel_id: 'text',
          user_id: 'text',
          kind: 'text',
          command: 'text',
          outcome: 'text',
          detail: 'text?',
          aws_request_ids: 'text?',
          duration_ms: 'integer',
        }).execute();
        await db.schema.createIndex('audit_log_channel_at').on('audit_log').columns(['channel_id', 'at']).execute();
      },
    },
    // Entities found by `data.key` (store.findByKey): an index on the expression rather than a new column, so
    // nothing needs back-filling and rows written by the previous release during a rolling deploy are indexed too.
    '0002_entities_data_key': {
      async up(db: Kysely<any>) {
        await sql`create index entities_kind_data_key on entities (kind, ${dataKey(dialect)})`.execute(db);
      },
    },
    // A command's `pending` row (written before an AWS call that changes something) is completed by request id.
    '0003_audit_request_id': {
      async up(db: Kysely<any>) {
        await db.schema.createIndex('audit_log_request_id').on('audit_log').column('request_id').execute();
      },
    },
  };
}

type ColumnType = 'text' | 'integer' | 'bigint';

/** Adds columns in order: `not null` unless the type ends in `?`. */
function columns(table: CreateTableBuilder<string, string>, spec: Record<string, ColumnType | `${ColumnType}?`>): CreateTableBuilder<string, string> {
  return Object.entries(spec).reduce(
    (t, [name, type]) => (type.endsWith('?') ? t.addColumn(name, type.slice(0, -1) as ColumnType) : t.addColumn(name, type as ColumnType, (c) => c.notNull())),
    table,
  );
}

/** `data.key` as SQL; queries must use exactly this expression for the index above to serve them. */
export function dataKey(dialect: Dialect) {
  return dialect === 'sqlite' ? sql`json_extract(data, '$.key')` : sql`((data::jsonb) ->> 'key')`;
}

/** Every migration's name, in order (what `kysely_migration` holds once the database is up to date). */
export const MIGRATION_NAMES = Object.keys(buildMigrations('sqlite')).sort();

/** The in-code provider (no files to find at run time, so it works the same from ts-jest and from dist/). */
export function createMigrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => buildMigrations(dialect) };
}

/**
 * Brings the database to the latest migration. `migrationSchema` pins Kysely's bookkeeping tables to our
 * schema on Postgres: its "does the table exist" check otherwise looks across every schema in the database.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect, migrationSchema?: string): Promise<string[]> {
  const provider = createMigrationProvider(dialect);
  const migrator = new Migrator({ db, provider, migrationTableSchema: migrationSchema });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    // Checked after the migrator (which reads the state under its lock), so a newer replica migrating at this moment counts.
    if (await newerReleaseMigrated(db, provider, migrationSchema)) return [];
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const which = failed ? ` (migration \`${failed}\` failed)` : '';
    throw new LookoutError('internal', `Could not migrate the database${which}.`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * A newer release has migrated this database (its replicas are rolling out, or it was rolled back): every migration
 * this version knows is applied, plus later ones. Migrations only add (test/unit/packaging/rolling-upgrade.test.ts),
 * so this version runs against that schema as it is, where Kysely's migrator refuses the unknown names as corrupt.
 */
async function newerReleaseMigrated(db: Kysely<any>, provider: MigrationProvider, migrationSchema?: string): Promise<boolean> {
  const scoped = migrationSchema ? db.withSchema(migrationSchema) : db;
  // A fresh database has no bookkeeping table yet; any other failure is the migrator's to report.
  const rows = await scoped.selectFrom(DEFAULT_MIGRATION_TABLE).select('name').execute().catch(() => []);
  const applied = new Set(rows.map((r) => r.name as string));
  const known = Object.keys(await provider.getMigrations());
  return applied.size > known.length && known.every((name) => applied.has(name));
}
