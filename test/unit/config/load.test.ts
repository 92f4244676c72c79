import { loadConfig } from '../../../src/config/load';
import type { LookoutConfig } from '../../../src/config/types';
import { HTTP_ENV, PRODUCT_EXAMPLE } from './example';

const MIN = 60_000;

function lookoutOf(yaml: string | null, env: Record<string, string> = {}): LookoutConfig {
  const result = loadConfig(env, yaml);
  if (!result.ok) throw new Error(`unexpected problems:\n${result.problems.join('\n')}`);
  return result.config.lookout;
}

function problemsOf(yaml: string | null, env: Record<string, string> = {}): string[] {
  const result = loadConfig(env, yaml);
  return result.ok ? [] : result.problems;
}

describe('loadConfig: the product.md §8 example', () => {
  it('loads with no problems into the typed configuration', () => {
    const result = loadConfig(HTTP_ENV, PRODUCT_EXAMPLE);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.config.lookout).toEqual({
      present: true,
      aws: { region: 'us-east-1' },
      accounts: {
        prod: { name: 'prod', roleArn: 'arn:aws:iam::111111111111:role/lookout', accountId: '111111111111', region: 'us-east-1' },
        staging: { name: 'staging', roleArn: 'arn:aws:iam::222222222222:role/lookout', accountId: '222222222222', region: 'eu-west-1' },
      },
      admins: ['S0PLATFORM', 'U0ALICE'],
      metrics: { amp: { workspaceId: 'ws-0123', region: 'us-east-1', account: 'prod' } },
      grafana: {
        amg: { workspaceId: 'g-0123', region: 'us-east-1', account: 'prod', serviceAccountId: '5' },
        datasourceUid: 'prometheus-main',
      },
      chaos: {
        approvalTtlMs: 30 * MIN,
        allowSelfApproval: false,
        requireStopConditions: true,
        maxRunning: 1,
        templateTag: { key: 'lookout:allowed', value: 'true' },
        timezone: 'Europe/Berlin',
        freeze: [{ days: ['sat', 'sun'] }, { from: '2026-12-20', to: '2027-01-03', reason: 'Holiday freeze' }],
        guards: [
          { name: 'web-5xx', expr: 'sum(rate(http_requests_total{code=~"5.."}[1m])) > 5', forMs: MIN, value: 'sum(rate(http_requests_total{code=~"5.."}[1m]))' },
          { name: 'db-latency', expr: 'histogram_quantile(0.99, sum by (le) (rate(db_seconds_bucket[1m]))) > 0.5', forMs: 2 * MIN, templates: ['kill-db-primary'] },
        ],
        guardIntervalMs: 15_000,
        guardFailures: 3,
        watchMetrics: ['sum(rate(http_requests_total[1m]))'],
      },
      reach: { minWatchIntervalMs: 15 * MIN },
      limits: { perUserPerMinute: 20, perChannelPerMinute: 60 },
      channels: {
        default: { account: 'staging', allow: ['reach', 'metrics', 'grafana', 'report', 'chaos:read'] },
        C0123ABCDEF: {
          account: 'prod',
          accounts: ['prod', 'staging'],
          allow: ['*'],
          approvers: ['S0SRELEADS', 'U0ALICE'],
          minApprovals: 2,
        },
      },
      reports: [
        { id: 'weekday-chaos', channel: 'C0123ABCDEF', cron: '0 9 * * 1-5', tz: 'Europe/Berlin', command: '/chaos history --limit 5' },
      ],
    });
  });
});

describe('loadConfig: defaults', () => {
  const defaults = {
    aws: {},
    accounts: {},
    admins: [],
    chaos: { approvalTtlMs: 30 * MIN, allowSelfApproval: false, requireStopConditions: true, maxRunning: 1, timezone: 'UTC', freeze: [], guards: [], guardIntervalMs: 15_000, guardFailures: 3, watchMetrics: [] },
    reach: { minWatchIntervalMs: 15 * MIN },
    limits: { perUserPerMinute: 20, perChannelPerMinute: 60 },
    channels: {},
    reports: [],
  };

  it('no file at all: built-in defaults, present false', () => {
    expect(lookoutOf(null)).toEqual({ present: false, ...defaults });
  });

  it.each([[''], ['# nothing but a comment\n'], ['{}']])('an empty file %j is present with defaults', (text) => {
    expect(lookoutOf(text)).toEqual({ present: true, ...defaults });
  });

  it('a listed channel without allow takes default’s allow; other keys stay its own', () => {
    const cfg = lookoutOf('channels:\n  default: { allow: [reach] }\n  C1: { approvers: [U1] }\n');
    expect(cfg.channels.C1).toEqual({ allow: ['reach'], approvers: ['U1'] });
    expect(cfg.channels.default).toEqual({ allow: ['reach'] });
  });

  it('a channel without allow and no default allows nothing', () => {
    expect(lookoutOf('channels:\n  C1: { approvers: [U1] }\n').channels.C1.allow).toEqual([]);
  });
});

describe('loadConfig: accepted values', () => {
  it.each<[string, string, (c: LookoutConfig) => unknown, unknown]>([
    ['durations in every unit', 'chaos: { approvalTtl: 90s }\nreach: { minWatchInterval: 1d }', (c) => [c.chaos.approvalTtlMs, c.reach.minWatchIntervalMs], [90_000, 86_400_000]],
    ['templateTag with an = in its value', 'chaos: { templateTag: "team=a=b" }', (c) => c.chaos.templateTag, { key: 'team', value: 'a=b' }],
    ['day names in any case, full or short', 'chaos: { freeze: [ { days: [Sat, SUNDAY, mon] } ] }', (c) => c.chaos.freeze[0].days, ['sat', 'sun', 'mon']],
    ['a single-day window (from = to)', 'chaos: { freeze: [ { from: 2026-12-24, to: 2026-12-24 } ] }', (c) => c.chaos.freeze[0], { from: '2026-12-24', to: '2026-12-24' }],
    ['an account without roleArn (own credentials)', 'accounts: { main: { region: eu-west-1 } }', (c) => c.accounts.main, { name: 'main', region: 'eu-west-1' }],
    ['a GovCloud role ARN', 'accounts: { gov: { roleArn: "arn:aws-us-gov:iam::123456789012:role/path/lookout" } }', (c) => c.accounts.gov.accountId, '123456789012'],
    ['serviceAccountId written as a number', 'grafana: { amg: { workspaceId: g-1, serviceAccountId: 5 } }', (c) => c.grafana?.amg?.serviceAccountId, '5'],
    ['grafana by URL with a token variable', 'grafana: { url: "https://g.example.com", tokenEnv: GTOKEN }', (c) => c.grafana, { url: 'https://g.example.com', tokenEnv: 'GTOKEN' }],
    ['prometheus with basic auth', 'metrics: { prometheus: { url: "http://p:9090", usernameEnv: PU, passwordEnv: PP } }', (c) => c.metrics?.prometheus, { url: 'http://p:9090', usernameEnv: 'PU', passwordEnv: 'PP' }],
    ['minApprovals above the user count when a group is listed', 'channels: { C1: { allow: ["*"], approvers: [S1, U1], minApprovals: 5 } }', (c) => c.channels.C1.minApprovals, 5],
    ['channel accounts as labels when no accounts section exists', 'channels: { C1: { account: prod, allow: [reach] } }', (c) => c.channels.C1.account, 'prod'],
    ['a 6-field cron and onChange', 'reports: [ { id: r1, channel: G1, cron: "0 0 9 * * 1", onChange: true, command: "/reach list" } ]', (c) => c.reports[0], { id: 'r1', channel: 'G1', cron: '0 0 9 * * 1', onChange: true, command: '/reach list' }],
    ['a guard with for: 0s, and the defaults of for, guardInterval and guardFailures', 'chaos: { guards: [ { name: a, expr: "up == 0", for: 0s }, { name: b_2, expr: "up == 0" }, { name: c, expr: x, for: 0m } ] }', (c) => [c.chaos.guards.map((g) => g.forMs), c.chaos.guardIntervalMs, c.chaos.guardFailures], [[0, 0, 0], 15_000, 3]],
    ['a guard with value and templates', 'chaos: { guards: [ { name: web, expr: "x > 1", for: 90s, value: x, templates: [cpu-stress-web, EXT1] } ] }', (c) => c.chaos.guards[0], { name: 'web', expr: 'x > 1', forMs: 90_000, value: 'x', templates: ['cpu-stress-web', 'EXT1'] }],
    ['guardInterval 1s, guardFailures 1 and watchMetrics', 'chaos: { guardInterval: 1s, guardFailures: 1, watchMetrics: [up, "sum(rate(x[1m]))"] }', (c) => [c.chaos.guardIntervalMs, c.chaos.guardFailures, c.chaos.watchMetrics], [1000, 1, ['up', 'sum(rate(x[1m]))']]],
    ['an expression of exactly 4,000 characters', `chaos: { guards: [ { name: long, expr: "${'a'.repeat(4000)}" } ] }`, (c) => c.chaos.guards[0].expr.length, 4000],
    ['channel keys C…, G… and D…', 'channels: { C1: { allow: [] }, G2: { allow: [] }, D3: { allow: [] } }', (c) => Object.keys(c.channels), ['C1', 'G2', 'D3']],
  ])('%s', (_name, yaml, pick, expected) => {
    const env = { PU: 'u', PP: 'p', GTOKEN: 't' };
    expect(pick(lookoutOf(yaml, env))).toEqual(expected);
  });
});

describe('loadConfig: each rule reports its problem with its path', () => {
  it.each<[string, string, string | RegExp]>([
    ['YAML syntax, with line and column', 'chaos:\n  maxRunning: [1, 2\nreach: {}\n', /^YAML line 3, column 1: /],
    ['duplicate keys', 'channels:\n  C1: { allow: [] }\n  C1: { allow: [reach] }\n', /^YAML line 3, column 3: Map keys must be unique/],
    ['an unresolved alias', 'admins: *nobody\n', /^YAML: Unresolved alias/],
    ['a file that is not a mapping', '- a\n- b\n', '(top level): expected a mapping, got a list'],
    ['an unknown top-level key, with a suggestion', 'chanels: {}\n', 'chanels: unknown key (did you mean channels?)'],
    ['an unknown nested key', 'chaos: { aprovalTtl: 30m }\n', 'chaos.aprovalTtl: unknown key (did you mean approvalTtl?)'],
    ['an unknown key with no near match', 'reach: { colour: blue }\n', 'reach.colour: unknown key (expected one of: minWatchInterval)'],
    ['a bare number as a duration', 'chaos: { approvalTtl: 30 }\n', 'chaos.approvalTtl: expected a duration like 90s, 30m, 2h or 1d, got 30'],
    ['an unknown duration unit', 'reach: { minWatchInterval: 2w }\n', 'reach.minWatchInterval: expected a duration like 90s, 30m, 2h or 1d, got "2w"'],
    ['a watch interval under a minute', 'reach: { minWatchInterval: 30s }\n', 'reach.minWatchInterval: expected between 1m and 30d, got "30s"'],
    ['templateTag without =', 'chaos: { templateTag: "lookout:allowed" }\n', /^chaos\.templateTag: expected "key=value"/],
    ['templateTag with an empty key', 'chaos: { templateTag: "=true" }\n', /^chaos\.templateTag: expected "key=value"/],
    ['an unknown time zone', 'chaos: { timezone: Europe/Atlantis }\n', 'chaos.timezone: expected an IANA time zone like Europe/Berlin, got "Europe/Atlantis"'],
    ['an unknown day', 'chaos: { freeze: [ { days: [sat, caturday] } ] }\n', /^chaos\.freeze\[0\]\.days\[1\]: expected a day/],
    ['an impossible date', 'chaos: { freeze: [ { from: 2026-02-30, to: 2026-03-02 } ] }\n', 'chaos.freeze[0].from: expected a date YYYY-MM-DD, got "2026-02-30"'],
    ['a date in another format', 'chaos: { freeze: [ { from: 20.12.2026, to: 2027-01-03 } ] }\n', 'chaos.freeze[0].from: expected a date YYYY-MM-DD, got "20.12.2026"'],
    ['from after to', 'chaos: { freeze: [ { from: 2027-01-03, to: 2026-12-20 } ] }\n', 'chaos.freeze[0].to: must not be before from (2027-01-03)'],
    ['from without to', 'chaos: { freeze: [ { from: 2027-01-03 } ] }\n', /^chaos\.freeze\[0\]\.to: required with from/],
    ['an empty freeze window', 'chaos: { freeze: [ { reason: "why" } ] }\n', 'chaos.freeze[0]: a freeze window needs days, or from and to'],
    ['maxRunning zero', 'chaos: { maxRunning: 0 }\n', 'chaos.maxRunning: expected a positive integer, got 0'],
    ['a boolean written as text', 'chaos: { allowSelfApproval: "no" }\n', 'chaos.allowSelfApproval: expected true or false, got "no"'],
    ['a fractional limit', 'limits: { perUserPerMinute: 2.5 }\n', 'limits.perUserPerMinute: expected a positive integer, got 2.5'],
    ['a channel name instead of an id', 'channels: { general: { allow: [reach] } }\n', /^channels\.general: expected "default" or a Slack channel id/],
    ['an unknown verb', 'channels: { C1: { allow: [reach, chaos:fly] } }\n', /^channels\.C1\.allow\[1\]: expected a verb \(.*\), a prefix \(reach, chaos, report\) or "\*", got "chaos:fly"$/],
    ['admin granted to a channel', 'channels: { C1: { allow: [admin] } }\n', 'channels.C1.allow[0]: admin cannot be granted to a channel: list the people or user groups under admins'],
    ['an approver by name', 'channels: { C1: { allow: [], approvers: ["@alice"] } }\n', /^channels\.C1\.approvers\[0\]: expected a Slack user id \(U…, W…\) or user-group id \(S…\)/],
    ['an admin that is a channel id', 'admins: [C0123]\n', /^admins\[0\]: expected a Slack user id/],
    ['minApprovals zero', 'channels: { C0123: { allow: [], minApprovals: 0 } }\n', 'channels.C0123.minApprovals: expected a positive integer, got 0'],
    ['minApprovals above the listed users', 'channels: { C1: { allow: ["*"], approvers: [U1, U2, U1], minApprovals: 3 } }\n', 'channels.C1.minApprovals: 3 approvals needed but only 2 approvers are listed'],
    ['inherited minApprovals above the channel’s approvers', 'channels: { default: { allow: [], approvers: [S1], minApprovals: 2 }, C1: { approvers: [U1] } }\n', 'channels.C1.approvers: 2 approvals needed but only 1 approver is listed'],
    ['minApprovals without approvers', 'channels: { C1: { allow: [], minApprovals: 1 } }\n', 'channels.C1.minApprovals: 1 approval needed but no approvers are listed'],
    ['a channel account that is not defined', 'accounts: { prod: {} }\nchannels: { C1: { account: prd, allow: [] } }\n', 'channels.C1.account: no account named "prd" under accounts (defined: prod)'],
    ['a channel accounts entry that is not defined', 'accounts: { prod: {} }\nchannels: { C1: { accounts: [prod, dev], allow: [] } }\n', 'channels.C1.accounts[1]: no account named "dev" under accounts (defined: prod)'],
    ['account outside the channel’s accounts', 'accounts: { a: {}, b: {} }\nchannels: { C1: { account: a, accounts: [b], allow: [] } }\n', "channels.C1.account: must be one of this channel's accounts (b)"],
    ['accounts that leave out the inherited account', 'accounts: { a: {}, b: {} }\nchannels: { default: { account: a, allow: [] }, C1: { accounts: [b] } }\n', /^channels\.C1\.accounts: does not include a, the account this channel takes from default/],
    ['a role ARN with a short account id', 'accounts: { prod: { roleArn: "arn:aws:iam::1234:role/x" } }\n', /^accounts\.prod\.roleArn: expected an IAM role ARN/],
    ['a user ARN instead of a role ARN', 'accounts: { prod: { roleArn: "arn:aws:iam::123456789012:user/x" } }\n', /^accounts\.prod\.roleArn: expected an IAM role ARN/],
    ['a region typo', 'aws: { region: us-east }\n', 'aws.region: expected an AWS region like us-east-1, got "us-east"'],
    ['metrics with both backends', 'metrics: { amp: { workspaceId: ws-1 }, prometheus: { url: "http://p" } }\n', 'metrics: expected exactly one of amp or prometheus'],
    ['metrics with neither backend', 'metrics: {}\n', 'metrics: expected exactly one of amp or prometheus'],
    ['an amp account that is not defined', 'accounts: { prod: {} }\nmetrics: { amp: { workspaceId: ws-1, account: prd } }\n', 'metrics.amp.account: no account named "prd" under accounts (defined: prod)'],
    ['an amp account with no accounts section', 'metrics: { amp: { workspaceId: ws-1, account: prod } }\n', 'metrics.amp.account: no accounts are defined: add accounts.prod with its roleArn'],
    ['an amg account that is not defined', 'accounts: { prod: {} }\ngrafana: { amg: { workspaceId: g-1, serviceAccountId: "5", account: x } }\n', 'grafana.amg.account: no account named "x" under accounts (defined: prod)'],
    ['a prometheus token variable that is not set', 'metrics: { prometheus: { url: "http://p", tokenEnv: PROM_TOKEN } }\n', 'metrics.prometheus.tokenEnv: environment variable PROM_TOKEN is not set'],
    ['bearer and basic auth together', 'metrics: { prometheus: { url: "http://p", tokenEnv: T, usernameEnv: U, passwordEnv: P } }\n', /^metrics\.prometheus\.tokenEnv: use either tokenEnv/],
    ['basic auth without a password', 'metrics: { prometheus: { url: "http://p", usernameEnv: U } }\n', 'metrics.prometheus.passwordEnv: basic auth needs both usernameEnv and passwordEnv'],
    ['a prometheus URL that is not http', 'metrics: { prometheus: { url: "ftp://p" } }\n', 'metrics.prometheus.url: expected an http(s) URL, got "ftp://p"'],
    ['grafana with both amg and url', 'grafana: { amg: { workspaceId: g-1, serviceAccountId: "5" }, url: "https://g" }\n', 'grafana: expected exactly one of amg or url'],
    ['grafana with neither', 'grafana: { datasourceUid: x }\n', 'grafana: expected exactly one of amg or url'],
    ['a token variable with amg', 'grafana: { amg: { workspaceId: g-1, serviceAccountId: "5" }, tokenEnv: T }\n', 'grafana.tokenEnv: not used with amg: Lookout creates short-lived tokens itself'],
    ['amg without serviceAccountId', 'grafana: { amg: { workspaceId: g-1 } }\n', 'grafana.amg.serviceAccountId: required'],
    ['duplicate report ids', 'reports:\n  - { id: r, channel: C1, cron: "* * * * *", command: "/reach list" }\n  - { id: r, channel: C1, cron: "* * * * *", command: "/reach list" }\n', 'reports[1].id: duplicate report id "r"'],
    ['a report without a channel', 'reports: [ { id: r, cron: "* * * * *", command: "/reach list" } ]\n', 'reports[0].channel: required'],
    ['a report channel that is default', 'reports: [ { id: r, channel: default, cron: "* * * * *", command: "/reach list" } ]\n', /^reports\[0\]\.channel: expected a Slack channel id/],
    ['a cron with 4 fields', 'reports: [ { id: r, channel: C1, cron: "0 9 * *", command: "/reach list" } ]\n', /^reports\[0\]\.cron: expected a cron expression with 5 or 6 fields/],
    ['a command without /', 'reports: [ { id: r, channel: C1, cron: "0 9 * * *", command: "metrics up" } ]\n', /^reports\[0\]\.command: expected a command starting with "\/"/],
    ['a report time zone that does not exist', 'reports: [ { id: r, channel: C1, cron: "0 9 * * *", tz: Nowhere, command: "/reach list" } ]\n', 'reports[0].tz: expected an IANA time zone like Europe/Berlin, got "Nowhere"'],
    ['a guard name with spaces', 'chaos: { guards: [ { name: "web 5xx", expr: up } ] }\n', 'chaos.guards[0].name: expected a guard name (lower-case letters, digits, - and _), got "web 5xx"'],
    ['a guard name in capitals', 'chaos: { guards: [ { name: Web, expr: up } ] }\n', /^chaos\.guards\[0\]\.name: expected a guard name/],
    ['the reserved ad-hoc guard name', 'chaos: { guards: [ { name: ad-hoc, expr: up } ] }\n', /^chaos\.guards\[0\]\.name: "ad-hoc" is the name of the guard given with \/chaos run --guard/],
    ['duplicate guard names', 'chaos: { guards: [ { name: a, expr: up }, { name: b, expr: up }, { name: a, expr: x } ] }\n', 'chaos.guards[2].name: duplicate guard name "a"'],
    ['a guard without expr', 'chaos: { guards: [ { name: a } ] }\n', 'chaos.guards[0].expr: required'],
    ['a guard expression over 4,000 characters', `chaos: { guards: [ { name: a, expr: "${'a'.repeat(4001)}" } ] }\n`, 'chaos.guards[0].expr: expected at most 4000 characters of PromQL, got 4001'],
    ['a guard value over 4,000 characters', `chaos: { guards: [ { name: a, expr: up, value: "${'a'.repeat(4001)}" } ] }\n`, 'chaos.guards[0].value: expected at most 4000 characters of PromQL, got 4001'],
    ['a guard for that is not a duration', 'chaos: { guards: [ { name: a, expr: up, for: 5 } ] }\n', 'chaos.guards[0].for: expected a duration like 0s, 90s or 5m, got 5'],
    ['a guard for over a day', 'chaos: { guards: [ { name: a, expr: up, for: 2d } ] }\n', 'chaos.guards[0].for: expected a duration like 0s, 90s or 5m (at most 1d), got "2d"'],
    ['a guard for in an unknown unit', 'chaos: { guards: [ { name: a, expr: up, for: 1w } ] }\n', /^chaos\.guards\[0\]\.for: expected a duration like 0s, 90s or 5m/],
    ['guard templates that are not a list', 'chaos: { guards: [ { name: a, expr: up, templates: cpu-stress-web } ] }\n', 'chaos.guards[0].templates: expected a list of template ids or Name tags, got "cpu-stress-web"'],
    ['guard templates that are not strings', 'chaos: { guards: [ { name: a, expr: up, templates: [1] } ] }\n', 'chaos.guards[0].templates[0]: expected a template id or Name tag, got 1'],
    ['an unknown guard key', 'chaos: { guards: [ { name: a, expr: up, fro: 1m } ] }\n', 'chaos.guards[0].fro: unknown key (did you mean for?)'],
    ['guardInterval under a second', 'chaos: { guardInterval: 0s }\n', /^chaos\.guardInterval: expected a duration/],
    ['guardInterval over an hour', 'chaos: { guardInterval: 2h }\n', 'chaos.guardInterval: expected between 1s and 1h, got "2h"'],
    ['guardFailures zero', 'chaos: { guardFailures: 0 }\n', 'chaos.guardFailures: expected a positive integer, got 0'],
    ['watchMetrics not a list', 'chaos: { watchMetrics: up }\n', 'chaos.watchMetrics: expected a list of PromQL expressions, got "up"'],
    ['a list where a mapping belongs', 'channels: [C1]\n', 'channels: expected a mapping of channel ids, got a list'],
    ['a mapping where a list belongs', 'admins: { a: 1 }\n', 'admins: expected a list of Slack user or user-group ids, got a mapping'],
  ])('%s', (_name, yaml, expected) => {
    const problems = problemsOf(yaml);
    if (typeof expected === 'string') expect(problems).toContain(expected);
    else expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

describe('loadConfig: every problem at once', () => {
  it('lists all the mistakes of a file, each with its path, and the environment’s too', () => {
    const yaml = [
      'acounts: {}',
      'accounts: { prod: { roleArn: "arn:aws:iam::111111111111:role/lookout" } }',
      'chaos:',
      '  approvalTtl: 30',
      '  timezone: Mars/Olympus',
      'limits: { perUserPerMinute: 0 }',
      'channels:',
      '  C0123: { account: staging, allow: [reach, chaos:fly], approvers: [U1], minApprovals: 2 }',
      'reports:',
      '  - { id: r, channel: C0123, cron: "0 9 * *", command: "/reach list" }',
    ].join('\n');
    const problems = problemsOf(yaml, { SLACK_BOT_TOKEN: 'xoxb-1', PORT: 'eighty' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'env SLACK_SIGNING_SECRET: required in HTTP mode (SLACK_BOT_TOKEN set, SLACK_APP_TOKEN unset): copy it from the app\'s Basic Information page, or set SLACK_APP_TOKEN for Socket Mode',
        'env PORT: expected an integer from 0 to 65535, got "eighty"',
        'acounts: unknown key (did you mean accounts?)',
        'chaos.approvalTtl: expected a duration like 90s, 30m, 2h or 1d, got 30',
        'chaos.timezone: expected an IANA time zone like Europe/Berlin, got "Mars/Olympus"',
        'limits.perUserPerMinute: expected a positive integer, got 0',
        'channels.C0123.account: no account named "staging" under accounts (defined: prod)',
        expect.stringMatching(/^channels\.C0123\.allow\[1\]: expected a verb/),
        'channels.C0123.minApprovals: 2 approvals needed but only 1 approver is listed',
        expect.stringMatching(/^reports\[0\]\.cron: /),
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it('lists every guard problem of a file at once', () => {
    const yaml = [
      'chaos:',
      '  guards:',
      '    - { name: "Bad Name", expr: up, for: soon }',
      '    - { name: ok, expr: "" , templates: [] }',
      '    - { name: ok, expr: up }',
      '  guardInterval: 500ms',
      '  guardFailures: 0',
    ].join('\n');
    expect(problemsOf(yaml)).toEqual([
      'chaos.guards[0].name: expected a guard name (lower-case letters, digits, - and _), got "Bad Name"',
      'chaos.guards[0].for: expected a duration like 0s, 90s or 5m (at most 1d), got "soon"',
      'chaos.guards[1].expr: expected a PromQL expression, got ""',
      'chaos.guards[1].templates: expected at least one template',
      'chaos.guards[2].name: duplicate guard name "ok"',
      'chaos.guardInterval: expected a duration like 90s, 30m, 2h or 1d, got "500ms"',
      'chaos.guardFailures: expected a positive integer, got 0',
    ]);
  });

  it('still reports the environment when the YAML cannot be parsed', () => {
    const problems = problemsOf('a: [1\n', { SLACK_APP_TOKEN: 'xapp-1' });
    expect(problems).toEqual([
      'env SLACK_APP_TOKEN: set without SLACK_BOT_TOKEN: Socket Mode needs both the bot token (xoxb-) and the app-level token (xapp-)',
      expect.stringMatching(/^YAML line \d+, column \d+: /),
    ]);
  });
});
