/**
 * `/reach` grammar (product.md §3): text (already entity-decoded) → a typed request or a usage error.
 * Pure and total: every input parses or yields `{ ok: false }`; nothing throws.
 */
import { Cron } from 'croner';
import type { Protocol, WatchSchedule } from '../reach/model';
import { isHelp, parseFlags, tokenize } from './tokenize';
import { CAPS, inputTooLong, quoteInput, tooLong, type UsageLine, type CommandGrammar } from './types';

export interface ReachScope {
  region?: string;
  account?: string;
}

export type ReachRequest =
  | (ReachScope & { kind: 'check'; source: string; destination: string; port?: number; protocol: Protocol })
  | (ReachScope & { kind: 'list' })
  | (ReachScope & { kind: 'watch'; pathId: string; every?: WatchSchedule })
  | (ReachScope & { kind: 'unwatch'; pathId: string })
  | (ReachScope & { kind: 'forget'; pathId: string })
  | { kind: 'help' };

/** `error` is plain text with backticks (views/feedback escapes them before they reach Slack). */
export type ReachParse = { ok: true; request: ReachRequest } | { ok: false; error: string };

const usageLine = (syntax: string, description: string, verb: 'reach' | 'reach:watch' = 'reach'): UsageLine => ({ syntax, description, verb });

export const REACH_USAGE: UsageLine[] = [
  usageLine('SOURCE -> DEST[:PORT][/tcp|/udp] [--region R] [--account A]', 'can SOURCE reach DEST, and if not, what blocks it'),
  usageLine('SOURCE to DEST port 5432 udp', 'the same, in words'),
  usageLine('list', 'paths Lookout manages, with their last result'),
  usageLine('watch PATH-ID|last [--every "CRON"]', 're-check on a schedule, post only when the answer changes', 'reach:watch'),
  usageLine('unwatch PATH-ID', 'stop watching a path', 'reach:watch'),
  usageLine('forget PATH-ID', 'delete a managed path and its analyses now'),
];

const SUBCOMMANDS = new Set(['list', 'watch', 'unwatch', 'forget']);
const ARROWS = ['->', '→', '=>'];
const PATH_ID = /^nip-[0-9a-f]{8,17}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

const fail = (error: string): ReachParse => ({ ok: false, error });

export function parseReach(text: string): ReachParse {
  try {
    return parseWords(text);
  } catch {
    // Belt and braces: the grammar is meant to be total, but a usage error beats an exception in Slack.
    return fail('that command could not be read');
  }
}

function parseWords(text: string): ReachParse {
  const long = inputTooLong(text);
  if (long) return fail(long);
  const tokens = tokenize(text);
  if (tokens.unclosedQuote) return fail(`a quote (${tokens.unclosedQuote}) is never closed`);
  const words = tokens.words;
  if (words.length === 0 || isHelp(words[0])) return { ok: true, request: { kind: 'help' } };
  if (words.some((w) => w === '--help')) return { ok: true, request: { kind: 'help' } };
  const flags = parseFlags(words, { values: ['region', 'account', 'every'] });
  if (!flags.ok) return fail(flags.error);
  const scope = parseScope(flags.flags);
  if (typeof scope === 'string') return fail(scope);
  const [first, ...rest] = flags.positional;
  const hasArrow = flags.positional.some((w) => ARROWS.some((a) => w.includes(a)));
  if (first !== undefined && SUBCOMMANDS.has(first.toLowerCase()) && !hasArrow) {
    return parseSubcommand(first.toLowerCase(), rest, flags.flags.every, scope);
  }
  if (flags.flags.every !== undefined) return fail('`--every` only goes with `/reach watch`');
  return parseCheck(flags.positional, scope);
}

function parseScope(flags: Record<string, string>): ReachScope | string {
  const scope: ReachScope = {};
  if (flags.region !== undefined) {
    if (!REGION.test(flags.region)) return `${quoteInput(flags.region)} is not an AWS region (e.g. us-east-1)`;
    scope.region = flags.region;
  }
  if (flags.account !== undefined) {
    if (!ACCOUNT.test(flags.account)) return `${quoteInput(flags.account)} is not an account name from the configuration`;
    scope.account = flags.account;
  }
  return scope;
}

function parseSubcommand(sub: string, args: string[], every: string | undefined, scope: ReachScope): ReachParse {
  if (sub === 'list') {
    if (args.length) return fail(`\`list\` takes no arguments (got ${quoteInput(args.join(' '))})`);
    if (every !== undefined) return fail('`--every` only goes with `/reach watch`');
    return { ok: true, request: { kind: 'list', ...scope } };
  }
  if (args.length !== 1) return fail(`\`${sub}\` takes one path id, e.g. \`/reach ${sub} nip-0123456789abcdef0\``);
  const id = args[0].toLowerCase();
  const isLast = sub === 'watch' && id === 'last';
  if (!isLast && !PATH_ID.test(id)) return fail(`${quoteInput(args[0])} is not a path id (\`nip-…\`, see \`/reach list\`)`);
  if (sub !== 'watch') {
    if (every !== undefined) return fail('`--every` only goes with `/reach watch`');
    return { ok: true, request: { kind: sub as 'unwatch' | 'forget', pathId: id, ...scope } };
  }
  if (every === undefined) return { ok: true, request: { kind: 'watch', pathId: id, ...scope } };
  const schedule = parseSchedule(every);
  if (typeof schedule === 'string') return fail(schedule);
  return { ok: true, request: { kind: 'watch', pathId: id, every: schedule, ...scope } };
}

/** A 5-field cron (or @hourly/@daily…), or a plain interval such as `30m`, `2h`, `1d`. */
export function parseSchedule(every: string): WatchSchedule | string {
  const trimmed = every.trim();
  if (trimmed.length > CAPS.cron) return tooLong('`--every`', CAPS.cron);
  const interval = /^(\d{1,4})\s*(m|min|h|d)$/i.exec(trimmed);
  if (interval) {
    const unit = interval[2].toLowerCase();
    const ms = Number(interval[1]) * (unit === 'd' ? 86_400_000 : unit === 'h' ? 3_600_000 : 60_000);
    if (ms <= 0) return '`--every` needs a positive interval';
    return { intervalMs: ms };
  }
  const fields = trimmed.split(/\s+/);
  const nickname = /^@(hourly|daily|weekly|monthly|yearly|annually|midnight)$/i.test(trimmed);
  if (!nickname && fields.length !== 5) {
    return `${quoteInput(every)} is not a 5-field cron expression (minute hour day month weekday), e.g. \`--every "*/30 * * * *"\``;
  }
  try {
    const cron = new Cron(trimmed, { paused: true, timezone: 'UTC' });
    if (!cron.nextRun()) return `${quoteInput(every)} never runs`;
  } catch (e) {
    return `${quoteInput(every)} is not a valid cron expression: ${(e as Error).message.replace(/`/g, '')}`;
  }
  return { cron: trimmed };
}

function parseCheck(words: string[], scope: ReachScope): ReachParse {
  const split = splitSourceDest(words);
  if (typeof split === 'string') return fail(split);
  const [source, destWords] = split;
  if (!source) return fail('the source is missing, e.g. `/reach web-1 -> db-1:5432`');
  if (destWords.length === 0 || destWords[0] === '') return fail('the destination is missing, e.g. `/reach web-1 -> db-1:5432`');
  if (source.length > CAPS.name) return fail(tooLong('the source', CAPS.name));
  if (destWords[0].length > CAPS.name + 10) return fail(tooLong('the destination', CAPS.name)); // + `:PORT/PROTO`
  if (IPV4.test(source)) return fail('the source must be a resource (instance, ENI, gateway…), not an IP address');
  if (/:\d+$/.test(source) && !source.startsWith('arn:')) return fail('the port goes on the destination: `SOURCE -> DEST:PORT`');
  const dest = parseDestination(destWords[0]);
  if (typeof dest === 'string') return fail(dest);
  if (dest.name.length > CAPS.name) return fail(tooLong('the destination', CAPS.name)); // the name alone, without a port
  const tail = parseTail(destWords.slice(1), dest.port, dest.protocol);
  if (typeof tail === 'string') return fail(tail);
  if (IPV4.test(dest.name) && !validIpv4(dest.name)) return fail(`${quoteInput(dest.name)} is not a valid IPv4 address`);
  const request: ReachRequest = { kind: 'check', source, destination: dest.name, protocol: tail.protocol ?? 'tcp', ...scope };
  if (tail.port !== undefined) request.port = tail.port;
  return { ok: true, request };
}

/** Finds the arrow (own word or glued: `a->b`, `a ->b`) or the word `to`; returns [source, words after it]. */
function splitSourceDest(words: string[]): [string, string[]] | string {
  for (let i = 0; i < words.length; i++) {
    const arrow = ARROWS.find((a) => words[i].includes(a));
    if (!arrow) continue;
    const at = words[i].indexOf(arrow);
    const before = [...words.slice(0, i), words[i].slice(0, at)].filter((w) => w !== '');
    const after = [words[i].slice(at + arrow.length), ...words.slice(i + 1)].filter((w) => w !== '');
    if (before.length > 1) return `expected one source before the arrow, got ${quoteInput(before.join(' '))}`;
    if (after.some((w) => ARROWS.some((a) => w.includes(a)))) return 'only one arrow, please: `/reach SOURCE -> DEST`';
    return [before[0] ?? '', after];
  }
  const to = words.findIndex((w, i) => i > 0 && w.toLowerCase() === 'to');
  if (to === 1) return [words[0], words.slice(2)];
  if (to > 1) return `expected one source before \`to\`, got ${quoteInput(words.slice(0, to).join(' '))}`;
  if (words.length === 1) return 'the destination is missing, e.g. `/reach web-1 -> db-1:5432`';
  return `could not find \`->\` or \`to\` between the source and the destination in ${quoteInput(words.join(' '))}`;
}

interface DestParts {
  name: string;
  port?: number;
  protocol?: Protocol;
}

function parseDestination(word: string): DestParts | string {
  let rest = word;
  let protocol: Protocol | undefined;
  const proto = /\/(tcp|udp)$/i.exec(rest);
  if (proto) {
    protocol = proto[1].toLowerCase() as Protocol;
    rest = rest.slice(0, -proto[0].length);
  }
  // ARNs are full of colons (arn:partition:service:region:account:resource); a port can only follow the resource.
  const colonsBeforePort = rest.startsWith('arn:') ? 6 : 1;
  const parts = rest.split(':');
  let port: number | undefined;
  if (parts.length > colonsBeforePort) {
    const p = parts.pop() as string;
    const parsed = parsePort(p);
    if (typeof parsed === 'string') return parsed;
    port = parsed;
    rest = parts.join(':');
  }
  if (!rest) return 'the destination is missing before the port';
  return { name: rest, port, protocol };
}

function parsePort(p: string): number | string {
  if (!/^\d{1,5}$/.test(p)) return `${quoteInput(p)} is not a port number`;
  const n = Number(p);
  if (n < 1 || n > 65535) return `port ${n} is out of range (1–65535)`;
  return n;
}

/** Word-form extras after the destination: `port 5432`, `on port 5432`, `tcp`, `udp`, `/udp`, `over udp`. */
function parseTail(words: string[], port: number | undefined, protocol: Protocol | undefined): { port?: number; protocol?: Protocol } | string {
  for (let i = 0; i < words.length; i++) {
    const w = words[i].toLowerCase();
    if (w === 'on' || w === 'over' || w === 'using') continue;
    if (w === 'port') {
      const p = words[++i];
      if (p === undefined) return '`port` needs a number, e.g. `port 5432`';
      const parsed = parsePort(p);
      if (typeof parsed === 'string') return parsed;
      if (port !== undefined && port !== parsed) return `two different ports given (${port} and ${parsed})`;
      port = parsed;
      continue;
    }
    const proto = /^\/?(tcp|udp)$/.exec(w);
    if (proto) {
      if (protocol !== undefined && protocol !== proto[1]) return 'two different protocols given';
      protocol = proto[1] as Protocol;
      continue;
    }
    return `unexpected ${quoteInput(words[i])} after the destination`;
  }
  return { port, protocol };
}

function validIpv4(s: string): boolean {
  const m = IPV4.exec(s);
  return !!m && m.slice(1).every((o) => Number(o) <= 255 && !(o.length > 1 && o.startsWith('0')));
}

export const REACH_COMMAND: CommandGrammar<ReachRequest> = { command: '/reach', usage: REACH_USAGE, parse: parseReach };
