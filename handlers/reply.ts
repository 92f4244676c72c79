import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { LookoutError, EXPECTED_CODES, isLookoutError } from '../src/errors';
import { renderProblem, renderUnexpected } from '../src/views/feedback';
import { noteFullAnswerAttached, type SlackMessage } from '../src/views/message';
import type { AuditEntry } from '../src/ports/store';
import type { Invocation, MessageRef, Replier, UploadFile } from './types';
import { DEFAULT_OUTBOUND } from '../src/outbound';
import { postToResponseUrl } from '../src/ops/response-url';
import { slackPostRefusal } from '../src/ops/slack-gate';

const FULL_ANSWER_FILE = 'answer.txt';

/** Posts for one invocation. Joins public channels when needed; ephemeral replies use the response URL when there is one. */
export function createReplier(
  client: WebClient,
  inv: Pick<Invocation, 'channelId' | 'userId' | 'threadTs' | 'responseUrl' | 'message'>,
  opts: { responseUrlTimeoutMs?: number } = {},
): Replier {
  let primary: MessageRef | undefined = inv.message;
  const post = async (msg: SlackMessage, threadTs?: string): Promise<MessageRef> => {
    const args = { channel: inv.channelId, text: msg.text, blocks: msg.blocks, thread_ts: threadTs ?? inv.threadTs, unfurl_links: false, unfurl_media: false };
    const res = await inChannel(client, inv.channelId, () => client.chat.postMessage(args));
    return { channel: res.channel as string, ts: res.ts as string };
  };
  const upload = async (file: UploadFile, opts?: { threadTs?: string; comment?: string }): Promise<void> => {
    const threadTs = opts?.threadTs ?? inv.threadTs;
    const args = {
      channel_id: inv.channelId,
      file: file.data,
      filename: file.filename,
      title: file.title,
      alt_text: file.altText,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(opts?.comment ? { initial_comment: opts.comment } : {}),
    };
    // completeUploadExternal shares the file into the channel: it needs membership exactly like chat.postMessage.
    await inChannel(client, inv.channelId, () => client.files.uploadV2(args as Parameters<WebClient['files']['uploadV2']>[0]));
  };
  return {
    get primary() {
      return primary;
    },
    async post(msg, opts) {
      if (!msg.full) {
        const ref = await post(msg, opts?.threadTs);
        primary ??= ref;
        return ref;
      }
      // Too long for one message (product.md §2): post what fits, then the whole answer as a file in its thread.
      const ref = await post(noteFullAnswerAttached(msg, FULL_ANSWER_FILE), opts?.threadTs);
      primary ??= ref;
      const threadTs = opts?.threadTs ?? inv.threadTs ?? ref.ts;
      await upload({ filename: FULL_ANSWER_FILE, data: Buffer.from(msg.full, 'utf8'), title: 'The full answer' }, { threadTs });
      return ref;
    },
    async update(ref, msg) {
      await client.chat.update({ channel: ref.channel, ts: ref.ts, text: msg.text, blocks: msg.blocks });
    },
    async ephemeral(msg) {
      if (inv.responseUrl) {
        // Used exactly as Slack sent it (product.md: response URLs are not rewritten).
        // Bounded like every outbound call, never retried (the reply may have been shown), its body never read.
        const res = await postToResponseUrl(inv.responseUrl, ephemeralBody(msg), opts.responseUrlTimeoutMs ?? DEFAULT_OUTBOUND.slack.responseUrlMs).catch((err: unknown) => {
          throw refused(new LookoutError('upstream', 'Slack did not take the reply in time.', { cause: err }));
        });
        if (!res.ok) throw refused(new LookoutError('upstream', 'Slack refused the reply.', { cause: new Error(`response_url answered ${res.status}`) }));
        return;
      }
      await client.chat.postEphemeral({ channel: inv.channelId, user: inv.userId, text: msg.text, blocks: msg.blocks, thread_ts: inv.threadTs });
    },
    upload,
  };
}

const ephemeralBodies = new WeakMap<SlackMessage, Buffer>();

/**
 * The response URL body of an ephemeral answer. A message handed out frozen (help, rendered once per input and
 * shared) is serialized once: JSON.stringify of the help listing was ~8 µs of every `/lookout help`.
 */
export function ephemeralBody(msg: SlackMessage): Buffer | object {
  const payload = { response_type: 'ephemeral', replace_original: false, text: msg.text, blocks: msg.blocks };
  if (!Object.isFrozen(msg) || !Object.isFrozen(msg.blocks)) return payload;
  let body = ephemeralBodies.get(msg);
  if (!body) ephemeralBodies.set(msg, (body = Buffer.from(JSON.stringify(payload), 'utf8')));
  return body;
}

/**
 * Runs a call that posts into the channel; when Slack answers that Lookout is not a member, joins (public) or
 * explains how to invite it (private), then tries once more. Messages and file shares both go through here.
 */
async function inChannel<T>(client: WebClient, channel: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const refusal = slackPostRefusal(err); // rate-limited or dropped for this channel: say so, no second try
    if (refusal) throw refusal;
    if (slackError(err) === 'is_archived') {
      throw new LookoutError('forbidden', "This channel is archived, so I can't post the answer here.", { hint: 'Run the command in a channel that is not archived.', cause: err });
    }
    if (slackError(err) !== 'not_in_channel' && slackError(err) !== 'channel_not_found') throw err;
    await joinOrExplain(client, channel);
    return call();
  }
}

/** Lookout is not in the channel: join a public one; explain how to invite it to a private one. */
async function joinOrExplain(client: WebClient, channel: string): Promise<void> {
  const info = await client.conversations.info({ channel }).catch(() => undefined);
  const ch = info?.channel as { is_private?: boolean; is_im?: boolean; is_mpim?: boolean } | undefined;
  if (ch && !ch.is_private && !ch.is_im && !ch.is_mpim) {
    await client.conversations.join({ channel });
    return;
  }
  throw new LookoutError('forbidden', "I'm not a member of this channel, so I can't post the answer here.", {
    hint: 'Invite me with `/invite @Lookout` (or add the app in the channel details), then run the command again.',
  });
}

/** Replies Slack refused or never took (the response URL answered an error, or failed): no way is left to tell the person. */
const refusedReplies = new WeakSet<object>();
function refused(err: LookoutError): LookoutError {
  refusedReplies.add(err);
  return err;
}

export function slackError(err: unknown): string | undefined {
  return (err as { data?: { error?: string } })?.data?.error;
}

export interface FailureReport {
  outcome: AuditEntry['outcome'];
  detail: string;
  requestIds: string[];
}

/**
 * The one error wrapper: turns any failure into a user-safe message (plus a reference id that matches the log
 * line), shown privately, and written over the channel message the invocation had already posted, if any.
 */
export async function replyWithError(err: unknown, reply: Replier, ref: string, logger: Logger): Promise<FailureReport> {
  const known = isLookoutError(err) ? err : undefined;
  if (known && refusedReplies.has(known)) {
    // Posting the error to the URL that just refused would fail the same way (an expired URL, a 429): one log
    // line without a stack (the cause says which status), and no second post.
    logger.warn({ ref, cause: (known.cause as Error).message }, 'Slack refused the reply; the user was not told');
    return { outcome: 'error', detail: 'upstream', requestIds: [] };
  }
  const expected = known !== undefined && EXPECTED_CODES.has(known.code);
  if (expected) logger.info({ code: known.code, ref }, 'command refused or failed as expected');
  else logger.error({ err, ref, code: known?.code ?? 'internal' }, 'command failed');
  const message = known && known.code !== 'internal' ? renderProblem({ message: known.message, hint: known.hint, ref: expected ? undefined : ref }) : renderUnexpected(ref);
  // A failure of something already visible in the channel is shown there too; refusals stay private.
  const shown = reply.primary && !expected ? renderProblem({ message: known && known.code !== 'internal' ? known.message : 'This did not finish: something went wrong.', hint: known?.hint, ref, icon: ':x:' }) : undefined;
  try {
    if (reply.primary && shown) await reply.update(reply.primary, shown);
    else await reply.ephemeral(message);
  } catch (replyErr) {
    logger.warn({ err: replyErr, ref }, 'could not tell the user about a failure');
  }
  const outcome: AuditEntry['outcome'] = known?.code === 'usage' ? 'usage' : known?.code === 'forbidden' ? 'denied' : known?.code === 'rate_limited' ? 'rate_limited' : 'error';
  return { outcome, detail: known?.code ?? 'internal', requestIds: known?.requestIds ?? [] };
}
