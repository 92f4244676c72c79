/** Typed configuration: env (product.md §1) + YAML (product.md §8). Built by loadConfig; never mutated. */
export type Verb =
  | 'reach'
  | 'reach:watch'
  | 'chaos:read'
  | 'chaos:run'
  | 'chaos:stop'
  | 'metrics'
  | 'grafana'
  | 'report:read'
  | 'report:write'
  | 'admin';

export interface AccountConfig {
  name: string;
  roleArn?: string; // absent: Lookout's own credentials
  accountId?: string; // from roleArn when present
  region?: string;
}

export interface ChannelConfig {
  account?: string;
  accounts?: string[];
  allow: string[]; // raw grants: verbs, bare prefixes ('reach', 'report'), '*'
  approvers?: string[]; // U… user ids and S… user-group ids
  minApprovals?: number;
}

export interface FreezeWindow {
  days?: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
  from?: string; // YYYY-MM-DD, in chaos.timezone
  to?: string; // YYYY-MM-DD inclusive
  reason?: string;
}

/** One `chaos.guards` entry (product.md §4 "Guards"): PromQL that returns series while unhealthy. */
export interface GuardConfig {
  name: string;
  expr: string;
  forMs: number; // default 0: fire on the first evaluation that returns series
  value?: string; // what the card shows and the charts draw
  templates?: string[]; // template ids or Name tags it applies to; absent: every template
}

export interface ReportConfig {
  id: string;
  channel: string;
  cron: string;
  tz?: string;
  onChange?: boolean;
  command: string;
}

export interface LookoutConfig {
  /** false when no YAML file was found: product.md §8 "no configuration at all" defaults apply. */
  present: boolean;
  aws: { region?: string };
  accounts: Record<string, AccountConfig>;
  admins: string[];
  metrics?: {
    amp?: { workspaceId: string; region?: string; account?: string };
    prometheus?: { url: string; tokenEnv?: string; usernameEnv?: string; passwordEnv?: string };
  };
  grafana?: {
    amg?: { workspaceId: string; region?: string; account?: string; serviceAccountId: string };
    url?: string;
    tokenEnv?: string;
    datasourceUid?: string;
  };
  chaos: {
    approvalTtlMs: number; // default 30 min
    allowSelfApproval: boolean; // default false
    requireStopConditions: boolean; // default true
    maxRunning: number; // default 1
    templateTag?: { key: string; value: string };
    timezone: string; // default UTC
    freeze: FreezeWindow[];
    guards: GuardConfig[];
    guardIntervalMs: number; // default 15 s
    guardFailures: number; // default 3: failed evaluations in a row that fire a guard
    watchMetrics: string[]; // charted for every experiment
  };
  reach: { minWatchIntervalMs: number }; // default 15 min
  limits: { perUserPerMinute: number; perChannelPerMinute: number }; // defaults 20 / 60
  channels: Record<string, ChannelConfig>; // keyed by channel id or 'default'
  reports: ReportConfig[];
}

export interface RuntimeEnv {
  slackBotToken?: string;
  slackSigningSecret?: string;
  slackAppToken?: string;
  slackApiUrl: string; // always ends with '/'
  port: number;
  databaseUrl: string;
  logLevel: string;
  awsRegion?: string;
  configPath?: string;
}

export interface Config {
  env: RuntimeEnv;
  lookout: LookoutConfig;
}
