/**
 * Fault-injection port (AWS FIS, or the sandbox account). Domain shapes, not SDK ones: absent lists are empty,
 * times are epoch ms, a template's `Name` tag is lifted into `name`.
 */
import type { Experiment, ExperimentSummary, ResolvedTarget, StartExperimentInput, Template, TemplateSummary } from '../chaos/model';

/** One account and region. Errors are LookoutError (`not_found`, `access_denied`, `quota`, `conflict`, …). */
export interface Experiments {
  listTemplates(): Promise<TemplateSummary[]>;
  getTemplate(id: string): Promise<Template>;
  start(input: StartExperimentInput): Promise<Experiment>;
  get(id: string): Promise<Experiment>;
  /** Every experiment in the account (not only Lookout's), newest first. */
  list(opts?: { templateId?: string }): Promise<ExperimentSummary[]>;
  stop(id: string): Promise<Experiment>;
  /** Adds tags to an experiment (TagResource), e.g. `lookout:stopped-by` after a stop. */
  tag(id: string, tags: Record<string, string>): Promise<void>;
  resolvedTargets(experimentId: string): Promise<ResolvedTarget[]>;
}
