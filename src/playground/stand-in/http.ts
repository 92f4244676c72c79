import type { IncomingMessage, ServerResponse } from 'node:http';

/** An uploaded part of a multipart body. */
export interface UploadedPart {
  filename: string;
  bytes: Buffer;
}

/** WebClient sends objects as JSON strings inside the form (slack-platform.md §4.5); these are decoded for tests. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata']);

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Parses a Web API request body the way Slack accepts it: url-encoded form, JSON, or multipart (WebClient
 * switches to multipart when a Buffer is among the arguments). Multipart file parts come back as Buffers.
 */
export async function parseArgs(body: Buffer, contentType: string | undefined): Promise<Record<string, any>> {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (body.length === 0) return {};
  if (type === 'application/json') {
    const parsed = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? parsed : {};
  }
  if (type === 'multipart/form-data') {
    // undici's Response parses multipart bodies, so no hand-written parser is needed.
    const form = await new Response(body, { headers: { 'content-type': contentType ?? '' } }).formData();
    const args: Record<string, any> = {};
    for (const [key, value] of form.entries()) {
      args[key] =
        typeof value === 'string'
          ? decodeField(key, value)
          : ({ filename: value.name, bytes: Buffer.from(await value.arrayBuffer()) } satisfies UploadedPart);
    }
    return args;
  }
  const args: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) args[key] = decodeField(key, value);
  return args;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Slack sends booleans as strings in forms; JSON bodies carry real booleans. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** The bearer token, or the legacy `token` form field Slack still honours. */
export function readToken(req: IncomingMessage, args: Record<string, any>): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return typeof args.token === 'string' ? args.token : undefined;
}
