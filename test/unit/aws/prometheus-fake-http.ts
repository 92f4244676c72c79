import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** A loopback HTTP server that records requests and answers from a queue of canned responses (tests only). */
export interface Captured {
  method: string;
  url: string; // path + query string as received
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  body?: unknown; // objects are sent as JSON
  headers?: Record<string, string>;
  hang?: boolean; // never answer (timeouts)
}

export interface FakeHttp {
  url: string;
  requests: Captured[];
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

export async function startFakeHttp(): Promise<FakeHttp> {
  const requests: Captured[] = [];
  const queue: Reply[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const r = queue.shift() ?? { status: 500, body: 'no reply queued' };
      if (r.hang) return;
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? {});
      res.writeHead(r.status ?? 200, { 'content-type': typeof r.body === 'string' ? 'text/plain' : 'application/json', ...r.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const success = (data: unknown, extra: Record<string, unknown> = {}): Reply => ({ body: { status: 'success', data, ...extra } });
