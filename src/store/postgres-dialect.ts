import { DatabaseIntrospector, DatabaseMetadata, Kysely, PostgresDialect, SchemaMetadata, TableMetadata, sql } from 'kysely';

/**
 * Kysely's PostgresIntrospector reads every column of every schema and calls has_schema_privilege(name), which
 * fails with "schema … does not exist" when another schema is dropped during the scan (the test database is
 * shared by many runs that do exactly that). Its only user here is the Migrator, which needs to know whether its
 * bookkeeping tables exist in our schema, so this one looks at the current schema's catalog rows only and
 * reports no columns.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm', 'f')`.execute(this.db);
    return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.kind === 'v' || r.kind === 'm', columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

/** PostgresDialect with the schema-scoped introspector above; queries and the migration lock are Kysely's own. */
export class ScopedPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
