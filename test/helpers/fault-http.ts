import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A loopback HTTP server that plays one fault per request, for adapters that speak HTTP themselves (Prometheus/AMP
 * queries, the Grafana HTTP API): a dropped connection, an answer that never comes, a status with headers, a body
 * that is not JSON, or a huge streamed body. Requests past the scripted faults get `ok`.
 */
export type Fault =
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'status'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'huge'; bytes: number; headers?: Record<string, string> };

export interface FaultServer {
  url: string;
  /** Every request seen, in order (`METHOD path`). */
  requests: string[];
  /** The next `times` requests get `fault` (default: every request until clear()). */
  script(fault: Fault, times?: number): void;
  /** Drops every scripted fault. */
  clear(): void;
  /** What a request past the scripted faults gets. */
  ok: (req: IncomingMessage) => Fault;
  close(): Promise<void>;
}

export async function startFaultServer(ok: (req: IncomingMessage) => Fault): Promise<FaultServer> {
  let queue: Fault[] = [];
  let always: Fault | undefined;
  const handle: FaultServer = {
    url: '',
    requests: [],
    script(fault, times) {
      if (times === undefined) always = fault;
      else queue.push(...Array.from({ length: times }, () => fault));
    },
    clear() {
      queue = [];
      always = undefined;
    },
    ok,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const play = (fault: Fault, req: IncomingMessage, res: ServerResponse) => {
    switch (fault.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'application/json', connection: 'close', ...fault.headers }).end(fault.body);
        return;
      case 'huge': {
        // Streamed in chunks with no content-length: the reader's byte limit has to stop it, not a header check.
        res.writeHead(200, { 'content-type': 'application/json', connection: 'close', ...fault.headers });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (sent < fault.bytes) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        res.write('{"status":"success","data":"');
        pump();
        return;
      }
    }
  };
  // Every answer closes its connection: a kept-alive socket the server later closes would make the client see a
  // reset of its own, an attempt the server never counted.
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      handle.requests.push(`${req.method} ${req.url}`);
      play(queue.shift() ?? always ?? handle.ok(req), req, res);
    });
  });
  server.on('clientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  handle.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return handle;
}

/** A clock whose sleeps end at once but are recorded: retry waits are asserted, not spent. */
export function recordingClock(): { now(): number; sleep(ms: number): Promise<void>; slept: number[] } {
  let t = Date.UTC(2026, 10, 29, 9, 0, 0);
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
  };
}
