import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A loopback HTTP server that accepts every request and never answers until told to (a hung backend). `answer`
 * switches it to replying with a handler, for "the next call works once the endpoint answers".
 */
export interface SilentServer {
  url: string;
  requests: string[];
  /** From now on, answer with `handler`; a request it returns undefined for still hangs. */
  answer(handler: (req: IncomingMessage, body: string) => { status: number; body: string; headers?: Record<string, string> } | undefined): void;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const requests: string[] = [];
  let handler: Parameters<SilentServer['answer']>[0] | undefined;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${body}`);
      const r = handler?.(req, body);
      if (!r) return; // hang
      res.writeHead(r.status, { 'content-type': 'text/xml', ...r.headers }).end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer: (h) => void (handler = h),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
