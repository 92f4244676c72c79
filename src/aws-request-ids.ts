import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The AWS request ids of the calls one invocation made that changed something, for its audit row (product.md
 * §10). Failures carry theirs on the LookoutError; successes are noted here by the adapter that made the call,
 * into the sink of whichever invocation is running (async context), so no port has to carry them.
 */
const sink = new AsyncLocalStorage<string[]>();

/** Runs `fn`; the request ids noted meanwhile (by it and anything it awaits) are appended to `ids`. */
export function collectAwsRequestIds<T>(ids: string[], fn: () => Promise<T>): Promise<T> {
  return sink.run(ids, fn);
}

/** Adapters: after a call that changed something, note its id (the SDK's `$metadata.requestId`). */
export function noteAwsRequestId(output: { $metadata?: { requestId?: string } } | undefined): void {
  const id = output?.$metadata?.requestId;
  const ids = sink.getStore();
  if (id && ids && !ids.includes(id)) ids.push(id);
}
