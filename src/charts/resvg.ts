import type * as Resvg from '@resvg/resvg-js';

/**
 * Loads resvg-js. Its loader tells glibc from musl with `process.report.getReport()`, and a diagnostic report, by
 * default, names the peer of every open socket: a reverse DNS lookup each, synchronously on the event loop. In a
 * replica under load (Slack, Postgres and AWS connections open) that blocked it for 5–10 s at the first chart:
 * every pending query then timed out on the pool, and an approved start was recorded failed. With the network
 * left out the report takes milliseconds; the setting is put back right after, for reports Node writes later.
 */
export function loadResvg(): typeof Resvg {
  // `excludeNetwork` is Node's (since 20.13 and 22.0); the @types/node in use predates it.
  const report = process.report as NodeJS.ProcessReport & { excludeNetwork: boolean };
  const before = report.excludeNetwork;
  report.excludeNetwork = true;
  try {
    return require('@resvg/resvg-js') as typeof Resvg;
  } finally {
    report.excludeNetwork = before;
  }
}
