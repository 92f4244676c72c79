import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Histogram, Registry } from 'prom-client';
import { createHttpServer, MAX_BODY_BYTES, SERVER_LIMITS } from '../../../src/ops/http-server';

/** The front door alone, with a Slack listener that must never be reached by these requests. */
async function start(limits: Partial<typeof SERVER_LIMITS>) {
  const registry = new Registry();
  const reached: string[] = [];
  const server = createHttpServer({
    registry,
    ackLatency: new Histogram({ name: 'ack', help: 'ack', labelNames: ['kind'], registers: [registry] }),
    ready: async () => ({ ok: true, checks: {} }),
    slack: () => (req, res) => {
      reached.push(req.url ?? '');
      res.end('ok');
    },
    draining: () => false,
    onError: () => undefined,
    limits,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { port, reached, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Sends `text`, keeps the socket open without sending more, and resolves with everything received once the server closes it. */
function stall(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('close', () => resolve(data));
    socket.on('error', (err) => (data ? resolve(data) : reject(err)));
  });
}

const statusLines = (raw: string) => raw.match(/^HTTP\/1\.1 \d{3}/gm) ?? [];

describe('the front door under slow and oversized requests', () => {
  it('answers 408 and closes a connection that never finishes its headers', async () => {
    const door = await start({ headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 });
    try {
      const raw = await stall(door.port, 'POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      expect(statusLines(raw)).toEqual(['HTTP/1.1 408']);
      expect(door.reached).toEqual([]);
    } finally {
      await door.close();
    }
  });

  it('answers 413 from the declared length, drains for a bounded time, then cuts the socket without a second answer', async () => {
    // The request times out while the 413 drains: that must close the socket, not write a second status line.
    const door = await start({ requestTimeout: 300, headersTimeout: 300, drainMaxMs: 5_000, connectionsCheckingInterval: 50 });
    try {
      const head = `POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slack-Request-Timestamp: ${Math.floor(Date.now() / 1000)}\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`;
      const raw = await stall(door.port, `${head}${'a'.repeat(1000)}`);
      expect(statusLines(raw)).toEqual(['HTTP/1.1 413']);
      expect(door.reached).toEqual([]);
    } finally {
      await door.close();
    }
  });

  it('stops reading an oversized body at the drain byte limit', async () => {
    const door = await start({ drainMaxBytes: 64 * 1024, drainMaxMs: 60_000, requestTimeout: 120_000, headersTimeout: 60_000 });
    const began = Date.now();
    try {
      const head = `POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: ${1024 * MAX_BODY_BYTES}\r\n\r\n`;
      const raw = await new Promise<string>((resolve) => {
        const socket = net.connect(door.port, '127.0.0.1', () => {
          socket.write(head);
          const chunk = 'b'.repeat(16 * 1024);
          const pump = () => {
            while (socket.writable && socket.write(chunk));
          };
          socket.on('drain', pump);
          pump();
        });
        let data = '';
        socket.on('data', (d) => (data += d));
        socket.on('close', () => resolve(data));
        socket.on('error', () => undefined);
      });
      expect(statusLines(raw)).toEqual(['HTTP/1.1 413']);
      expect(Date.now() - began).toBeLessThan(50_000); // cut by bytes, long before the 60 s drain time
    } finally {
      await door.close();
    }
  });
});
