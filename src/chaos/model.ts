/**
 * The chaos domain: what the Experiments port returns (templates, experiments; domain shapes, not SDK ones: absent
 * lists are empty, times are epoch ms, a template's `Name` tag is lifted into `name`), and what the chaos service
 * keeps and answers (requests, reports, listings). Any layer may import a model.
 */
export type ExperimentStatus = 'pending' | 'initiating' | 'running' | 'completed' | 'stopping' | 'stopped' | 'failed' | 'cancelled';

export type ActionStatus =
  | 'pending'
  | 'initiating'
  | 'running'
  | 'completed'
  | 'cancelled'
  | 'stopping'
  | 'stopped'
  | 'failed'
  | 'skipped';

/** `run-all` is a real run; `skip-all` resolves targets and skips every action (FIS "target preview"). */
export type ActionsMode = 'run-all' | 'skip-all';

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'stopped', 'failed', 'cancelled']);

/** Terminal states: an experiment in one of these never changes again (aws-apis.md §2.3). */
export function isTerminal(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}

export interface TargetFilter {
  path: string;
  values: string[];
}

export interface TemplateTarget {
  name: string;
  resourceType: string; // 'aws:ec2:instance', 'aws:ecs:task', …
  resourceArns: string[];
  resourceTags: Record<string, string>;
  filters: TargetFilter[];
  selectionMode: string; // 'ALL' | 'COUNT(n)' | 'PERCENT(n)'
  parameters: Record<string, string>;
}

export interface TemplateAction {
  name: string;
  actionId: string; // 'aws:ec2:stop-instances'
  description?: string;
  parameters: Record<string, string>; // e.g. { duration: 'PT5M' }
  targets: Record<string, string>; // e.g. { Instances: 'web' }
  startAfter: string[];
}

export interface StopCondition {
  source: string; // 'aws:cloudwatch:alarm' | 'none'
  value?: string; // alarm ARN
}

export interface TemplateSummary {
  id: string;
  name?: string; // the `Name` tag
  description?: string;
  tags: Record<string, string>;
  createdAt?: number;
  updatedAt?: number;
}

export interface Template extends TemplateSummary {
  roleArn?: string;
  targets: TemplateTarget[];
  actions: TemplateAction[];
  /** As configured, including `{ source: 'none' }` entries; see hasStopConditions. */
  stopConditions: StopCondition[];
}

/** True when at least one real guard rail (not `none`) is configured. */
export function hasStopConditions(t: Pick<Template, 'stopConditions'>): boolean {
  return t.stopConditions.some((c) => c.source !== 'none');
}

export interface ExperimentAction {
  name: string;
  actionId: string;
  status: ActionStatus;
  reason?: string;
  startedAt?: number;
  endedAt?: number;
  parameters: Record<string, string>;
}

export interface ExperimentSummary {
  id: string;
  templateId: string;
  status: ExperimentStatus;
  reason?: string;
  createdAt?: number;
  tags: Record<string, string>;
}

export interface Experiment extends ExperimentSummary {
  startedAt?: number;
  endedAt?: number;
  /** FIS `state.error.code` where the service sends it. */
  errorCode?: string;
  actions: ExperimentAction[];
  /** As reported by the service; undefined when the service did not say (treat as a real run). */
  actionsMode?: ActionsMode;
}

export interface ResolvedTarget {
  targetName: string;
  resourceType: string;
  /** Undocumented keys (an ARN is usually among them): render every pair. */
  info: Record<string, string>;
}

export interface StartExperimentInput {
  templateId: string;
  /** Idempotency token (1–64 chars): the same token returns the same experiment. */
  clientToken: string;
  tags: Record<string, string>;
  /** Default `run-all`. Callers must check `actionsMode` on what comes back before calling anything a dry run. */
  actionsMode?: ActionsMode;
}


/** Tags Lookout puts on the experiments it starts (product.md §4), so AWS can be traced back to Slack. */
export const LOOKOUT_TAGS = {
  request: 'lookout:request',
  requestedBy: 'lookout:requested-by',
  approvedBy: 'lookout:approved-by',
  channel: 'lookout:channel',
  /** Who stopped it: `guard:<name>` or `user:<slack user id>`. */
  stoppedBy: 'lookout:stopped-by',
  /** The names of the guards that watch the run, space-separated. */
  guards: 'lookout:guards',
  /** Set on skip-all target previews: never counted as running experiments, never reported as history. */
  preview: 'lookout:preview',
} as const;

// ---- What the chaos service keeps and reports (shared by src/chaos, handlers and src/views) ----

/** The blast-radius preview: concrete resources only from a dry run verified as skip-all, else why not. */
export type TargetPreview =
  | { status: 'verified'; experimentId: string; targets: ResolvedTarget[]; at: number }
  | { status: 'unavailable'; reason: string };

/** One guard of a run (product.md §4 "Guards"): from `chaos.guards`, or the ad-hoc `--guard` (name `ad-hoc`). */
export interface GuardSpec {
  name: string;
  expr: string;
  forMs: number;
  value?: string;
}

/** A guard's state as a card shows it: at the preflight, or as the watcher last evaluated it. */
export interface GuardCheck {
  name: string;
  status: 'inactive' | 'pending' | 'firing';
  series: number;
  failures: number;
  value?: number;
  reason?: string;
}

export type ChaosRequestState = 'pending' | 'approved' | 'starting' | 'running' | 'done' | 'denied' | 'expired' | 'failed' | 'refused';

export interface Approval {
  userId: string;
  at: number;
}

/** An approval request (store kind `chaos-request`), as handlers and views see it. */
export interface ChaosRequest {
  id: string;
  state: ChaosRequestState;
  version: number;
  teamId: string;
  channelId: string;
  requesterId: string;
  reason?: string;
  account: { name: string; id?: string; region: string };
  /** The template as it was when the request was made. */
  template: Template;
  preview: TargetPreview;
  /** Slack user ids (U…/W…) and user-group ids (S…). */
  approvers: string[];
  minApprovals: number;
  allowSelfApproval: boolean;
  approvals: Approval[];
  deniedBy?: Approval;
  createdAt: number;
  expiresAt: number;
  remindedAt?: number;
  /** Where the approval card was posted, set by the handler (attachMessage). */
  message?: { channel: string; ts: string };
  /** Whose approval completed the quorum (AWS calls for the start act as this person). */
  startedBy?: string;
  experimentId?: string;
  /** The latest experiment state seen, for rendering the card. */
  experiment?: Experiment;
  stoppedBy?: string;
  /** The guards that apply to this run (empty or absent: unguarded), and their state at the last check. */
  guards?: GuardSpec[];
  guardChecks?: GuardCheck[];
  /** Why starting failed (state `failed`) or was refused at approval (state `refused`): user-safe text. */
  error?: { code: string; message: string };
}

export type ExperimentChange =
  | { kind: 'status'; from?: ExperimentStatus; to: ExperimentStatus; reason?: string; at: number }
  | { kind: 'action'; action: string; actionId: string; from?: ActionStatus; to: ActionStatus; reason?: string; at: number };

/** The end of a watched experiment: what the thread's final summary shows. */
export interface ExperimentReport {
  experimentId: string;
  requestId?: string;
  templateId: string;
  templateName?: string;
  status: ExperimentStatus;
  reason?: string;
  errorCode?: string;
  startedAt?: number;
  endedAt?: number;
  durationMs?: number;
  actions: ExperimentAction[];
  /** null when ListExperimentResolvedTargets failed; the summary says so. */
  resolvedTargets: ResolvedTarget[] | null;
  stoppedBy?: string;
}

/** `/chaos list`: templates sorted by name; `template` is set for those read in full (the first N). */
export interface TemplateListing {
  items: { summary: TemplateSummary; template?: Template; allowed: boolean }[];
  templateTag?: { key: string; value: string };
}

/** `/chaos show`: the template, whether policy lets it run from Lookout, and its blast-radius preview. */
export interface TemplateDetails {
  template: Template;
  allowed: boolean;
  templateTag?: { key: string; value: string };
  preview: TargetPreview;
}

/** `/chaos status` and `/chaos history`: experiments with their templates' names where known. */
export interface ExperimentsAnswer<E extends ExperimentSummary = ExperimentSummary> {
  experiments: E[];
  /** How many more matched than are listed. */
  more: number;
  templateNames: Record<string, string>;
}
