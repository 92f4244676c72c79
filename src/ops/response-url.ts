import http from 'node:http';
import https from 'node:https';

/**
 * One POST of a JSON body to a Slack response URL, on node:http with kept-alive connections. Every `/lookout help`
 * and every ephemeral answer goes this way: fetch() (undici with WebStreams, an AbortSignal and a Response per
 * call) cost ~180 µs more CPU per post than node:http on this path, a fifth of a command's CPU
 * (docs/performance.md). The answer's body is never read (drained and dropped); `timeoutMs` bounds the whole
 * exchange, connection included. Resolves with the status; rejects on a network error or the timeout (with
 * `name` 'TimeoutError', as AbortSignal.timeout would).
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** `payload` is serialized as JSON, unless it is a Buffer: then it is the JSON body already. */
export function postToResponseUrl(url: string, payload: unknown, timeoutMs: number): Promise<{ ok: boolean; status: number }> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (err) {
      return reject(err);
    }
    const agent = target.protocol === 'https:' ? agents['https:'] : target.protocol === 'http:' ? agents['http:'] : undefined;
    if (!agent) return reject(new Error(`response URL must be http(s), not ${target.protocol}`));
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload), 'utf8');
    const send = target.protocol === 'https:' ? https.request : http.request;
    const req = send(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      const status = res.statusCode ?? 0;
      res.resume(); // drop the body; the socket goes back to the pool once it has been read
      res.once('end', () => {
        clearTimeout(timer);
        resolve({ ok: status >= 200 && status < 300, status });
      });
      res.once('error', fail);
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer from the response URL within ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      reject(err);
    }
    req.once('error', fail);
    req.end(body);
  });
}
