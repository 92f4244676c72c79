/**
 * Text safety and Block Kit limits. Escaping of anything a user typed happens here and only here
 * (https://api.slack.com/reference/surfaces/formatting#escaping): `&`, `<`, `>` and nothing else.
 */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  messageText: 4000,
  /** Practical cumulative limit of block text per message (msg_blocks_too_long, bolt-js #2509). */
  totalBlockText: 11000,
} as const;

// The escaping rule and truncation live in src/text.ts (every layer uses them); views know them by these names.
export { escapeText, inlineCode as code, codeSafe, truncate } from '../text';
import { escapeText } from '../text';

/** Slack sends message text HTML-escaped; decode before parsing (never decode twice). */
export function decodeSlackEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}


/** Slack's localised date token: each reader sees their own time zone. */
export function slackDate(epochMs: number, format = '{date_short_pretty} {time}'): string {
  const secs = Math.floor(epochMs / 1000);
  const fallback = new Date(epochMs).toISOString().replace('.000Z', 'Z');
  return `<!date^${secs}^${format}|${fallback}>`;
}

/** A link whose label is user-influenced: label escaped, `|` removed so it cannot split the token. */
export function link(url: string, label: string): string {
  return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${escapeText(label).replace(/\|/g, '¦')}>`;
}

/** "a, b, c and N more" for long lists. */
export function listWithMore(items: string[], max: number, sep = ', '): string {
  if (items.length <= max) return items.join(sep);
  return `${items.slice(0, max).join(sep)} and ${items.length - max} more`;
}

/** Human duration: 850 ms, 12 s, 3 min, 2 h 5 min. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const rem = m % 60;
  return rem ? `${h} h ${rem} min` : `${h} h`;
}
