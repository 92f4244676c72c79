import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Lookout's own Prometheus metrics (product.md §10), on a registry per app instance (no globals). */
export interface OpsMetrics {
  registry: Registry;
  ackLatency: Histogram<'kind'>;
  commands: Counter<'command' | 'outcome'>;
  awsCalls: Histogram<'service' | 'operation' | 'outcome'>;
  slackCalls: Counter<'method' | 'outcome'>;
  slackCallSeconds: Histogram<'method' | 'outcome'>;
  slackRateLimited: Counter<'method'>;
  approvalsPending: Gauge;
  experimentsRunning: Gauge;
  reportLag: Gauge;
  duplicateEvents: Counter;
  /** Chaos guards (issue 12): evaluations by guard and outcome (ok, pending, firing, failed), and guards firing now. */
  guardEvaluations: Counter<'guard' | 'outcome'>;
  guardsFiring: Gauge;
}

export function createOpsMetrics(opts: { defaultMetrics?: boolean } = {}): OpsMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'lookout_' });
  const reg = [registry];
  return {
    registry,
    ackLatency: new Histogram({
      name: 'lookout_ack_latency_seconds',
      help: 'Time from receiving a Slack request to acknowledging it.',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers: reg,
    }),
    commands: new Counter({ name: 'lookout_commands_total', help: 'Commands by outcome.', labelNames: ['command', 'outcome'], registers: reg }),
    awsCalls: new Histogram({
      name: 'lookout_aws_call_seconds',
      help: 'AWS SDK call latency (retries included) by service, operation and outcome.',
      labelNames: ['service', 'operation', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: reg,
    }),
    slackCalls: new Counter({ name: 'lookout_slack_calls_total', help: 'Slack Web API calls by outcome (ok, the Slack error, http_NNN, network_error).', labelNames: ['method', 'outcome'], registers: reg }),
    slackCallSeconds: new Histogram({
      name: 'lookout_slack_call_seconds',
      help: 'Slack Web API call latency (one attempt) by method and outcome.',
      labelNames: ['method', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
      registers: reg,
    }),
    slackRateLimited: new Counter({ name: 'lookout_slack_rate_limited_total', help: 'Slack 429 answers.', labelNames: ['method'], registers: reg }),
    approvalsPending: new Gauge({ name: 'lookout_approvals_pending', help: 'Chaos approval requests waiting for approvers.', registers: reg }),
    experimentsRunning: new Gauge({ name: 'lookout_experiments_running', help: 'Experiments Lookout is watching.', registers: reg }),
    reportLag: new Gauge({ name: 'lookout_report_lag_seconds', help: 'How late the last scheduled report ran.', registers: reg }),
    guardEvaluations: new Counter({ name: 'lookout_guard_evaluations_total', help: 'Chaos guard evaluations by guard and outcome (ok, pending, firing, failed).', labelNames: ['guard', 'outcome'], registers: reg }),
    guardsFiring: new Gauge({ name: 'lookout_guards_firing', help: 'Chaos guards firing on experiments this replica guards.', registers: reg }),
    duplicateEvents: new Counter({ name: 'lookout_duplicate_events_total', help: 'Retried Slack event deliveries ignored (already processed).', registers: reg }),
  };
}
