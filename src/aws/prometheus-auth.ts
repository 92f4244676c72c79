import { LookoutError } from '../errors';
import type { PromQuery } from '../ports/prom-query';
import { createPrometheusClient, type PrometheusClientOptions, type RequestAuth } from './prometheus';

/** `metrics.prometheus` in lookout.yml (product.md §8): a URL and the names of env variables holding secrets. */
export interface PrometheusBackendConfig {
  url: string;
  tokenEnv?: string;
  usernameEnv?: string;
  passwordEnv?: string;
}

type Env = Record<string, string | undefined>;

export function bearerAuth(token: string): RequestAuth {
  return async (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });
}

export function basicAuth(username: string, password: string): RequestAuth {
  const encoded = Buffer.from(`${username}:${password}`).toString('base64');
  return async (req) => ({ ...req, headers: { ...req.headers, authorization: `Basic ${encoded}` } });
}

/**
 * Reads the secrets named in the configuration from the environment. A variable that is named but unset is a
 * configuration error (reported at start), not an anonymous request that fails later with a puzzling 401.
 */
export function authFromEnv(cfg: PrometheusBackendConfig, env: Env): RequestAuth | undefined {
  const read = (name: string): string => {
    const v = env[name];
    if (!v) throw new LookoutError('config', `Environment variable \`${name}\` (named in \`metrics.prometheus\`) is not set.`);
    return v;
  };
  if (cfg.tokenEnv) return bearerAuth(read(cfg.tokenEnv));
  if (cfg.usernameEnv || cfg.passwordEnv) {
    if (!cfg.usernameEnv || !cfg.passwordEnv) {
      throw new LookoutError('config', '`metrics.prometheus` needs both `usernameEnv` and `passwordEnv` for basic auth.');
    }
    return basicAuth(read(cfg.usernameEnv), read(cfg.passwordEnv));
  }
  return undefined;
}

/**
 * PromQuery for a plain Prometheus-compatible URL. Credentials written into the URL (`https://u:p@host`) become
 * basic auth: fetch() refuses URLs with credentials, and they must never show up in describe().
 */
export function createPrometheusPromQuery(
  cfg: PrometheusBackendConfig,
  env: Env,
  options: Partial<Omit<PrometheusClientOptions, 'baseUrl' | 'label' | 'auth'>> = {},
): PromQuery {
  let url: URL;
  try {
    url = new URL(cfg.url);
  } catch (err) {
    throw new LookoutError('config', '`metrics.prometheus.url` is not a valid URL.', { cause: err });
  }
  let auth = authFromEnv(cfg, env);
  if (url.username || url.password) {
    auth ??= basicAuth(decodeURIComponent(url.username), decodeURIComponent(url.password));
    url.username = '';
    url.password = '';
  }
  const where = url.toString().replace(/\/+$/, '');
  const credentialHint = cfg.tokenEnv
    ? `Check the token in \`${cfg.tokenEnv}\`.`
    : auth
      ? 'Check the username and password in the environment.'
      : 'The backend needs credentials: set `metrics.prometheus.tokenEnv` (bearer) or `usernameEnv` + `passwordEnv` (basic).';
  return createPrometheusClient({
    ...options,
    baseUrl: where,
    label: `Prometheus ${where}`,
    auth,
    hints: {
      accessDenied: credentialHint,
      notFound: 'Check `metrics.prometheus.url`: it is the server’s base URL; Lookout appends `/api/v1/…`.',
    },
  });
}
