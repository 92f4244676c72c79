import { textOf, type Bench } from './app';
import { eventually } from './fast-clock';

/** What the store-fault suites share (test/reliability/store-faults.test.ts, postgres-restart.test.ts). */
export const CHANNEL = 'C0STOREF1';
export const ALICE = 'U0ALICE01';
export const yaml = 'channels:\n  default: { allow: ["*"] }\nlimits: { perUserPerMinute: 100000, perChannelPerMinute: 100000 }\n';
/** Driver or database text that must never reach a person. */
export const RAW = /ECONN|SQLITE_|Connection terminated|terminating connection|database is locked|database or disk is full|pg:|at .*\.js/;
export const ADDED = /`(r-[a-z0-9]+)` added/;
export const UNREACHABLE = /Lookout cannot reach its database right now/;

export const readyz = async (bench: Bench) => (await fetch(`${bench.app.url}/readyz`)).status;

/** Sends a command and waits for the answer posted after `since` (a reply in the channel or an ephemeral one). */
export async function answer(bench: Bench, cmd: string, text: string): Promise<string> {
  const since = bench.slack.calls.length;
  const ack = await bench.driver.command(cmd, text, { user: ALICE, channel: CHANNEL });
  expect(ack.status).toBe(200);
  const reply = await eventually(() => bench.slack.calls.slice(since).find((c) => c.method === 'response_url' || (c.method === 'chat.postMessage' && c.args.channel === CHANNEL)), 30_000).catch((err) => {
    console.log(JSON.stringify(bench.slack.calls.slice(since).map((c) => [c.method, textOf(c.args).slice(0, 300)])));
    throw err;
  });
  return textOf(reply.args);
}

/** `n` `/report add` commands paced `everyMs` apart (as a busy channel sends them); resolves with every answer. */
export function burst(bench: Bench, n: number, everyMs = 10): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => new Promise((r) => setTimeout(r, i * everyMs)).then(() => answer(bench, '/report', `add "${i % 60} 9 * * *" -- /metrics up`))));
}
