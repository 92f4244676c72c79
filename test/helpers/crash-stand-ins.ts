import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { LookoutError, isLookoutError, type ErrorCode } from '../../src/errors';
import { beforeAwsChange, noteAwsRequestId } from '../../src/aws-request-ids';
import type { Experiments } from '../../src/ports/experiments';
import type { SandboxFis } from '../../src/sandbox/fis';

/**
 * AWS stand-ins that live in the test process, so their state survives a `kill -9` of the Lookout child
 * (test/reliability/crash.test.ts): the sandbox FIS behind a small JSON RPC, and a Prometheus HTTP API. Both can
 * hold a call (never answer it) and say when it arrived, which is where the test kills the child.
 */

/** FIS methods that change something: each answer carries an AWS-style request id for the audit trail. */
export const FIS_CHANGES = new Set(['start', 'stop', 'tag']);

export interface FisCall {
  method: string;
  args: unknown[];
  /** Set once the sandbox ran it (a call held `before` never reaches it). */
  requestId?: string;
  /** Lookout got the answer (false for a held call: the child was killed waiting). */
  answered: boolean;
  /** The replica that called (REPLICA_ID of a replica child), when it said. */
  from?: string;
}

export interface Hold {
  /** Resolves with the call when it arrives (and, for `after`, once the sandbox ran it). */
  arrived: Promise<FisCall>;
}

type Matcher = (method: string, args: any[], from?: string) => boolean;

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function readJson(req: IncomingMessage): Promise<any> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body || '{}');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function closer(server: Server): () => Promise<void> {
  return () => {
    server.closeAllConnections();
    return new Promise((r) => server.close(() => r()));
  };
}

export interface FisStandIn {
  url: string;
  calls: FisCall[];
  /** The next call that matches is held: `before` the sandbox sees it, or `after` it ran (its answer withheld). */
  hold(phase: 'before' | 'after', match: Matcher): Hold;
  close(): Promise<void>;
}

export async function startFisStandIn(fis: SandboxFis): Promise<FisStandIn> {
  const calls: FisCall[] = [];
  const holds: { phase: 'before' | 'after'; match: Matcher; arrived: ReturnType<typeof deferred<FisCall>> }[] = [];
  let n = 0;
  const answer = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    void (async () => {
      const { method, args } = (await readJson(req)) as { method: string; args: any[] };
      const from = req.headers['x-lookout-replica'] as string | undefined;
      const call: FisCall = { method, args, answered: false, ...(from ? { from } : {}) };
      calls.push(call);
      const i = holds.findIndex((h) => h.match(method, args, from));
      const hold = i >= 0 ? holds.splice(i, 1)[0] : undefined;
      if (hold?.phase === 'before') return hold.arrived.resolve(call); // never answered: the child dies waiting
      try {
        const value = await (fis.experiments as any)[method](...args);
        if (FIS_CHANGES.has(method)) call.requestId = `crash-fis-${++n}`;
        if (hold) return hold.arrived.resolve(call);
        call.answered = true;
        answer(res, { ok: true, value, requestId: call.requestId });
      } catch (err) {
        if (hold) return hold.arrived.resolve(call);
        answer(res, { ok: false, code: isLookoutError(err) ? err.code : 'internal', message: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
  return {
    url: await listen(server),
    calls,
    hold(phase, match) {
      const arrived = deferred<FisCall>();
      holds.push({ phase, match, arrived });
      return { arrived: arrived.promise };
    },
    close: closer(server),
  };
}

/** The child's end: the SandboxFis port over the RPC, noting request ids and the audit step like an SDK adapter. */
export function remoteFis(url: string): SandboxFis {
  const call = async (method: string, args: unknown[]) => {
    if (FIS_CHANGES.has(method)) await beforeAwsChange();
    const from = process.env.REPLICA_ID;
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ method, args }), ...(from ? { headers: { 'x-lookout-replica': from } } : {}) });
    const body = (await res.json()) as { ok: boolean; value?: unknown; requestId?: string; code?: ErrorCode; message?: string };
    if (!body.ok) throw new LookoutError(body.code ?? 'internal', body.message ?? 'FIS stand-in failed');
    if (body.requestId) noteAwsRequestId({ $metadata: { requestId: body.requestId } });
    return body.value;
  };
  const methods: (keyof Experiments)[] = ['listTemplates', 'getTemplate', 'start', 'get', 'list', 'stop', 'tag', 'resolvedTargets'];
  const experiments = Object.fromEntries(methods.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as Experiments;
  return { experiments, forTarget: () => experiments, startCalls: () => 0, faults: () => [] };
}

export interface PromHold {
  arrived: Promise<string>;
}

export interface PromStandIn {
  url: string;
  /** Every query expression asked, in order. */
  queries: string[];
  /** Instant queries whose expression contains this return one series (a guard breach); others return `up` or nothing. */
  breach: Set<string>;
  hold(match: (query: string) => boolean): PromHold;
  close(): Promise<void>;
}

/** A Prometheus HTTP API: `up` has one series, any expression in `breach` has one, everything else none. */
export async function startPromStandIn(): Promise<PromStandIn> {
  const queries: string[] = [];
  const breach = new Set<string>();
  const holds: { match: (q: string) => boolean; arrived: ReturnType<typeof deferred<string>> }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://prom');
      const p = new URLSearchParams(body);
      const param = (k: string) => p.get(k) ?? u.searchParams.get(k) ?? '';
      const query = param('query');
      queries.push(query);
      const i = holds.findIndex((h) => h.match(query));
      if (i >= 0) return holds.splice(i, 1)[0]!.arrived.resolve(query);
      const metric = { __name__: 'up', job: 'crash' };
      let data: unknown;
      if (u.pathname.endsWith('/query_range')) {
        const [start, end, step] = [Number(param('start')), Number(param('end')), Math.max(1, Number(param('step')) || 60)];
        const values: [number, string][] = [];
        for (let t = start; t <= end && values.length < 200; t += step) values.push([t, '1']);
        data = { resultType: 'matrix', result: [{ metric, values }] };
      } else {
        const hit = query === 'up' || [...breach].some((b) => query.includes(b));
        data = { resultType: 'vector', result: hit ? [{ metric, value: [Number(param('time')) || Date.now() / 1000, '1'] }] : [] };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data }));
    });
  });
  return {
    url: await listen(server),
    queries,
    breach,
    hold(match) {
      const arrived = deferred<string>();
      holds.push({ match, arrived });
      return { arrived: arrived.promise };
    },
    close: closer(server),
  };
}
