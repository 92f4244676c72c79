import type { Logger } from 'pino';
import type { Config, Verb } from '../src/config/types';
import type { Clock } from '../src/ports/clock';
import type { Store } from '../src/ports/store';
import type { Actor, AwsAccounts, AwsTarget } from '../src/ports/aws';
import type { CommandGrammar } from '../src/commands/types';
import type { OpsMetrics } from '../src/ops/metrics';
import type { WorkTracker } from '../src/ops/work-tracker';
import type { Rendered, SlackMessage } from '../src/views/message';
import type { ChartFile } from '../src/views/charts';
import type { MetricsBackend } from '../src/compose/metrics';
import type { GrafanaBackend } from '../src/compose/grafana';
import type { ReachService } from '../src/reach';
import type { ChaosService } from '../src/chaos/service';
import type { ChartRenderer } from '../src/charts/render';
import type { HealthCheck } from '../src/views/lookout';
import type { HealthScope } from '../src/ops/health';

/** One command as Lookout received it, from a slash command, a mention or a scheduled report. */
export interface Invocation {
  requestId: string; // also the reference id shown to users and the audit row's request_id
  teamId: string;
  userId: string;
  channelId: string;
  command: string; // '/reach'
  text: string; // already entity-decoded
  source: 'slash' | 'mention' | 'report' | 'action';
  threadTs?: string; // mentions answer in the thread
  responseUrl?: string; // slash commands: ephemeral replies work even where the bot is not a member
  /** Button presses: the message the button is on (the answer to update). */
  message?: MessageRef;
  /** A button that costs money (Re-run: a billed analysis) counts towards the rate limits like a typed command. */
  limited?: boolean;
  /** Button presses: the message the click came from, always (buttons naming a request must be on its card). */
  clicked?: MessageRef;
  startedAt: number;
}

export interface MessageRef {
  channel: string;
  ts: string;
}

export interface UploadFile {
  filename: string;
  data: Buffer;
  title: string;
  altText?: string;
}

/** Where an invocation's answers go. Channel posts land in the thread for mentions. */
export interface Replier {
  post(msg: SlackMessage, opts?: { threadTs?: string }): Promise<MessageRef>;
  update(ref: MessageRef, msg: SlackMessage): Promise<void>;
  ephemeral(msg: SlackMessage): Promise<void>;
  upload(file: UploadFile, opts?: { threadTs?: string; comment?: string }): Promise<void>;
  /** The first channel message this invocation posted: updated to say so when the command then fails. */
  readonly primary?: MessageRef;
}

export interface ResolvedAccount {
  target: AwsTarget;
  name: string;
  id?: string;
  region: string;
}

export interface RunContext {
  inv: Invocation;
  /** Who acts (team and user), for role sessions and tags. */
  actor: Actor;
  reply: Replier;
  logger: Logger;
  /**
   * The channel's AWS account (or `--account`/`--region`), role assumed for this user. `button`: the account a
   * button carries, which goes back in only when it is not the channel's default (a channel without `accounts`
   * refuses `--account` altogether); whether the channel may use it is checked again, as for a typed `--account`.
   */
  account(requested?: { account?: string; region?: string }, opts?: { button?: boolean }): Promise<ResolvedAccount>;
  /**
   * A message that shows progress (≤ 1 update per ~5 s) until the answer replaces it; `on` is a message to update
   * instead of posting a new one (the answer a Re-run button is on).
   */
  progress<P>(view: (p: P) => SlackMessage, on?: MessageRef): (p: P) => Promise<void>;
  /** AWS request ids seen while running, for the audit row. */
  awsRequestIds: string[];
  /** Verbs the caller has in this channel (for help filtering, button rendering). */
  verbs: Set<Verb>;
  userGroupIds: string[];
}

/** What a view gets besides the result: the time, the invocation's reference id, the region asked in. */
export interface RenderInput {
  now: number;
  ref: string;
  region?: string;
}

/**
 * A command's answer: its domain result and the view that renders it. Only the pipeline renders: it calls the view,
 * adds the context line (channel answers) and "Run it yourself" (`finishAnswer`), uploads the chart, fingerprints
 * the result (what an `--on-change` report compares; every command a report may run sets it) and delivers.
 */
export interface Answer<T> {
  visibility: 'channel' | 'ephemeral';
  result: T;
  view(result: T, rc: RenderInput): SlackMessage | Rendered;
  fingerprint?(result: T): string;
  /** A chart drawn from the result, uploaded before the answer. */
  chart?(result: T, now: number): ChartFile | undefined;
  summary?: string; // for the audit row
  account?: ResolvedAccount;
  /** Thread ts to answer in, when the command wants its answer under an earlier message. */
  threadTs?: string;
}

/** A command's final answer, or (`done`) the command already delivered it (approval cards); the audit summary is left. */
export type Outcome = Answer<any> | { visibility: 'done'; summary?: string };

/** An answer, typed: the view, fingerprint and chart take the result's type. */
export const answer = <T>(a: Answer<T>): Outcome => a;

/** A message that is its own result (help, refusals, confirmations with buttons). */
export const said = (visibility: 'channel' | 'ephemeral', message: SlackMessage, summary?: string): Outcome => ({ visibility, result: message, view: (m: SlackMessage) => m, summary });

/** What `run` is given: the pipeline answers `{ kind: 'help' }` with the usage itself. */
export type Runnable<R> = Exclude<R, { kind: 'help' }>;

/**
 * A command: its grammar (src/commands: name, usage, parser) and what running it needs and does. A command that
 * answers help itself (`/lookout help` is the whole listing) says so with `isHelp` and takes every request (`Run = R`).
 */
export interface CommandDef<R, Run = Runnable<R>> extends CommandGrammar<R> {
  /** Whether the request asks for help (default: its `kind` is 'help'); the pipeline answers it with the usage. */
  isHelp?(req: R): boolean;
  /** The permission this request needs in the channel; null for anyone. */
  verb(req: R): Verb | null;
  run(req: Run, ctx: RunContext): Promise<Outcome | void>;
}

export interface RateLimiter {
  check(userId: string, channelId: string): { ok: true } | { ok: false; scope: 'user' | 'channel'; retryAfterMs: number };
}

/** Slack-side lookups the policy needs: which configured user groups a person belongs to. */
export interface Directory {
  groupsOf(userId: string, candidateGroupIds: string[]): Promise<string[]>;
}

export interface HandlerDeps {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: OpsMetrics;
  accounts: AwsAccounts;
  rateLimiter: RateLimiter;
  tracker: WorkTracker;
  directory: Directory;
  health(scope?: HealthScope): Promise<HealthCheck[]>;
  newRequestId(): string;
  backends: Backends;
  /** This replica's name, kept across restarts (the chaos start leases' name): it finishes runs it claimed before. */
  replicaId?: string;
}

/** The AWS / metrics ends, real or sandbox, chosen in main.ts. */
export interface Backends {
  metrics: MetricsBackend;
  grafana: GrafanaBackend;
  reach: ReachService;
  chaos: ChaosService;
  charts: ChartRenderer;
}
