import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { escapeText } from '../views/text';
import type { DriverResponse, SlackDriver } from './driver';
import type { SlackStandIn, StandInChange, StoredMessage } from './slack-stand-in';

export type PlaygroundRole = 'requester' | 'approver' | 'someone else';

export interface PlaygroundOptions {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  standIn: SlackStandIn;
  driver: SlackDriver;
  users: { id: string; name: string; role: PlaygroundRole }[];
  channel: { id: string; name: string };
  sandbox?: { resources: { kind: string; name: string; id: string; note?: string }[]; suggestions: { command: string; why: string }[] };
}

export interface PlaygroundHandle {
  /** http://localhost:PORT, the address to print. */
  url: string;
  close(): Promise<void>;
}

const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'slack-date.js': 'text/javascript; charset=utf-8',
  'mrkdwn.js': 'text/javascript; charset=utf-8',
  'rich-text.js': 'text/javascript; charset=utf-8',
  'blockkit.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
};

// The page talks to this origin only and never runs inline script: a second line of defence behind the renderer.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_BODY = 64 * 1024;

/**
 * The static page lives in src/playground/page, which no build copies: the image puts it at
 * dist/src/playground/page; a local build reads it from the sources. Where that is, seen from this code: from the
 * bundle (dist/lookout.bundle.js, scripts/bundle.js), from tsc's tree (dist/src/playground) or from src (ts-jest).
 */
function readPage(): Map<string, Buffer> {
  const fromBundle = [join(__dirname, 'src', 'playground', 'page'), join(__dirname, '..', 'src', 'playground', 'page')];
  const dirs = [join(__dirname, 'page'), join(__dirname, '..', '..', '..', 'src', 'playground', 'page'), ...fromBundle];
  const dir = dirs.find((d) => existsSync(join(d, 'index.html')));
  if (!dir) throw new Error(`The playground page is missing (looked in ${dirs.join(', ')})`);
  return new Map(Object.keys(PAGE_FILES).map((name) => [name, readFileSync(join(dir, name))]));
}

/** A stored message as the page reads it: files served by this server instead of the stand-in's. */
function toPageMessage(standIn: SlackStandIn, m: StoredMessage): Record<string, unknown> {
  const { files, ...rest } = m;
  const json = JSON.stringify({ ...rest, files: files?.map((f) => ({ id: f.id, name: f.name, title: f.title, mimetype: f.mimetype, size: f.size, url: f.url_private })) });
  return JSON.parse(json.split(`${standIn.baseUrl}files/`).join('/files/'));
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': payload.length });
  res.end(payload);
}

async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  if (!parsed || typeof parsed !== 'object') throw new Error('expected a JSON object');
  return parsed;
}

/** What the page shows after a request into the app: fine, or the status and a short reason. */
function outcome(res: DriverResponse): { ok: boolean; status: number; detail?: string } {
  return res.status === 200 ? { ok: true, status: 200 } : { ok: false, status: res.status, detail: res.body.slice(0, 300) };
}

/**
 * Serves the Slack-like playground page (product.md §9): the channel from the stand-in's model, streamed live with
 * Server-Sent Events, and endpoints that turn what the person types or clicks into real signed requests via the driver.
 */
export async function startPlayground(opts: PlaygroundOptions): Promise<PlaygroundHandle> {
  const { standIn, driver, channel } = opts;
  const page = readPage();
  const userIds = new Set(opts.users.map((u) => u.id));
  const clients = new Set<ServerResponse>();
  const host = opts.host ?? '127.0.0.1';
  const checkHost = LOOPBACK_HOSTS.has(host) || host === '::1';

  const directory = () => ({
    users: Object.fromEntries([...opts.users.map((u) => [u.id, u.name]), [standIn.bot.userId, 'Lookout']]),
    channels: { [channel.id]: channel.name },
  });
  const state = () => ({
    team: standIn.team.name,
    channel,
    bot: { id: standIn.bot.userId, name: 'Lookout' },
    users: opts.users,
    directory: directory(),
    sandbox: opts.sandbox ?? null,
    messages: standIn.allMessages().filter((m) => m.channel === channel.id).map((m) => toPageMessage(standIn, m)),
  });

  const broadcast = (data: unknown) => {
    for (const res of clients) res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  const onChange = (c: StandInChange) => {
    if (c.kind === 'reset') broadcast({ kind: 'reset' });
    if (c.kind === 'message' && c.channel === channel.id) broadcast({ kind: 'message', message: toPageMessage(standIn, c.message) });
  };
  standIn.on('change', onChange);
  const heartbeat = setInterval(() => clients.forEach((res) => res.write(': ping\n\n')), 20_000);
  heartbeat.unref();

  /** The composer: `/command text` → slash command, `@Lookout …` → app_mention, anything else → a plain message. */
  const compose = async (b: Record<string, any>) => {
    const text = String(b.text ?? '').trim();
    const threadTs = typeof b.threadTs === 'string' && b.threadTs ? b.threadTs : undefined;
    if (text === '' || text.length > 4000) return { ok: false, status: 400, detail: 'Type a message (at most 4,000 characters).' };
    if (text.startsWith('/')) {
      const [, command, rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(text) ?? [];
      return outcome(await driver.command(command, rest, { user: b.user, channel: channel.id }));
    }
    const mention = /^(?:@lookout\b|<@([A-Z0-9]+)>)\s*([\s\S]*)$/i.exec(text);
    if (mention && (!mention[1] || mention[1] === standIn.bot.userId)) {
      return outcome(await driver.mention(`<@${standIn.bot.userId}> ${mention[2]}`, { user: b.user, channel: channel.id, threadTs }));
    }
    standIn.postAsUser({ channel: channel.id, user: b.user, text: escapeText(text), threadTs });
    return { ok: true, status: 200 };
  };

  /** A button click → a signed block_actions request carrying the message as the stand-in holds it. */
  const act = async (b: Record<string, any>) => {
    const message = standIn.find((m) => m.channel === channel.id && m.ts === b.ts && !m.deleted);
    if (!message) return { ok: false, status: 404, detail: 'That message is gone.' };
    const value = typeof b.value === 'string' ? b.value : undefined;
    return outcome(await driver.action(message, String(b.actionId ?? ''), { user: b.user, value }));
  };

  const proxyFile = async (res: ServerResponse, rest: string) => {
    if (!/^[A-Za-z0-9]+\/[^/?#]+$/.test(rest)) return send(res, 404, 'not found', 'text/plain');
    const upstream = await fetch(`${standIn.baseUrl}files/${rest}`, { signal: AbortSignal.timeout(10_000) });
    const bytes = Buffer.from(await upstream.arrayBuffer());
    send(res, upstream.status, bytes, upstream.headers.get('content-type') ?? 'application/octet-stream');
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://playground');
    // DNS rebinding: another site's name pointing at 127.0.0.1 must not read or drive this page.
    if (checkHost && !LOOPBACK_HOSTS.has(new URL(`http://${req.headers.host ?? ''}`).hostname)) return send(res, 403, { ok: false, detail: 'unexpected Host' });
    if (req.method === 'GET') {
      const name = url.pathname === '/' ? 'index.html' : url.pathname.replace(/^\/static\//, '');
      if (page.has(name) && (url.pathname === '/' || url.pathname.startsWith('/static/'))) return send(res, 200, page.get(name), PAGE_FILES[name]);
      if (url.pathname === '/api/state') return send(res, 200, state());
      // The image's HEALTHCHECK probes PORT, which is this page in playground mode (it starts once Lookout is ready).
      if (url.pathname === '/healthz') return send(res, 200, 'ok', 'text/plain; charset=utf-8');
      if (url.pathname.startsWith('/files/')) return proxyFile(res, url.pathname.slice('/files/'.length));
      if (url.pathname === '/api/events') {
        res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
        res.write(': connected\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      return send(res, 404, 'not found', 'text/plain');
    }
    // Only the page itself may post: JSON (so browsers preflight cross-site requests, which we never allow).
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/json')) return send(res, 405, { ok: false, detail: 'POST JSON only' });
    if (req.headers.origin && req.headers.origin !== `http://${req.headers.host}`) return send(res, 403, { ok: false, detail: 'cross-origin request refused' });
    const body = await readJson(req);
    if (!userIds.has(body.user)) return send(res, 400, { ok: false, status: 400, detail: 'Unknown user.' });
    if (url.pathname === '/api/send') return send(res, 200, await compose(body));
    if (url.pathname === '/api/action') return send(res, 200, await act(body));
    return send(res, 404, { ok: false, detail: 'not found' });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, { ok: false, status: 0, detail: err.message });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`Port ${opts.port} is in use: set PORT to a free port for the playground.`) : err),
    );
    server.listen(opts.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close() {
      standIn.off('change', onChange);
      clearInterval(heartbeat);
      for (const res of clients) res.end();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
