/**
 * Escaping for the LookoutError messages services build. Services may not import src/views (lint boundary), so
 * this mirrors views/text `escapeText`/`code` exactly: `&`, `<`, `>` escaped, backticks neutralised.
 */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function inlineCode(s: string): string {
  return '`' + escapeMrkdwn(s).replace(/`/g, 'ˋ') + '`';
}
