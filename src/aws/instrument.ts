import { classifyFailure } from '../failures';

/** One AWS SDK call, for /metrics (product.md §10: AWS call latency and errors). */
export interface AwsCall {
  service: string;
  operation: string;
  outcome: string; // 'ok' or the failure kind of src/failures.ts (throttled, expired, unreachable, …): low cardinality
  seconds: number;
}

export type AwsCallObserver = (call: AwsCall) => void;

interface Instrumentable {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
}

/**
 * Times every command a client sends, retries included, with the outcome classified once (src/failures.ts).
 * A no-op without an observer, so adapters and their tests need nothing.
 */
export function instrument<C>(client: C, service: string, observe?: AwsCallObserver): C {
  if (!observe) return client;
  const middleware = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
    try {
      const out = await next(args);
      observe({ service, operation, outcome: 'ok', seconds: seconds() });
      return out;
    } catch (err) {
      observe({ service, operation, outcome: classifyFailure(err), seconds: seconds() });
      throw err;
    }
  };
  (client as unknown as Instrumentable).middlewareStack.add(middleware, { step: 'initialize', name: 'lookoutCallMetrics' });
  return client;
}
