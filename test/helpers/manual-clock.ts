import type { Clock } from '../../src/ports/clock';

/** A manual clock for tests: sleep() resolves when advance() moves time past its deadline. */
export class ManualClock implements Clock {
  private t: number;
  private waiters: { at: number; resolve: () => void }[] = [];
  constructor(start = Date.UTC(2026, 10, 29, 9, 0, 0)) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ at: this.t + ms, resolve });
    });
  }
  /** Moves time forward, waking sleepers in deadline order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.waiters.sort((a, b) => a.at - b.at);
      const next = this.waiters[0];
      if (!next || next.at > end) break;
      this.waiters.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
      for (let i = 0; i < 20; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.t = end;
  }
  get pending(): number {
    return this.waiters.length;
  }
}
