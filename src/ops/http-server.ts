import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Histogram } from 'prom-client';

export type SlackListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpServerOptions {
  registry: Registry;
  ackLatency: Histogram<'kind'>;
  /** Readiness: store reachable and Slack auth ok. */
  ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
  /** Bolt's HTTPReceiver request listener, once Slack auth succeeded; undefined in Socket Mode or before that. */
  slack(): SlackListener | undefined;
  draining(): boolean;
  now?: () => number;
}

/** Slack's replay window (slack-platform.md §3.1), applied both ways: Bolt itself only refuses old timestamps. */
export const MAX_CLOCK_SKEW_S = 300;

/**
 * One HTTP server for Slack and operations: `POST /slack/events`, `GET /healthz`, `GET /readyz`, `GET /metrics`.
 * Requests whose timestamp is more than 5 minutes off, in either direction, are refused before Bolt sees them;
 * Bolt then verifies the signature itself.
 */
export function createHttpServer(o: HttpServerOptions): Server {
  const now = o.now ?? Date.now;
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, 'ok\n');
    if (req.method === 'GET' && path === '/readyz') {
      o.ready().then(
        (r) => send(res, r.ok && !o.draining() ? 200 : 503, JSON.stringify({ ready: r.ok && !o.draining(), ...r.checks }) + '\n', 'application/json'),
        () => send(res, 503, '{"ready":false}\n', 'application/json'),
      );
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      o.registry.metrics().then(
        (text) => send(res, 200, text, o.registry.contentType),
        () => send(res, 500, 'metrics unavailable\n'),
      );
      return;
    }
    if (path === '/slack/events') {
      const slack = o.slack();
      if (!slack) return send(res, 503, 'not ready\n');
      if (o.draining()) {
        res.setHeader('Retry-After', '5');
        return send(res, 503, 'shutting down\n');
      }
      const ts = Number(req.headers['x-slack-request-timestamp']);
      if (!Number.isFinite(ts) || Math.abs(now() / 1000 - ts) > MAX_CLOCK_SKEW_S) return send(res, 401, '');
      const started = process.hrtime.bigint();
      res.once('finish', () => o.ackLatency.observe({ kind: 'http' }, Number(process.hrtime.bigint() - started) / 1e9));
      return slack(req, res);
    }
    send(res, 404, 'not found\n');
  });
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
