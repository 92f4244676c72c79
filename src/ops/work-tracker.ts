/**
 * Tracks work that runs after Slack was acknowledged, so SIGTERM can stop taking new work and wait for what is in
 * flight before the store closes.
 */
export interface WorkTracker {
  readonly draining: boolean;
  readonly inFlight: number;
  track<T>(work: Promise<T>): Promise<T>;
  /** Stops accepting and resolves when everything tracked has settled, or after `timeoutMs` (returns false then). */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createWorkTracker(): WorkTracker {
  const pending = new Set<Promise<unknown>>();
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return pending.size;
    },
    track(work) {
      // The tracker's own copy settles quietly: a rejection is the caller's to handle on the promise returned, and
      // the copy must not become a second, unhandled one (it did, for a failed Slack post of a chaos event).
      const p: Promise<unknown> = work.then(
        () => pending.delete(p),
        () => pending.delete(p),
      );
      pending.add(p);
      return work;
    },
    async drain(timeoutMs) {
      draining = true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
      const done = (async () => {
        while (pending.size) await Promise.allSettled([...pending]);
        return true as const;
      })();
      const result = await Promise.race([done, timeout]);
      clearTimeout(timer);
      return result;
    },
  };
}
