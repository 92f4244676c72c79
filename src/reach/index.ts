export { createReachService } from './service';
export type { ReachService, CheckQuestion } from './service';
export type { ReachDeps } from './deps';
export type { RunOptions } from './run';
export type { SweepReport, Where } from './manage';
export { EXPLANATIONS, ADDITIONAL_DETAILS, describeExplanation } from './explanations';
