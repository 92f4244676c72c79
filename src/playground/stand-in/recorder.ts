import { EventEmitter } from 'node:events';
import type { HttpReply, RecordedCall, ScriptedReply } from './types';

export type CallMatcher = string | ((call: RecordedCall) => boolean);

export interface WaitOptions {
  timeoutMs?: number;
  /** Only calls at or after this index of `calls` count (pass `calls.length` taken before acting). */
  since?: number;
}

/** A scripted answer resolved for one request: an HTTP status, headers and a JSON body. */
export interface ResolvedReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface Recorder {
  readonly calls: RecordedCall[];
  events: EventEmitter;
  record(call: RecordedCall): void;
  callsTo(method: string): RecordedCall[];
  waitFor(match: CallMatcher, opts?: number | WaitOptions): Promise<RecordedCall>;
  script(method: string, reply: ScriptedReply, opts?: { times?: number }): void;
  /** The next scripted reply for a method, or undefined to answer normally. */
  takeScript(method: string, args: Record<string, any>): Promise<ResolvedReply | undefined>;
  reset(): void;
}

const isHttpReply = (r: unknown): r is HttpReply =>
  typeof r === 'object' && r !== null && typeof (r as HttpReply).status === 'number' && !('ok' in r);

function resolveReply(reply: Record<string, unknown> | HttpReply): ResolvedReply {
  if (!isHttpReply(reply)) return { status: 200, headers: {}, body: reply };
  const headers: Record<string, string> = reply.retryAfter !== undefined ? { 'retry-after': String(reply.retryAfter) } : {};
  const body = reply.body ?? { ok: false, error: reply.status === 429 ? 'ratelimited' : 'http_error' };
  return { status: reply.status, headers, body };
}

/** One line per call for failure messages: method, channel and the error Slack answered. */
export function describeCalls(calls: RecordedCall[]): string {
  if (calls.length === 0) return '(none)';
  return calls
    .map((c) => {
      const channel = c.args.channel ?? c.args.channel_id;
      const error = (c.reply as { error?: string })?.error;
      return `${c.method}${channel ? `(${channel})` : ''} → ${c.status}${error ? ` ${error}` : ''}`;
    })
    .join('; ');
}

/** Records every request, answers scripted replies and lets tests wait for a call without sleeping. */
export function createRecorder(): Recorder {
  const calls: RecordedCall[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const scripts = new Map<string, { reply: ScriptedReply; remaining: number }[]>();

  return {
    calls,
    events,
    record(call) {
      calls.push(call);
      events.emit('call', call);
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor(match, opts) {
      const { timeoutMs = 5000, since = 0 } = typeof opts === 'number' ? { timeoutMs: opts } : (opts ?? {});
      const test = (c: RecordedCall) => {
        try {
          return typeof match === 'string' ? c.method === match : match(c);
        } catch {
          return false;
        }
      };
      const found = calls.slice(since).find(test);
      if (found) return Promise.resolve(found);
      const label = typeof match === 'string' ? match : match.name || 'predicate';
      return new Promise((resolve, reject) => {
        const onCall = (c: RecordedCall) => {
          if (!test(c)) return;
          cleanup();
          resolve(c);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`waitFor(${label}) timed out after ${timeoutMs} ms; calls seen: ${describeCalls(calls)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          events.off('call', onCall);
        };
        events.on('call', onCall);
      });
    },
    script(method, reply, opts = {}) {
      const queue = scripts.get(method) ?? [];
      queue.push({ reply, remaining: opts.times ?? 1 });
      scripts.set(method, queue);
    },
    async takeScript(method, args) {
      const queue = scripts.get(method);
      const next = queue?.[0];
      if (!queue || !next) return undefined;
      next.remaining -= 1;
      if (next.remaining <= 0) queue.shift();
      const reply = typeof next.reply === 'function' ? await next.reply(args) : next.reply;
      return reply === undefined ? undefined : resolveReply(reply);
    },
    reset() {
      calls.length = 0;
      scripts.clear();
    },
  };
}
