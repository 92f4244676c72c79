import type { SlackMessage } from '../../src/views/message';

/**
 * Every `<…>` token in the message's mrkdwn (`text` and blocks), to check that only the ones Lookout means to send
 * are live. `full` is left out: it is the plain-text file attached to a cut answer, never read as mrkdwn.
 */
export function liveTokens(m: SlackMessage): string[] {
  return [...JSON.stringify({ text: m.text, blocks: m.blocks }).matchAll(/<([^<>]*)>/g)].map((x) => x[1]);
}

/**
 * What the live tokens do, without the words in them: each mention, broadcast or channel link by its head
 * (`@U0ALICE`, `!channel`, `#C0…`), each link as `link`. A hostile string shown inertly leaves this list exactly as
 * a harmless one does: it adds no token, removes none and turns none into a mention or broadcast.
 */
export function tokenKinds(m: SlackMessage): string[] {
  return liveTokens(m).map((t) => (/^[!@#]/.test(t) ? t.split('|')[0] : 'link'));
}
