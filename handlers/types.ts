import type { Logger } from 'pino';
import type { Config, Verb } from '../src/config/types';
import type { Clock } from '../src/ports/clock';
import type { Store } from '../src/ports/store';
import type { AwsAccounts, AwsTarget } from '../src/ports/aws';
import type { ParseResult, UsageLine } from '../src/commands/types';
import type { OpsMetrics } from '../src/ops/metrics';
import type { WorkTracker } from '../src/ops/work-tracker';
import type { ResultContext, SlackMessage } from '../src/views/message';
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
  reply: Replier;
  logger: Logger;
  /** The channel's AWS account (or `--account`/`--region`), role assumed for this user. */
  account(requested?: { account?: string; region?: string }): Promise<ResolvedAccount>;
  /** AWS request ids seen while running, for the audit row. */
  awsRequestIds: string[];
  /** Verbs the caller has in this channel (for help filtering, button rendering). */
  verbs: Set<Verb>;
  userGroupIds: string[];
  /** The context line's data (who asked, account, region, time so far), for views that place it themselves. */
  resultContext(account?: ResolvedAccount): ResultContext;
}

/**
 * A command's final answer. The pipeline posts it and adds the context line to channel answers. `fingerprint`
 * (handlers/fingerprints.ts) hashes what the answer shows, from its domain result: what an `--on-change` report
 * compares. Every command a report may run sets it.
 */
export type Outcome =
  | {
      message: SlackMessage;
      visibility: 'channel' | 'ephemeral';
      summary?: string; // for the audit row
      fingerprint?: string;
      account?: ResolvedAccount;
      /** Thread ts to answer in, when the command wants its answer under an earlier message. */
      threadTs?: string;
      /** False when the view already placed the context line (default: the pipeline appends it). */
      withContext?: boolean;
    }
  /** The command already delivered its answer itself (progress messages, uploads); only the audit summary is left. */
  | { visibility: 'done'; summary?: string; fingerprint?: string };

export interface CommandDef<R> {
  command: string; // '/lookout'
  usage: UsageLine[];
  parse(text: string): ParseResult<R>;
  isHelp(req: R): boolean;
  /** The permission this request needs in the channel; null for anyone. */
  verb(req: R): Verb | null;
  run(req: R, ctx: RunContext): Promise<Outcome | void>;
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
