/** Time is injected so pollers, expiries and schedules are testable without sleeping. */
export interface Clock {
  now(): number; // epoch milliseconds
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
