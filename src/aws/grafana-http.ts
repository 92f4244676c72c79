import { LookoutError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Dashboards } from '../ports/dashboards';
import { parseDashboardJson, parseSearchHits } from '../common/grafana-json';
import { usesSceneIds, viewPanelUrl } from '../common/grafana-links';
import { dashboardAmbiguous, dashboardNotFound, pickByTitle, splitSearchTerms } from '../common/title-match';
import { DEFAULT_OUTBOUND, discardBody, readBounded, readPrefix, type OutboundPolicy } from '../outbound';
import { grafanaHttpError, grafanaNetworkError, isRetryableStatus, retryDelayMs } from './grafana-errors';
import { classifyFailure } from '../failures';
import { inlineCode } from '../text';

/**
 * Dashboards over Grafana's HTTP API (aws-apis.md §4.3) with a bearer token. The token comes from a lease taken
 * per operation and released in `finally`, so short-lived AMG tokens never outlive the call that needed them.
 */
export interface TokenLease {
  key: string;
  release(): Promise<void>; // must not throw
}

export interface GrafanaEndpoint {
  baseUrl: string; // https://host[/sub-path]
  grafanaVersion?: string;
  orgId?: number;
}

export interface GrafanaHttpOptions {
  describe: string;
  endpoint: () => Promise<GrafanaEndpoint>;
  lease: () => Promise<TokenLease>;
  clock: Clock;
  /** What to check when Grafana refuses the token (differs for AMG and a token from the environment). */
  authHint: string;
  close?: () => Promise<void>;
  fetch?: typeof fetch;
  timeoutMs?: number; // per attempt, default outbound.grafana.requestMs
  maxAttempts?: number; // 429/5xx and dropped connections only, default 3 (every call is a GET)
  /** Timeouts and byte limits (defaults: DEFAULT_OUTBOUND). */
  outbound?: OutboundPolicy;
}

const NOT_FOUND = Symbol('not found');
type Get = (path: string, query: [string, string][], maxBytes: number) => Promise<unknown>;
// Grafana uids: up to 40 characters of letters, digits, '-' and '_'.
const UID = /^[A-Za-z0-9_-]{1,40}$/;

/** `checkout tag:prod tag:team-a` → Grafana's `query` and `tag` parameters. */
export function searchParams(terms: string): [string, string][] {
  const { query, tags } = splitSearchTerms(terms);
  return [['type', 'dash-db'], ...(query ? [['query', query] as [string, string]] : []), ...tags.map((t): [string, string] => ['tag', t]), ['limit', '1000']];
}

export function createGrafanaHttpDashboards(o: GrafanaHttpOptions): Dashboards {
  const doFetch = o.fetch ?? fetch;
  const policy = o.outbound ?? DEFAULT_OUTBOUND;
  const timeoutMs = o.timeoutMs ?? policy.grafana.requestMs;
  const maxAttempts = o.maxAttempts ?? 3;
  let known: GrafanaEndpoint | undefined;

  async function getJson(ep: GrafanaEndpoint, key: string, path: string, query: [string, string][], maxBytes: number): Promise<unknown> {
    const url = new URL(path.replace(/^\//, ''), ep.baseUrl.endsWith('/') ? ep.baseUrl : `${ep.baseUrl}/`);
    for (const [k, v] of query) url.searchParams.append(k, v);
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      let text: string;
      try {
        // The timeout covers the body too: fetch aborts a body still streaming when the signal fires.
        res = await doFetch(url, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
        text = res.ok ? await readBounded(res, maxBytes) : '';
      } catch (e) {
        // A dropped connection is worth another try (every call is a read); a timeout is not: it would only
        // multiply the wait.
        if (classifyFailure(e) === 'reset' && attempt < maxAttempts) {
          await o.clock.sleep(retryDelayMs(attempt, null));
          continue;
        }
        throw grafanaNetworkError(e, url);
      }
      if (res.ok) {
        try {
          return JSON.parse(text);
        } catch (e) {
          throw new LookoutError('upstream', `Grafana at ${inlineCode(url.host)} answered ${inlineCode(url.pathname)} with something that is not JSON.`, {
            cause: e,
            hint: 'Try again in a moment; if it persists, check Grafana and any proxy in front of it.',
          });
        }
      }
      if (res.status === 404) {
        await discardBody(res);
        return NOT_FOUND;
      }
      if (isRetryableStatus(res.status) && attempt < maxAttempts) {
        await discardBody(res);
        await o.clock.sleep(retryDelayMs(attempt, res.headers.get('retry-after')));
        continue;
      }
      throw grafanaHttpError(res.status, url, (await readPrefix(res, policy.maxBytes.error).catch(() => '')).slice(0, 500), o.authHint);
    }
  }

  async function withSession<T>(fn: (get: Get) => Promise<T>): Promise<T> {
    const ep = await o.endpoint();
    known = ep;
    const lease = await o.lease();
    try {
      return await fn((path, query, maxBytes) => getJson(ep, lease.key, path, query, maxBytes));
    } finally {
      await lease.release();
    }
  }

  const byUid = async (get: Get, uid: string) => {
    const body = await get(`/api/dashboards/uid/${encodeURIComponent(uid)}`, [], policy.maxBytes.dashboard);
    return body === NOT_FOUND ? undefined : parseDashboardJson(body, known!.baseUrl);
  };
  const hits = async (get: Get, query: [string, string][]) => {
    const body = await get('/api/search', query, policy.maxBytes.search);
    return body === NOT_FOUND ? [] : parseSearchHits(body, known!.baseUrl);
  };

  return {
    describe: () => o.describe,
    search: (terms) => withSession((get) => hits(get, searchParams(terms))),
    getDashboard: (ref) =>
      withSession(async (get) => {
        const wanted = ref.trim();
        const direct = UID.test(wanted) ? await byUid(get, wanted) : undefined;
        if (direct) return direct;
        const match = pickByTitle(wanted, await hits(get, [['type', 'dash-db'], ['query', wanted], ['limit', '1000']]));
        if (match.kind === 'many') throw dashboardAmbiguous(wanted, match.items);
        const found = match.kind === 'one' ? await byUid(get, match.item.uid) : undefined;
        if (found) return found;
        const all = await hits(get, [['type', 'dash-db'], ['limit', '5000']]);
        throw dashboardNotFound(wanted, all.map((d) => d.title));
      }),
    panelUrl: (dashboard, panelId, range, variables) =>
      viewPanelUrl(dashboard.url, panelId, range, variables, { sceneIds: usesSceneIds(known?.grafanaVersion), orgId: known?.orgId }),
    close: async () => {
      await o.close?.();
    },
  };
}
