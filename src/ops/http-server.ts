import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Histogram } from 'prom-client';
import { parsesToObject } from './slack-body';

export type SlackListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpServerOptions {
  registry: Registry;
  ackLatency: Histogram<'kind'>;
  /** Readiness: store reachable and Slack auth ok. */
  ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
  /** Bolt's HTTPReceiver request listener, once Slack auth succeeded; undefined in Socket Mode or before that. */
  slack(): SlackListener | undefined;
  draining(): boolean;
  /** Called with anything a request made throw: logged with a reference id, never rethrown. */
  onError(err: unknown, where: string): void;
  now?: () => number;
  /** Tests shorten these. */
  limits?: Partial<typeof SERVER_LIMITS>;
}

/** Slack's replay window (slack-platform.md §3.1), applied both ways: Bolt itself only refuses old timestamps. */
export const MAX_CLOCK_SKEW_S = 300;

/**
 * The largest request body Lookout reads. Slack's biggest payloads (block_actions carrying a 50-block message)
 * stay far below 1 MiB; Bolt's own default is 4 MiB, and it is handed this one so both agree.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Slack needs an answer within 3 s: nobody legitimate takes 10 s to send headers or 30 s to send a request (Node's
 * defaults are 60 s and 300 s), and the timeouts are checked every second rather than every 30 s.
 */
export const SERVER_LIMITS = {
  requestTimeout: 30_000,
  headersTimeout: 10_000,
  connectionsCheckingInterval: 1_000,
  /** Open connections at once; further ones are closed at once. Bounds memory under a connection flood. */
  maxConnections: 2_000,
  /** How much of an oversized body is read and dropped after the 413, and for how long, before the socket is cut. */
  drainMaxBytes: 16 * 1024 * 1024,
  drainMaxMs: 5_000,
};

type Route = { methods: readonly string[]; handle(req: IncomingMessage, res: ServerResponse): void | Promise<unknown> };

/**
 * The one HTTP front door for Slack and operations: `POST /slack/events`, `GET /healthz`, `GET /readyz`,
 * `GET /metrics`. Every method, path and body gets an answer and nothing a request does can throw past it:
 * 405 for a wrong method, 404 for an unknown path, 413 over MAX_BODY_BYTES, 401 for a timestamp more than
 * 5 minutes off (either direction) before Bolt sees the request; Bolt then verifies the signature (401) and
 * the body (400).
 */
export function createHttpServer(o: HttpServerOptions): Server {
  const now = o.now ?? Date.now;
  const routes: Record<string, Route> = {
    '/healthz': { methods: ['GET', 'HEAD'], handle: (_req, res) => send(res, 200, 'ok\n') },
    '/readyz': {
      methods: ['GET', 'HEAD'],
      handle: (_req, res) =>
        o.ready().then(
          (r) => {
            const ready = r.ok && !o.draining();
            send(res, ready ? 200 : 503, JSON.stringify({ ready, ...r.checks }) + '\n', 'application/json');
          },
          () => send(res, 503, '{"ready":false}\n', 'application/json'),
        ),
    },
    '/metrics': {
      methods: ['GET', 'HEAD'],
      handle: (_req, res) =>
        o.registry.metrics().then(
          (text) => send(res, 200, text, o.registry.contentType),
          () => send(res, 500, 'metrics unavailable\n'),
        ),
    },
    '/slack/events': { methods: ['POST'], handle: (req, res) => slackEvents(req, res) },
  };

  function slackEvents(req: IncomingMessage, res: ServerResponse): void {
    const slack = o.slack();
    if (!slack) return send(res, 503, 'not ready\n');
    if (o.draining()) {
      res.setHeader('Retry-After', '5');
      return send(res, 503, 'shutting down\n');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!Number.isFinite(declared) || declared > MAX_BODY_BYTES) {
      answered.add(req.socket);
      return refuseBody(req, res, limits);
    }
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (!Number.isFinite(ts) || Math.abs(now() / 1000 - ts) > MAX_CLOCK_SKEW_S) return send(res, 401, '');
    const started = process.hrtime.bigint();
    res.once('finish', () => o.ackLatency.observe({ kind: 'http' }, Number(process.hrtime.bigint() - started) / 1e9));
    readBody(req, res, (rawBody) => {
      if (!parsesToObject(rawBody.toString(), req.headers['content-type'])) return send(res, 400, 'malformed body\n');
      // Bolt uses `rawBody` when it is set (signature check included) instead of reading the stream again.
      slack(Object.assign(req, { rawBody }), res);
    });
  }

  /**
   * Buffers the body up to MAX_BODY_BYTES. A chunked body that goes past it gets the same 413 and bounded drain as
   * one whose declared length is too big, at the moment it crosses the limit.
   */
  function readBody(req: IncomingMessage, res: ServerResponse, then: (rawBody: Buffer) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    const onEnd = () => then(Buffer.concat(chunks));
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      answered.add(req.socket);
      refuseBody(req, res, limits);
    };
    req.on('data', onData);
    req.once('end', onEnd);
  }

  const limits = { ...SERVER_LIMITS, ...o.limits };
  // Sockets whose request was already answered while its body still drains (the 413 path).
  const answered = new WeakSet<object>();
  const { requestTimeout, headersTimeout, connectionsCheckingInterval } = limits;
  const server = createServer({ requestTimeout, headersTimeout, connectionsCheckingInterval }, (req, res) => {
    // A client that goes away mid-request makes these emit 'error'; the answer no longer matters.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    try {
      const path = pathOf(req.url);
      const route = path === undefined ? undefined : routes[path];
      if (!route) return send(res, 404, 'not found\n');
      if (!route.methods.includes(req.method ?? '')) {
        res.setHeader('Allow', route.methods.join(', '));
        return send(res, 405, 'method not allowed\n');
      }
      const pending = route.handle(req, res);
      if (pending) pending.catch((err: unknown) => fail(res, err, path ?? ''));
    } catch (err) {
      fail(res, err, req.url ?? '');
    }
  });
  // Malformed HTTP (bad request line, oversized headers) never reaches the listener: answer 400 and close.
  // A socket that already carries an answer (a 413 still draining, say) is closed, never answered twice.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const current = (socket as { _httpMessage?: ServerResponse })._httpMessage;
    if (!socket.writable || current?.headersSent || answered.has(socket)) return void socket.destroy();
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  server.maxConnections = limits.maxConnections;
  // Above the 60 s idle timeout of AWS load balancers, so the balancer never reuses a connection Node has closed
  // (which would answer Slack a 502 that Slack does not retry).
  server.keepAliveTimeout = 65_000;
  // The last-resort boundary: anything thrown above is logged with a reference id and answered 500.
  function fail(res: ServerResponse, err: unknown, where: string): void {
    o.onError(err, where);
    if (!res.headersSent) send(res, 500, 'internal error\n');
    else res.destroy();
  }
  return server;
}

/** The path of a request target, or undefined when it is not one (`*`, junk). */
function pathOf(url: string | undefined): string | undefined {
  if (!url || !url.startsWith('/')) return undefined;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * 413 at once, from the declared length. The rest of the body is read and thrown away (never buffered) rather than
 * the connection being closed under the client, whose kernel would then drop our answer with a reset; the drain is
 * bounded (drainMaxBytes, drainMaxMs), after which the socket is cut.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse, limits: typeof SERVER_LIMITS): void {
  send(res, 413, `request body over ${MAX_BODY_BYTES} bytes\n`);
  let seen = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, limits.drainMaxMs);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limits.drainMaxBytes) cut();
  });
  req.on('close', () => clearTimeout(timer));
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}
