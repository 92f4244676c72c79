import { escapeText } from '../text';
// Services build user-facing LookoutError messages but may not import views/ (lint boundary), so the two
// helpers they need live here, with the same rules as src/views/text.ts.

/** Escapes `&`, `<`, `>` so mentions, broadcasts and masked links in user or AWS text are inert. */
export const escapeMrkdwn = escapeText;

/** Text shown inline as code: escaped, backticks neutralised so it cannot close the span. */
export function inlineCode(s: string): string {
  return '`' + escapeMrkdwn(s).replace(/`/g, 'ˋ') + '`';
}
