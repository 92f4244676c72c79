import type { KnownBlock, ContextBlock, SectionBlock } from '@slack/types';
import { LIMITS, code, decodeSlackEntities, escapeText, formatDuration, truncate } from './text';

declare const BUILT: unique symbol;

/**
 * What every renderer returns: blocks plus the `text` fallback Slack shows in notifications and previews. Only
 * `message()` makes one (the brand stops `{ text, blocks }` literals), so `text` is always escaped content.
 */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
  /** The whole answer as plain text when blocks had to be cut to fit (product.md §2: very long text goes in a file). */
  readonly full?: string;
  readonly [BUILT]: true;
}

/** Blocks that stand for more than they show (a cut section, "…and N more"): the full text behind each. */
const fullTextOf = new WeakMap<object, string>();

/** Marks a block as standing for `full`, what was cut to fit; a message with such a block carries its whole answer. */
export function standsFor<T extends KnownBlock>(block: T, full: string): T {
  fullTextOf.set(block, full);
  return block;
}

function plainOf(b: KnownBlock): string {
  const full = fullTextOf.get(b);
  if (full !== undefined) return full;
  if (b.type === 'header') return b.text.text;
  if (b.type === 'section') return [b.text?.text, ...(b.fields ?? []).map((f) => f.text)].filter(Boolean).join('\n');
  if (b.type === 'context') return b.elements.map((e) => ('text' in e ? e.text : '')).filter(Boolean).join(' · ');
  return '';
}

/** The whole answer (cut blocks expanded) as plain text, or undefined when nothing was cut. */
function fullAnswer(blocks: KnownBlock[]): string | undefined {
  if (!blocks.some((b) => fullTextOf.has(b))) return undefined;
  return decodeSlackEntities(blocks.map(plainOf).filter(Boolean).join('\n\n'));
}

function build(text: string, blocks: KnownBlock[]): SlackMessage {
  const full = fullAnswer(blocks);
  return { text, blocks, ...(full ? { full } : {}) } as unknown as SlackMessage;
}

export type Block = KnownBlock;

/** A piece of a message's notification text: plain words (escaped by `message()`) or a Slack id to mention. */
export type SummaryPart = string | { mention: string };

/** Ids as mentions, comma-separated, for a summary. */
export function mentionList(ids: string[]): SummaryPart[] {
  return ids.flatMap((id, i) => (i ? [', ', { mention: id }] : [{ mention: id }]));
}

/** Notifications show a line, not an essay. */
const SUMMARY_MAX = 500;

/**
 * The one way to build a message (design.md §3). `text` comes from `summary`, escaped here, or else from the first
 * header, section or context of the blocks (already escaped when they were built): no view can forget.
 */
export function message(blocks: KnownBlock[], summary?: string | SummaryPart[]): SlackMessage {
  const parts = typeof summary === 'string' ? [summary] : summary;
  const text = parts ? parts.map((p) => (typeof p === 'string' ? plain(p) : mention(p.mention))).join('') : textOfBlocks(blocks);
  return build(text || ' ', blocks);
}

/** The same message with blocks added at the end (the context line, a note); its text stays as it was. */
export function withBlocks(msg: SlackMessage, ...extra: KnownBlock[]): SlackMessage {
  return build(msg.text, [...msg.blocks, ...extra]);
}

/** Plain text, escaped whether or not the caller already did (decoding first makes escaping idempotent). */
function plain(s: string): string {
  return escapeText(truncate(decodeSlackEntities(s), SUMMARY_MAX));
}

/** Section and context mrkdwn was escaped when built (and may mention on purpose); plain text is escaped here. */
function textOfBlocks(blocks: KnownBlock[]): string {
  for (const b of blocks) {
    if (b.type === 'header') return plain(b.text.text);
    if (b.type === 'section' && b.text) return b.text.type === 'mrkdwn' ? truncate(b.text.text, SUMMARY_MAX) : plain(b.text.text);
    if (b.type === 'context') {
      const first = b.elements.find((e) => e.type === 'mrkdwn' || e.type === 'plain_text') as { type: string; text: string } | undefined;
      if (first) return first.type === 'mrkdwn' ? truncate(first.text, SUMMARY_MAX) : plain(first.text);
    }
  }
  return '';
}

/** A Slack user or user-group id as a mention; anything else (never a raw `<…>`) as inline code. */
export function mention(id: string): string {
  if (/^[UW][A-Z0-9]{2,20}$/.test(id)) return `<@${id}>`;
  if (/^S[A-Z0-9]{2,20}$/.test(id)) return `<!subteam^${id}>`;
  return code(id);
}

export function section(mrkdwn: string): SectionBlock {
  const block: SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) } };
  return mrkdwn.length > LIMITS.sectionText ? standsFor(block, mrkdwn) : block;
}

export function context(...mrkdwn: string[]): ContextBlock {
  return {
    type: 'context',
    elements: mrkdwn.slice(0, LIMITS.contextElements).map((t) => ({ type: 'mrkdwn', text: truncate(t, LIMITS.sectionText) })),
  };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

export const divider: KnownBlock = { type: 'divider' };

/** The context line on every result (product.md §2): who asked, account name and id, region, duration. */
export interface ResultContext {
  userId: string;
  account?: { name: string; id?: string };
  region?: string;
  durationMs?: number;
  extra?: string;
}

export function resultContextLine(c: ResultContext, formatDuration: (ms: number) => string): ContextBlock {
  const parts = [`Asked by <@${c.userId}>`];
  if (c.account) parts.push(`account *${escapeText(c.account.name)}*${c.account.id ? ` (${c.account.id})` : ''}`);
  if (c.region) parts.push(escapeText(c.region));
  if (c.durationMs !== undefined) parts.push(`took ${formatDuration(c.durationMs)}`);
  if (c.extra) parts.push(c.extra);
  return context(parts.join(' · '));
}

/** CloudShell in the right region (product.md §2 "Run it yourself"). */
export function cloudShellUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/cloudshell/home?region=${region}`;
}

/** "Run it yourself": the equivalent AWS CLI commands and a CloudShell link. `cli` is built by us, not typed by users. */
export function runItYourself(cli: string[], region: string): KnownBlock {
  const body = cli.map((c) => c.replace(/```/g, "'''")).join('\n');
  return section(
    truncate(`*Run it yourself* · <${cloudShellUrl(region)}|Open AWS CloudShell (${region})>\n\`\`\`${body}\`\`\``, LIMITS.sectionText),
  );
}

/** "Run it yourself" as data: the CLI lines (built by Lookout, never typed by users) and CloudShell's region. */
export interface CliHint {
  lines: string[];
  region: string;
}

/**
 * What a view gives back when its answer has parts only the final render places: the "Run it yourself" block and
 * where the data came from (appended to the context line). `finishAnswer` is the one place that adds both.
 */
export interface Rendered {
  message: SlackMessage;
  cli?: CliHint;
  /** e.g. 'AMP ws-… (us-east-1) · 1,234 samples processed' (already escaped). */
  source?: string;
}

/**
 * The answer as posted: the view's blocks, then the context line (when `ctx` is given: channel answers), then
 * "Run it yourself"; capped to Slack's 50 blocks as a whole.
 */
export function finishAnswer(r: SlackMessage | Rendered, ctx?: ResultContext): SlackMessage {
  const { message: msg, cli, source } = 'message' in r ? r : { message: r, cli: undefined, source: undefined };
  const tail: KnownBlock[] = [];
  if (ctx) tail.push(resultContextLine({ ...ctx, extra: [ctx.extra, source].filter(Boolean).join(' · ') || undefined }, formatDuration));
  if (cli) tail.push(runItYourself(cli.lines, cli.region));
  if (!tail.length) return msg;
  return build(msg.text, capBlocks([...msg.blocks, ...tail]));
}

/**
 * Lines packed into as few sections as fit: a section ends before it would pass `sectionMax` characters, and
 * lines stop when the next would pass `budget` in all. `shown` says how many made it, for an "…and N more".
 */
export function packLines(lines: string[], o: { sectionMax: number; budget: number; sep?: string }): { blocks: SectionBlock[]; shown: number } {
  const sep = o.sep ?? '\n';
  const blocks: SectionBlock[] = [];
  let current = '';
  let used = 0;
  let shown = 0;
  for (const line of lines) {
    if (used + line.length > o.budget) break;
    if (current && current.length + line.length + sep.length > o.sectionMax) {
      blocks.push(section(current));
      current = '';
    }
    current = current ? `${current}${sep}${line}` : line;
    used += line.length + sep.length;
    shown++;
  }
  if (current) blocks.push(section(current));
  return { blocks, shown };
}

/** Keeps a message within Slack's limits: at most 50 blocks, the last one saying how many were cut. */
export function capBlocks(blocks: KnownBlock[], what = 'items'): KnownBlock[] {
  if (blocks.length <= LIMITS.blocksPerMessage) return blocks;
  const kept = blocks.slice(0, LIMITS.blocksPerMessage - 1);
  const dropped = blocks.slice(kept.length).map(plainOf).join('\n\n');
  return [...kept, standsFor(context(`…and ${blocks.length - kept.length} more ${what} not shown.`), dropped)];
}

/**
 * The message as posted with its full answer attached: a last line says where the whole text is (replacing the
 * 50th block if need be).
 */
export function noteFullAnswerAttached(msg: SlackMessage, filename: string): SlackMessage {
  const note = context(`The answer was too long for one message: the whole of it is in ${code(filename)}, attached in the thread.`);
  const room = msg.blocks.length < LIMITS.blocksPerMessage ? msg.blocks : msg.blocks.slice(0, LIMITS.blocksPerMessage - 1);
  return build(msg.text, [...room, note]);
}

/** Total characters of text in a message's blocks, to check against LIMITS.totalBlockText. */
export function blockTextLength(blocks: KnownBlock[]): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') return;
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') n += x.length;
        else walk(x);
      }
    }
  };
  walk(blocks);
  return n;
}
