import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The AWS request ids of the calls one invocation made that changed something, for its audit row (product.md
 * §10). Failures carry theirs on the LookoutError; successes are noted here by the adapter that made the call,
 * into the sink of whichever invocation is running (async context), so no port has to carry them.
 *
 * The sink also holds the invocation's "before a change" step: its audit row written as `pending` before the
 * first call that changes something, so a process killed between that call and the end of the command still
 * leaves a row naming the command and the person (the final write completes the same row).
 */
interface Sink {
  ids: string[];
  beforeChange?: () => Promise<void>;
  written?: Promise<void>;
}

const sink = new AsyncLocalStorage<Sink>();

/**
 * Runs `fn`; the request ids noted meanwhile (by it and anything it awaits) are appended to `ids`. `beforeChange`
 * runs once, awaited, before the first AWS call that changes something (none for a command that changes nothing).
 */
export function collectAwsRequestIds<T>(ids: string[], fn: () => Promise<T>, o: { beforeChange?: () => Promise<void> } = {}): Promise<T> {
  return sink.run({ ids, beforeChange: o.beforeChange }, fn);
}

/** Adapters: after a call that changed something, note its id (the SDK's `$metadata.requestId`). */
export function noteAwsRequestId(output: { $metadata?: { requestId?: string } } | undefined): void {
  const id = output?.$metadata?.requestId;
  const ids = sink.getStore()?.ids;
  if (id && ids && !ids.includes(id)) ids.push(id);
}

/**
 * Adapters: await before sending a call that changes something. Once per invocation: concurrent callers share the
 * one write. The invocation's step does not throw (a Stop is never held back because the audit could not be written).
 */
export function beforeAwsChange(): Promise<void> {
  const s = sink.getStore();
  if (!s?.beforeChange) return Promise.resolve();
  s.written ??= s.beforeChange();
  return s.written;
}

/** A call that changes something: its trace first, then the call, then its request id noted. */
export async function changeAws<T extends { $metadata?: { requestId?: string } } | undefined>(send: () => Promise<T>): Promise<T> {
  await beforeAwsChange();
  const out = await send();
  noteAwsRequestId(out);
  return out;
}
