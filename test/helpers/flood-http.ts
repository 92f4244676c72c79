import { createServer, type Server, type ServerResponse } from 'node:http';

/**
 * A loopback HTTP server that streams a huge JSON answer item by item, honouring back-pressure, so a test can serve
 * a million series without building the string. `sent` counts the bytes it handed to the socket before the client
 * hung up: the proof that a bounded reader stopped early.
 */
export interface FloodAnswer {
  head: string; // '{"status":"success","data":['
  item: (i: number) => string; // one element, without the separating comma
  count: number;
  tail: string; // ']}'
  status?: number;
}

export interface FloodServer {
  url: string;
  /** Bytes written per finished response (in request order). */
  sent: number[];
  /** Paths requested, with their query strings and form bodies. */
  requests: { path: string; body: string }[];
  close(): Promise<void>;
}

export async function startFloodServer(answer: (path: string) => FloodAnswer | undefined): Promise<FloodServer> {
  const sent: number[] = [];
  const requests: FloodServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body });
      const a = answer(req.url ?? '');
      if (!a) return void res.writeHead(404).end('{}');
      void stream(res, a).then((n) => sent.push(n));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function stream(res: ServerResponse, a: FloodAnswer): Promise<number> {
  const socket = res.socket;
  let closed = false;
  res.on('close', () => (closed = true));
  res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
  let pending = a.head;
  for (let i = 0; i < a.count && !closed; i++) {
    pending += (i ? ',' : '') + a.item(i);
    if (pending.length < 64 * 1024) continue;
    if (!res.write(pending)) await new Promise<void>((r) => (res.once('drain', r), res.once('close', r)));
    pending = '';
  }
  if (!closed) res.end(pending + a.tail);
  await new Promise<void>((r) => (res.writableFinished || closed ? r() : res.once('close', r)));
  return socket?.bytesWritten ?? 0;
}
