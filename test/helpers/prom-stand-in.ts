import { createServer } from 'node:http';

/**
 * A loopback Prometheus HTTP API that answers any query with one small series (query → vector, query_range →
 * matrix over the asked range) and records each request's Authorization header, so a test can see its token used.
 */
export interface PromStandIn {
  url: string;
  auth: (string | undefined)[];
  /** Every request's API path and parameters (query, start, end, step as sent, in seconds). */
  requests: { path: string; params: Record<string, string> }[];
  close(): Promise<void>;
}

/** `emptyInstant`: instant queries return no series (a guard stays healthy); range queries still return one. */
export async function startPromStandIn(o: { emptyInstant?: boolean } = {}): Promise<PromStandIn> {
  const auth: (string | undefined)[] = [];
  const requests: PromStandIn['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      auth.push(req.headers.authorization);
      const u = new URL(req.url ?? '/', 'http://prom');
      const p = new URLSearchParams(body);
      const param = (k: string) => p.get(k) ?? u.searchParams.get(k);
      requests.push({ path: u.pathname, params: Object.fromEntries([...u.searchParams, ...p]) });
      const metric = { __name__: 'up', job: 'canary' };
      let data: unknown = [];
      if (u.pathname.endsWith('/query_range')) {
        const [start, end, step] = [Number(param('start')), Number(param('end')), Math.max(1, Number(param('step')) || 60)];
        const values: [number, string][] = [];
        for (let t = start; t <= end && values.length < 500; t += step) values.push([t, String(1 + (values.length % 3))]);
        data = { resultType: 'matrix', result: [{ metric, values }] };
      } else if (u.pathname.endsWith('/query')) {
        data = { resultType: 'vector', result: o.emptyInstant ? [] : [{ metric, value: [Date.now() / 1000, '1'] }] };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, auth, requests, close: () => new Promise((r) => server.close(() => r())) };
}
