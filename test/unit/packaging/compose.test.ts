import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const root = path.join(__dirname, '..', '..', '..');
const compose = YAML.parse(fs.readFileSync(path.join(root, 'compose.yaml'), 'utf8')) as Compose;

interface Service {
  build?: unknown;
  image?: string;
  env_file?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string };
}
interface Compose {
  services: Record<string, Service>;
  configs?: Record<string, { content?: string }>;
}

const SECRET_KEY = /(TOKEN|SECRET|PASSWORD)$/;
const REFERENCE = /^\$\{[A-Z_]+(:?[-?][^}]*)?\}$/;

/**
 * What local HA needs from compose.yaml (it cannot run here: no container engine): two Lookout replicas built from
 * this repository, in HTTP mode, sharing the healthy Postgres service, each checked on /readyz, and every secret
 * taken from .env rather than written into the file.
 */
function composeProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const services = Object.entries(doc.services ?? {});
  const postgres = services.filter(([, s]) => /^postgres:/.test(s.image ?? '')).map(([name]) => name);
  if (postgres.length !== 1) problems.push(`expected one postgres service, found ${postgres.length}`);
  const db = postgres[0];
  if (db && !String(doc.services[db].healthcheck?.test ?? '').includes('pg_isready')) problems.push(`${db}: no pg_isready healthcheck`);
  const lookouts = services.filter(([, s]) => s.build === '.' || (s.build as { context?: string })?.context === '.');
  if (lookouts.length !== 2) problems.push(`expected two Lookout replicas, found ${lookouts.length}`);
  for (const [name, s] of lookouts) {
    const env = s.environment ?? {};
    if (!new RegExp(`^postgres(ql)?://[^@/]+@${db}:5432/`).test(env.DATABASE_URL ?? '')) problems.push(`${name}: DATABASE_URL does not point at the ${db} service`);
    if (s.depends_on?.[db ?? '']?.condition !== 'service_healthy') problems.push(`${name}: does not wait for ${db} to be healthy`);
    if (!String(s.healthcheck?.test ?? '').includes(`127.0.0.1:${env.PORT ?? 3000}/readyz`)) problems.push(`${name}: no healthcheck on /readyz`);
    if (![s.env_file ?? []].flat().includes('.env')) problems.push(`${name}: Slack secrets do not come from .env`);
    if ('SLACK_APP_TOKEN' in env) problems.push(`${name}: SLACK_APP_TOKEN set, so not HTTP mode`);
  }
  const proxy = services.filter(([, s]) => s.image?.startsWith('caddy:'));
  const caddyfile = Object.values(doc.configs ?? {}).map((c) => c.content ?? '').join('\n');
  for (const [name] of proxy) {
    for (const [replica] of lookouts) {
      if (!caddyfile.includes(`${replica}:3000`)) problems.push(`${name}: does not balance over ${replica}`);
      if (doc.services[name].depends_on?.[replica]?.condition !== 'service_healthy') problems.push(`${name}: starts before ${replica} is ready`);
    }
    if (!/health_uri \/readyz/.test(caddyfile)) problems.push(`${name}: no active health check on /readyz`);
  }
  for (const [name, s] of services) {
    for (const [key, value] of Object.entries(s.environment ?? {})) {
      if (SECRET_KEY.test(key) && !REFERENCE.test(String(value))) problems.push(`${name}: ${key} is written inline`);
      const password = /^\w+:\/\/[^:/@]+:([^@]+)@/.exec(String(value))?.[1];
      if (password !== undefined && !REFERENCE.test(password)) problems.push(`${name}: ${key} carries an inline password`);
    }
  }
  if (/xox[abpr]-|xapp-/.test(JSON.stringify(doc))) problems.push('a Slack token is written inline');
  return problems;
}

describe('compose.yaml (local HA)', () => {
  it('runs two HTTP-mode replicas on the healthy Postgres, checked on /readyz, with no secret inline', () => {
    expect(composeProblems(compose)).toEqual([]);
  });

  it('the check catches what would break local HA (so the test above can fail)', () => {
    const broken = structuredClone(compose);
    const [first, second] = Object.keys(broken.services).filter((n) => broken.services[n].build);
    broken.services[first] = { ...broken.services[first], environment: { ...broken.services[first].environment, DATABASE_URL: 'postgres://lookout:hunter2@localhost:5432/lookout', SLACK_SIGNING_SECRET: 'abc' }, depends_on: { postgres: {} }, healthcheck: { test: ['CMD', 'true'] } };
    broken.services[second] = { ...broken.services[second], environment: { ...broken.services[second].environment, SLACK_BOT_TOKEN: 'xoxb-1-2' } };
    expect(composeProblems(broken)).toEqual([
      `${first}: DATABASE_URL does not point at the postgres service`,
      `${first}: does not wait for postgres to be healthy`,
      `${first}: no healthcheck on /readyz`,
      `${first}: DATABASE_URL carries an inline password`,
      `${first}: SLACK_SIGNING_SECRET is written inline`,
      `${second}: SLACK_BOT_TOKEN is written inline`,
      'a Slack token is written inline',
    ]);
    delete broken.services[second];
    expect(composeProblems(broken)).toContain('expected two Lookout replicas, found 1');
  });
});
