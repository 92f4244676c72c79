import { loadConfig } from '../../../src/config/load';
import type { RuntimeEnv } from '../../../src/config/types';

function envOf(env: Record<string, string | undefined>): RuntimeEnv {
  const result = loadConfig(env, null);
  if (!result.ok) throw new Error(`unexpected problems:\n${result.problems.join('\n')}`);
  return result.config.env;
}

function problemsOf(env: Record<string, string | undefined>): string[] {
  const result = loadConfig(env, null);
  return result.ok ? [] : result.problems;
}

describe('loadConfig: environment (product.md §1)', () => {
  it('defaults: playground mode, port 3000, embedded SQLite, info logs', () => {
    expect(envOf({})).toEqual({
      slackApiUrl: 'https://slack.com/api/',
      port: 3000,
      databaseUrl: 'sqlite:./data/lookout.db',
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    expect(
      envOf({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_APP_TOKEN: 'xapp-1',
        SLACK_API_URL: 'http://127.0.0.1:9999/api',
        PORT: '0',
        DATABASE_URL: 'postgres://db/lookout',
        LOG_LEVEL: 'DEBUG',
        AWS_REGION: 'eu-central-1',
        LOOKOUT_CONFIG: '/etc/lookout.yml',
        UNRELATED: 'ignored',
      }),
    ).toEqual({
      slackBotToken: 'xoxb-1',
      slackAppToken: 'xapp-1',
      slackApiUrl: 'http://127.0.0.1:9999/api/',
      port: 0,
      databaseUrl: 'postgres://db/lookout',
      logLevel: 'debug',
      awsRegion: 'eu-central-1',
      configPath: '/etc/lookout.yml',
    });
  });

  it('treats blank values as unset and trims pasted tokens', () => {
    expect(envOf({ SLACK_BOT_TOKEN: ' xoxb-1\n', SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: '', PORT: ' ' })).toMatchObject({
      slackBotToken: 'xoxb-1',
      slackAppToken: undefined,
      port: 3000,
    });
  });

  it.each([
    ['HTTP mode', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }],
    ['Socket Mode needs no signing secret', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }],
    ['postgresql:// scheme', { DATABASE_URL: 'postgresql://u@h/db' }],
    ['sqlite in memory', { DATABASE_URL: 'sqlite::memory:' }],
    ['port 65535', { PORT: '65535' }],
    ['silent logs', { LOG_LEVEL: 'silent' }],
  ])('accepts %s', (_name, env) => {
    expect(problemsOf(env)).toEqual([]);
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['an app token without a bot token', { SLACK_APP_TOKEN: 'xapp-1' }, ['env SLACK_APP_TOKEN: set without SLACK_BOT_TOKEN: Socket Mode needs both the bot token (xoxb-) and the app-level token (xapp-)']],
    ['HTTP mode without a signing secret', { SLACK_BOT_TOKEN: 'xoxb-1' }, ["env SLACK_SIGNING_SECRET: required in HTTP mode (SLACK_BOT_TOKEN set, SLACK_APP_TOKEN unset): copy it from the app's Basic Information page, or set SLACK_APP_TOKEN for Socket Mode"]],
    ['swapped tokens', { SLACK_BOT_TOKEN: 'xapp-1', SLACK_APP_TOKEN: 'xoxb-1' }, ['env SLACK_BOT_TOKEN: expected the bot token starting with xoxb- (this is an app-level token, xapp-)', 'env SLACK_APP_TOKEN: expected an app-level token starting with xapp- (this is a bot token, xoxb-)']],
    ['a user token', { SLACK_BOT_TOKEN: 'xoxp-1', SLACK_SIGNING_SECRET: 's' }, ['env SLACK_BOT_TOKEN: expected the bot token starting with xoxb- (this is a user token, xoxp-)']],
    ['a port out of range', { PORT: '65536' }, ['env PORT: expected an integer from 0 to 65535, got "65536"']],
    ['a negative port', { PORT: '-1' }, ['env PORT: expected an integer from 0 to 65535, got "-1"']],
    ['a fractional port', { PORT: '80.5' }, ['env PORT: expected an integer from 0 to 65535, got "80.5"']],
    ['an API URL that is not http', { SLACK_API_URL: 'slack.com/api' }, ['env SLACK_API_URL: expected an http(s) URL like https://slack.com/api/, got "slack.com/api"']],
    ['another database', { DATABASE_URL: 'mysql://root:hunter2@db/x' }, ['env DATABASE_URL: expected sqlite:<path> or postgres://…']],
    ['sqlite without a path', { DATABASE_URL: 'sqlite:' }, ['env DATABASE_URL: expected sqlite:<path> or postgres://…']],
    ['an unknown log level', { LOG_LEVEL: 'verbose' }, ['env LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"']],
  ])('refuses %s', (_name, env, expected) => {
    expect(problemsOf(env)).toEqual(expected);
  });

  it('never echoes a token or a database password', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxp-secret-value', DATABASE_URL: 'mysql://root:hunter2@db/x' }).join('\n');
    expect(problems).not.toContain('secret-value');
    expect(problems).not.toContain('hunter2');
  });
});
