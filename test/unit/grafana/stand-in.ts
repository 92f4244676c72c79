import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the parts of Grafana's HTTP API Lookout uses (aws-apis.md §4.3): /api/search and
 * /api/dashboards/uid/<uid>, bearer auth, and injectable failures. Serves Grafana JSON documents ({dashboard, meta}).
 */
export interface GrafanaStandIn {
  url: string;
  host: string; // 127.0.0.1:port, as AMG's DescribeWorkspace reports a bare host
  requests: { path: string; auth?: string }[];
  /** Tokens accepted; add one to let a freshly minted key in. */
  tokens: Set<string>;
  /** The next `times` requests answer `status` (with optional headers) instead of being served. */
  fail(status: number, times?: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

type Doc = { dashboard: { uid: string; title: string; tags?: string[] }; meta: { url: string; folderUid?: string; folderTitle?: string } };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startGrafanaStandIn(documents: unknown[], tokens: string[] = ['test-token']): Promise<GrafanaStandIn> {
  const docs = documents as Doc[];
  const failures: { status: number; headers: Record<string, string> }[] = [];
  const state = { requests: [] as GrafanaStandIn['requests'], tokens: new Set(tokens) };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://stand-in');
    state.requests.push({ path: u.pathname + u.search, auth: req.headers.authorization });
    const failure = failures.shift();
    if (failure) return send(res, failure.status, { message: `injected ${failure.status}` }, failure.headers);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !state.tokens.has(token)) return send(res, 401, { message: 'invalid API key' });
    if (req.method !== 'GET') return send(res, 405, { message: 'method not allowed' });
    if (u.pathname === '/api/search') {
      const query = (u.searchParams.get('query') ?? '').toLowerCase();
      const tags = u.searchParams.getAll('tag');
      const type = u.searchParams.get('type');
      const hits = type && type !== 'dash-db' ? [] : docs
        .filter((d) => d.dashboard.title.toLowerCase().includes(query) && tags.every((t) => (d.dashboard.tags ?? []).includes(t)))
        .sort((a, b) => a.dashboard.title.localeCompare(b.dashboard.title))
        .slice(0, Number(u.searchParams.get('limit') ?? 1000))
        .map((d, i) => ({ id: i + 1, uid: d.dashboard.uid, title: d.dashboard.title, url: d.meta.url, type: 'dash-db', tags: d.dashboard.tags ?? [], isStarred: false, folderUid: d.meta.folderUid, folderTitle: d.meta.folderTitle }));
      return send(res, 200, hits);
    }
    const m = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(u.pathname);
    const doc = m && docs.find((d) => d.dashboard.uid === decodeURIComponent(m[1]));
    if (doc) return send(res, 200, doc);
    return send(res, 404, { message: 'Dashboard not found' });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    tokens: state.tokens,
    fail(status, times = 1, headers = {}) {
      for (let i = 0; i < times; i++) failures.push({ status, headers });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections(); // fetch keeps connections alive; drop them so the worker can exit
      }),
  };
}
