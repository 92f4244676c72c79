import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postToResponseUrl } from '../../../src/ops/response-url';

// Ephemeral answers go to the response URL on node:http (fetch cost ~180 µs more CPU a post: docs/performance.md).
// What fetch gave must hold: the JSON body as sent, the status, a bound on the whole exchange, kept-alive sockets.
describe('postToResponseUrl', () => {
  const bodies: string[] = [];
  const sockets = new Set<unknown>();
  let hold = false;
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      bodies.push(body);
      if (hold) return; // never answers
      res.writeHead(req.url?.endsWith('/gone') ? 404 : 200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(10_000));
    });
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('posts the JSON body once, resolves with the status, and reuses the connection', async () => {
    bodies.length = 0;
    sockets.clear();
    expect(await postToResponseUrl(`${base}/commands/1`, { text: 'héllo' }, 2000)).toEqual({ ok: true, status: 200 });
    expect(await postToResponseUrl(`${base}/commands/gone`, { text: 'again' }, 2000)).toEqual({ ok: false, status: 404 });
    expect(bodies.map((b) => JSON.parse(b))).toEqual([{ text: 'héllo' }, { text: 'again' }]);
    expect(sockets.size).toBe(1);
  });

  it('gives up after the timeout with a TimeoutError, and fails on a refused connection', async () => {
    hold = true;
    try {
      await expect(postToResponseUrl(`${base}/commands/slow`, {}, 150)).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      hold = false;
    }
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(postToResponseUrl(`http://127.0.0.1:${port}/x`, {}, 2000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
