import http from 'node:http';
import net from 'node:net';
import { slackSignatureHeaders } from '../../src/playground/driver';

const signSlackHeaders = (secret: string, body: string) => slackSignatureHeaders(secret, body, Math.floor(Date.now() / 1000));

export interface HostileAnswer {
  name: string;
  status: number;
  allow?: string | null;
}

const METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND'];

/**
 * Requests an attacker can send without the signing secret (and a few with it but with a broken body), each with
 * the answer it gets. Used against the in-process app and the real CLI process alike.
 */
export async function sendHostileRequests(baseUrl: string, secret: string): Promise<HostileAnswer[]> {
  const out: HostileAnswer[] = [];
  const events = `${baseUrl}/slack/events`;
  for (const method of METHODS) {
    const res = await plainRequest(events, method);
    out.push({ name: `${method} /slack/events`, status: res.status, allow: res.allow });
  }
  for (const path of ['/', '/slack', '/slack/events/x', '/%ff', '/nothing?x=1']) {
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', body: 'x' });
    out.push({ name: `POST ${path}`, status: res.status });
  }
  out.push({ name: 'POST /healthz', status: (await fetch(`${baseUrl}/healthz`, { method: 'POST' })).status });
  const eightMb = 'a'.repeat(8 * 1024 * 1024);
  out.push({ name: '8 MB body, declared', status: await postLarge(events, eightMb, signSlackHeaders(secret, eightMb), true) });
  out.push({ name: '8 MB body, chunked', status: await postLarge(events, eightMb, signSlackHeaders(secret, eightMb), false) });
  const junk = '\u0000{{{not json';
  out.push({ name: 'signed junk JSON', status: (await fetch(events, { method: 'POST', body: junk, headers: { 'content-type': 'application/json', ...signSlackHeaders(secret, junk) } })).status });
  const badPayload = 'payload=%7Bnot-json';
  out.push({ name: 'signed malformed payload', status: (await fetch(events, { method: 'POST', body: badPayload, headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackHeaders(secret, badPayload) } })).status });
  out.push({ name: 'unsigned POST', status: (await fetch(events, { method: 'POST', body: 'command=%2Flookout' })).status });
  out.push({ name: 'malformed request line', status: await rawRequest(baseUrl, 'GARBAGE\r\n\r\n') });
  return out;
}

/** What each hostile request must get: never a 5xx, never a 2xx. */
export const EXPECTED_HOSTILE: Record<string, number> = {
  ...Object.fromEntries(METHODS.map((m) => [`${m} /slack/events`, 405])),
  'POST /': 404,
  'POST /slack': 404,
  'POST /slack/events/x': 404,
  'POST /%ff': 404,
  'POST /nothing?x=1': 404,
  'POST /healthz': 405,
  '8 MB body, declared': 413,
  '8 MB body, chunked': 413,
  'signed junk JSON': 400,
  'signed malformed payload': 400,
  'unsigned POST': 401,
  'malformed request line': 400,
};

/**
 * Sends a large body and returns the status the server answered with. The server may answer 413 and close while
 * the body is still being written (that is the point), so a write error after the answer is not a failure.
 */
function postLarge(url: string, body: string, headers: Record<string, string>, declareLength: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const req = http.request(url, { method: 'POST', headers: { ...headers, ...(declareLength ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      resolve(status);
      req.destroy(); // the answer is all we wanted; stop sending the rest
    });
    req.on('error', (err) => (status === undefined ? reject(err) : undefined));
    const chunk = 64 * 1024;
    for (let i = 0; i < body.length; i += chunk) req.write(body.slice(i, i + chunk));
    req.end();
  });
}

function rawRequest(baseUrl: string, text: string): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(text));
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

function plainRequest(url: string, method: string): Promise<{ status: number; allow: string | null }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: (res.headers.allow as string | undefined) ?? null }));
    });
    req.on('error', reject);
    req.end();
  });
}
