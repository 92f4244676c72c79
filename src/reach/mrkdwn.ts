/**
 * Escaping for the LookoutError messages services build. Services may not import src/views (lint boundary), so
 * this mirrors views/text `escapeText`/`code` exactly: `&`, `<`, `>` escaped, backticks neutralised.
 */
import { escapeText } from '../text';
export const escapeMrkdwn = escapeText;

export function inlineCode(s: string): string {
  return '`' + escapeMrkdwn(s).replace(/`/g, 'ˋ') + '`';
}
