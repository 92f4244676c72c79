import type { KnownBlock, ContextBlock, SectionBlock } from '@slack/types';
import { LIMITS, escapeText, truncate } from './text';

/** What every renderer returns: blocks plus the plain-text fallback Slack shows in notifications. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export type Block = KnownBlock;

export function section(mrkdwn: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) } };
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

/** Keeps a message within Slack's limits: at most 50 blocks, the last one saying how many were cut. */
export function capBlocks(blocks: KnownBlock[], what = 'items'): KnownBlock[] {
  if (blocks.length <= LIMITS.blocksPerMessage) return blocks;
  const kept = blocks.slice(0, LIMITS.blocksPerMessage - 1);
  return [...kept, context(`…and ${blocks.length - kept.length} more ${what} not shown.`)];
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
