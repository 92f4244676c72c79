import type { IncomingMessage, ServerResponse } from 'node:http';
import { fail } from './context';
import type { MethodHandler, StandInContext } from './context';
import { storeUpload } from './files';
import { parseArgs, readBody, readToken, sendJson, sendText } from './http';
import type { Recorder } from './recorder';
import { responseUrlId } from './response-urls';
import type { ResponseUrls } from './response-urls';

interface Outcome {
  status: number;
  body: unknown;
  /** Facts learnt while answering, added to the recorded args (e.g. an upload's length). */
  note?: Record<string, unknown>;
}

export interface RouteDeps {
  ctx: StandInContext;
  handlers: Record<string, MethodHandler>;
  recorder: Recorder;
  responses: ResponseUrls;
  /** Tokens accepted for Web API calls; empty = any non-empty token. */
  tokens: string[];
}

/**
 * The stand-in's HTTP surface: POST /api/<method> (Web API), POST /response/<id> (response URLs),
 * POST /upload/<file id> (files.uploadV2 step 2), GET /files/<id>/<name> (url_private). Every POST is recorded.
 */
export function createRequestHandler(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { ctx, handlers, recorder, responses, tokens } = deps;

  const answer = async (method: string, args: Record<string, any>, token: string | undefined, normal: () => Promise<Outcome>) => {
    const { token: _bodyToken, ...recordedArgs } = args;
    const scripted = await recorder.takeScript(method, args);
    const outcome: Outcome & { headers?: Record<string, string> } = scripted ?? (await normal());
    recorder.record({ method, args: { ...recordedArgs, ...outcome.note }, token, at: ctx.now(), status: outcome.status, reply: outcome.body });
    return { status: outcome.status, body: outcome.body, headers: outcome.headers ?? {} };
  };

  const callMethod = async (method: string, args: Record<string, any>, token: string | undefined): Promise<Outcome> => {
    if (!token) return { status: 200, body: fail('not_authed') };
    if (tokens.length > 0 && !tokens.includes(token)) return { status: 200, body: fail('invalid_auth') };
    const handler = handlers[method];
    return { status: 200, body: handler ? await handler(args, { token }) : fail('unknown_method', { req_method: method }) };
  };

  const route = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const [, kind, id = ''] = path.split('/');
    if (req.method === 'GET' && kind === 'files') {
      const file = ctx.model.files.get(id);
      if (!file?.bytes) return sendText(res, 404, 'file_not_found');
      res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.length });
      return void res.end(file.bytes);
    }
    if (req.method !== 'POST') return sendText(res, 405, 'method_not_allowed');
    const body = await readBody(req);
    const contentType = req.headers['content-type'];

    if (kind === 'api' && id) {
      const method = decodeURIComponent(id);
      const args = await parseArgs(body, contentType);
      const token = readToken(req, args);
      const reply = await answer(method, args, token, () => callMethod(method, args, token));
      if (reply.status === 0) return void req.socket.resetAndDestroy();
      return sendJson(res, reply.status, reply.body, reply.headers);
    }
    if (kind === 'response') {
      const args = await parseArgs(body, contentType ?? 'application/json');
      const reply = await answer('response_url', args, undefined, () => responses.post(responseUrlId(path) ?? '', args));
      return sendJson(res, reply.status, reply.body, reply.headers);
    }
    if (kind === 'upload') {
      const multipart = (contentType ?? '').startsWith('multipart/form-data');
      const parsed = multipart ? await parseArgs(body, contentType) : body;
      const reply = await answer('file_upload', { file_id: id }, undefined, async () => {
        const file = storeUpload(ctx, id, parsed);
        if (!file?.bytes) return { status: 404, body: 'file_not_found' };
        // Slack's upload endpoint answers plain text "OK - <bytes>".
        return { status: 200, body: `OK - ${file.bytes.length}`, note: { filename: file.name, length: file.bytes.length } };
      });
      return typeof reply.body === 'string' ? sendText(res, reply.status, reply.body, reply.headers) : sendJson(res, reply.status, reply.body, reply.headers);
    }
    return sendText(res, 404, 'not_found');
  };

  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    route(req, res, path).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 400, { ok: false, error: 'invalid_request', detail: err.message });
    });
  };
}
