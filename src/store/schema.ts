import type { Generated } from 'kysely';

/** Row shapes as stored: snake_case columns, epoch-ms bigints, JSON as text (the same on SQLite and Postgres). */
export interface EntityRow {
  kind: string;
  id: string;
  state: string;
  version: number;
  data: string;
  due_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SeenEventRow {
  event_id: string;
  seen_at: number;
}

export interface AuditRow {
  id: Generated<number>;
  at: number;
  request_id: string;
  team_id: string;
  channel_id: string;
  user_id: string;
  kind: string;
  command: string;
  outcome: string;
  detail: string | null;
  aws_request_ids: string | null;
  duration_ms: number;
}

export interface Database {
  entities: EntityRow;
  seen_events: SeenEventRow;
  audit_log: AuditRow;
}

export type Dialect = 'sqlite' | 'postgres';
