import type { KnownBlock } from '@slack/types';
import { code, escapeText } from './text';
import { context, section, message, type SlackMessage } from './message';

/**
 * Messages about the request itself rather than its answer: usage errors, refusals, failures, "working…".
 * Parse errors and usage are plain text (with backticks) that may contain what the user typed: escaped here.
 */
export function renderUsageError(error: string, usage: string): SlackMessage {
  const text = `That didn't parse: ${escapeText(error)}.`;
  return message([section(`:warning: ${text}`), section(`*Usage*\n${escapeText(usage)}`)], text);
}

/** The reference id under a failure: the invocation's request id, which is also on its log lines and audit row. */
export function referenceNote(ref: string): KnownBlock {
  return context(`Reference ${code(ref)} — quote it when you ask for help; it matches Lookout's log.`);
}

/** A LookoutError shown to the person: its message (already safe mrkdwn), the hint, and a reference when useful. */
export function renderProblem(p: { message: string; hint?: string; ref?: string; icon?: string }): SlackMessage {
  const lines = [`${p.icon ?? ':warning:'} ${p.message}`];
  if (p.hint) lines.push(p.hint);
  const blocks: SlackMessage['blocks'] = [section(lines.join('\n'))];
  if (p.ref) blocks.push(referenceNote(p.ref));
  return message(blocks, p.message);
}

/** An unexpected failure: no detail from the exception reaches Slack, only the reference id. */
export function renderUnexpected(ref: string): SlackMessage {
  return renderProblem({
    message: 'Something went wrong on our side and the command did not finish.',
    hint: 'Try again in a minute; if it keeps failing, ask whoever runs Lookout to look up the reference below.',
    ref,
    icon: ':x:',
  });
}

export function renderRateLimited(scope: 'user' | 'channel', retryAfterMs: number, limit: number): SlackMessage {
  const secs = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const who = scope === 'user' ? 'You have' : 'This channel has';
  return renderProblem({
    message: `${who} run ${limit} commands in the last minute, which is Lookout's limit.`,
    hint: `Try again in ${secs} s. The limit stops loops and scripts from running up AWS costs (\`limits\` in lookout.yml).`,
    icon: ':hourglass:',
  });
}

export function renderWorking(what: string): SlackMessage {
  const text = `:hourglass_flowing_sand: ${escapeText(what)}…`;
  return message([context(text)]);
}
