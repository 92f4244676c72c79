/** The configuration example of product.md §8, verbatim. */
export const PRODUCT_EXAMPLE = `aws:
  region: us-east-1
accounts:                       # optional; without it Lookout uses its own credentials for everything
  prod:    { roleArn: "arn:aws:iam::111111111111:role/lookout", region: us-east-1 }
  staging: { roleArn: "arn:aws:iam::222222222222:role/lookout", region: eu-west-1 }
admins: [S0PLATFORM, U0ALICE]   # users / user groups with the admin verb everywhere
metrics:
  amp: { workspaceId: ws-0123, region: us-east-1, account: prod }   # account: whose role signs the queries
  # or: prometheus: { url: "http://…", tokenEnv: PROM_TOKEN }       # or usernameEnv + passwordEnv (basic auth)
grafana:
  amg: { workspaceId: g-0123, region: us-east-1, account: prod, serviceAccountId: "5" }  # short-lived tokens
  # or: url: "https://grafana.example.com", tokenEnv: GRAFANA_TOKEN
  datasourceUid: prometheus-main   # for Explore links
chaos:
  approvalTtl: 30m              # durations: 90s, 30m, 2h, 1d
  allowSelfApproval: false
  requireStopConditions: true
  maxRunning: 1
  templateTag: "lookout:allowed=true"   # optional: only templates with this tag may run
  timezone: Europe/Berlin       # for freeze windows (default UTC); \`to\` is inclusive
  freeze: [ { days: [sat, sun] }, { from: 2026-12-20, to: 2027-01-03, reason: "Holiday freeze" } ]
  guards:                       # PromQL that returns series while unhealthy; stops the experiment when it holds for \`for\`
    - { name: web-5xx, expr: 'sum(rate(http_requests_total{code=~"5.."}[1m])) > 5', for: 1m, value: 'sum(rate(http_requests_total{code=~"5.."}[1m]))' }
    - { name: db-latency, expr: 'histogram_quantile(0.99, sum by (le) (rate(db_seconds_bucket[1m]))) > 0.5', for: 2m, templates: [kill-db-primary] }
  guardInterval: 15s
  guardFailures: 3              # consecutive evaluation failures that count as firing
  watchMetrics: ['sum(rate(http_requests_total[1m]))']   # charted for every experiment in its thread
reach:
  minWatchInterval: 15m
limits: { perUserPerMinute: 20, perChannelPerMinute: 60 }
channels:
  default:     { account: staging, allow: [reach, metrics, grafana, report, chaos:read] }
  C0123ABCDEF: { account: prod, accounts: [prod, staging], allow: ["*"], approvers: [S0SRELEADS, U0ALICE], minApprovals: 2 }
reports:
  - { id: weekday-chaos, channel: C0123ABCDEF, cron: "0 9 * * 1-5", tz: Europe/Berlin, command: "/chaos history --limit 5" }
`;

/** An HTTP-mode environment with everything required. */
export const HTTP_ENV = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'secret',
};
