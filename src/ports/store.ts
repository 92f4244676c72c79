/**
 * Persistence port. One implementation (src/store) over SQLite and Postgres. Every state change a button,
 * a schedule or a replica race can trigger is a compare-and-set: `transition` (exactly one caller wins a move
 * between states) or `update` (read-modify-write that loses nothing).
 */
export interface Entity<D = Record<string, unknown>> {
  kind: string; // 'approval', 'experiment', 'report', 'reach-path', …
  id: string;
  state: string;
  version: number; // bumped by every successful transition
  data: D;
  dueAt: number | null; // epoch ms; what the scheduler / expiry sweeps look at
  createdAt: number;
  updatedAt: number;
}

export interface NewEntity<D = Record<string, unknown>> {
  kind: string;
  id: string;
  state: string;
  data: D;
  dueAt?: number | null;
}

export interface Transition<D = Record<string, unknown>> {
  /** The change applies only while the entity is in one of these states… */
  from: string[];
  /** …and, when given, only at this exact version (for claims such as "run the report due at T"). */
  expectVersion?: number;
  to: string;
  /** Shallow-merged into `data`. */
  patch?: Partial<D>;
  /** `undefined` leaves due_at as it is; `null` clears it. */
  dueAt?: number | null;
}

/** What `update` writes; a field left out stays as it is. `data` replaces the stored data (it is not merged). */
export interface EntityChange<D = Record<string, unknown>> {
  state?: string;
  data?: D;
  /** `null` clears due_at. */
  dueAt?: number | null;
}

/**
 * The change `update` should write, or `undefined` to leave the entity as it is. Called with the entity as
 * stored, possibly several times (once per compare-and-set round lost to another writer), so it must be pure:
 * decide from its argument only, and keep any "what did I decide" in variables that its last call sets.
 */
export type EntityUpdater<D> = (current: Entity<D>) => EntityChange<D> | undefined;

export interface Updated<D> {
  entity: Entity<D>;
  /** False when the updater asked for no change (or its change equals what is stored): nothing was written. */
  changed: boolean;
}

export interface AuditEntry {
  at: number; // epoch ms
  requestId: string; // matches the log line and the reference id shown to the user
  teamId: string;
  channelId: string;
  userId: string;
  kind: 'command' | 'action' | 'event' | 'report' | 'system';
  command: string; // '/reach web-1 -> db-1:5432', 'approve:req-123', …
  /** `pending`: written before an AWS call that changes something; the command's end completes the row. */
  outcome: 'pending' | 'ok' | 'usage' | 'denied' | 'rate_limited' | 'error';
  detail?: string; // short, user-safe: error code or result summary
  awsRequestIds?: string[];
  durationMs: number;
}

export interface StoredAuditEntry extends AuditEntry {
  id: number;
}

export interface Store {
  /** Creates the entity; returns false (and changes nothing) when kind+id already exists. */
  create<D>(e: NewEntity<D>): Promise<boolean>;
  get<D>(kind: string, id: string): Promise<Entity<D> | null>;
  /** The oldest entity of this kind whose `data.key` is `key` (an indexed lookup, not a scan), or null. */
  findByKey<D>(kind: string, key: string): Promise<Entity<D> | null>;
  /** Compare-and-set. Returns the updated entity to the one winner, null to everyone else. */
  transition<D>(kind: string, id: string, t: Transition<D>): Promise<Entity<D> | null>;
  /**
   * The one read-modify-write: read, `fn`, write at the version read, and on a lost round read again and call
   * `fn` again, with jittered back-off, for a bounded number of attempts (src/store/update.ts). null when the
   * entity does not exist; LookoutError('conflict') when other writers kept winning for every attempt.
   */
  update<D>(kind: string, id: string, fn: EntityUpdater<D>): Promise<Updated<D> | null>;
  /** Replaces data without a state change, at an exact version (optimistic); null when someone else moved first. */
  updateData<D>(kind: string, id: string, expectVersion: number, data: D): Promise<Entity<D> | null>;
  list<D>(kind: string, opts?: { states?: string[]; dueBefore?: number; limit?: number }): Promise<Entity<D>[]>;
  delete(kind: string, id: string): Promise<boolean>;
  /**
   * A batch claim in one statement: up to `limit` entities in `states` due by `dueBefore` get due_at = `holdUntil`
   * (and a version bump) and are returned as updated; concurrent callers get disjoint batches. The caller then
   * claims each with `transition` at the returned version, which no one else can still win.
   */
  reserveDue<D>(kind: string, opts: { states: string[]; dueBefore: number; limit: number; holdUntil: number }): Promise<Entity<D>[]>;
  /**
   * The database's time (epoch ms) for leases and due times, so replicas whose clocks disagree agree on them: the
   * injected clock plus the measured offset of the database's clock (Postgres; refreshed in the background, no
   * round trip per call); the injected clock itself on SQLite, whose file one host owns.
   */
  now(): number;

  /** Retried Slack event deliveries: true the first time an id is seen within the TTL, false after. */
  claimEvent(eventId: string, ttlMs: number, now: number): Promise<boolean>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /** Completes the `pending` row of `entry.requestId` with this entry (appends it when there is none). */
  completeAudit(entry: AuditEntry): Promise<void>;
  listAudit(opts: { channelId?: string; limit: number }): Promise<StoredAuditEntry[]>;

  /** Cheap round trip for /readyz and /lookout status. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
