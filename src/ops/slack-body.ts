import { parse } from 'node:querystring';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackListener } from './http-server';

/**
 * Reads a Slack request's body (at most `limit` bytes) before Bolt does and hands Bolt the buffered request: Bolt
 * uses `req.rawBody` when it is set, signature check included. A body Bolt would parse into something other than
 * an object (`payload=null`, `payload=42`, a JSON `null` or array) is answered 400 here, because Bolt reads a
 * property of it unchecked: the throw rejected inside its receiver and the request was never answered (found by
 * test/reliability/hostile-requests.test.ts).
 */
export function withObjectBody(listener: SlackListener, limit: number): SlackListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) return answer(res, 413);
      const rawBody = Buffer.concat(chunks);
      if (!parsesToObject(rawBody.toString(), req.headers['content-type'])) return answer(res, 400);
      listener(Object.assign(req as IncomingMessage, { rawBody }), res);
    });
  };
}

/** What Bolt's parseHTTPRequestBody would make of the body is an object; malformed JSON is Bolt's to refuse (400). */
function parsesToObject(text: string, contentType: string | undefined): boolean {
  let parsed: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const { payload } = parse(text);
      if (typeof payload !== 'string') return true;
      parsed = JSON.parse(payload);
    } else parsed = JSON.parse(text);
  } catch {
    return true;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
}

function answer(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': '0' });
  res.end();
}
