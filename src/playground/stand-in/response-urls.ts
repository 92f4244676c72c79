import { checkBlocks } from './blocks';
import type { StandInContext } from './context';
import { isTrue } from './http';
import type { ResponseUrlBinding, StoredMessage } from './types';

/** A response_url works 5 times within 30 minutes (slack-platform.md §1.3). */
const MAX_USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;

export interface ResponseOutcome {
  status: number;
  body: Record<string, unknown>;
}

export interface ResponseUrls {
  /** `awaitAck`: posts wait until `settleAck` (a command's ack is on screen before its follow-ups, as in Slack). */
  mint(binding: ResponseUrlBinding, opts?: { awaitAck?: boolean }): string;
  /** Applies a POSTed response payload once the URL's ack (if awaited) is settled. */
  post(id: string, payload: Record<string, any>): Promise<ResponseOutcome>;
  /** Shows a command's ack body (when there is one) without using up the URL, and releases waiting posts. */
  settleAck(id: string, payload?: Record<string, any>): void;
  /** How many posts to the URL are waiting for its ack (tests wait for this instead of for time). */
  held(id: string): number;
  reset(): void;
}

interface Entry {
  binding: ResponseUrlBinding;
  uses: number;
  createdAt: number;
  ackGate?: Promise<void>;
  openGate?: () => void;
  held: number;
}

/** A driver that never settles its ack must not block response URLs forever. */
const ACK_GATE_MS = 5000;

/** The id in a URL minted by this registry, or undefined. */
export function responseUrlId(url: string): string | undefined {
  return /\/response\/([^/?#]+)$/.exec(url)?.[1];
}

/**
 * Response URLs applied to the model like Slack does: ephemeral to the invoking user by default, `in_channel`
 * posts a message, `replace_original` / `delete_original` act on the message the URL is bound to. A command's URL
 * becomes bound to the first message it produced, so a later replace_original edits that "Working…" notice.
 */
export function createResponseUrls(ctx: StandInContext): ResponseUrls {
  const { model, bot } = ctx;
  const entries = new Map<string, Entry>();

  const content = (payload: Record<string, any>) => {
    const checked = checkBlocks(payload.blocks);
    if (!checked.ok) return { error: checked.error };
    const text = typeof payload.text === 'string' ? payload.text : '';
    const attachments = Array.isArray(payload.attachments) ? payload.attachments : undefined;
    if (text === '' && checked.blocks.length === 0 && !attachments?.length) return { error: 'no_text' };
    return { text, blocks: checked.blocks, ...(attachments ? { attachments } : {}) };
  };

  const postMessage = (entry: Entry, c: Pick<StoredMessage, 'text' | 'blocks'>, inChannel: boolean, threadTs: unknown) => {
    const { channel, user } = entry.binding;
    const message = model.add({
      channel,
      user: bot.userId,
      botId: bot.botId,
      ...c,
      ...(inChannel ? {} : { ephemeralTo: user }),
      ...(typeof threadTs === 'string' && threadTs !== '' ? { threadTs } : {}),
    });
    entry.binding.messageTs ??= message.ts;
  };

  const apply = (id: string, payload: Record<string, any>, opts: { countUse?: boolean } = {}): ResponseOutcome => {
    const entry = entries.get(id);
    if (!entry || ctx.now() - entry.createdAt > LIFETIME_MS) return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (opts.countUse !== false) {
      if (entry.uses >= MAX_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
      entry.uses += 1;
    }
    const { channel, messageTs } = entry.binding;
    const original = messageTs ? model.get(channel, messageTs) : undefined;
    const live = original && !original.deleted ? original : undefined;
    if (isTrue(payload.delete_original)) {
      if (live) model.change(live, { deleted: true });
      return { status: 200, body: { ok: true } };
    }
    const c = content(payload);
    if ('error' in c) return { status: 400, body: { ok: false, error: c.error } };
    const inChannel = payload.response_type === 'in_channel';
    if (isTrue(payload.replace_original) && live) {
      if (!(inChannel && live.ephemeralTo)) {
        model.change(live, { ...c, edited: true });
        return { status: 200, body: { ok: true } };
      }
      // An ephemeral notice replaced by an in_channel reply: the notice goes away and the reply is posted.
      model.change(live, { deleted: true });
      entry.binding.messageTs = undefined;
    }
    postMessage(entry, c, inChannel, payload.thread_ts);
    return { status: 200, body: { ok: true } };
  };

  return {
    mint(binding, opts = {}) {
      const id = model.nextId('R');
      const entry: Entry = { binding: { ...binding }, uses: 0, createdAt: ctx.now(), held: 0 };
      if (opts.awaitAck) {
        entry.ackGate = new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ACK_GATE_MS);
          timer.unref();
          entry.openGate = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      entries.set(id, entry);
      return `${ctx.baseUrl()}response/${id}`;
    },

    async post(id, payload) {
      const entry = entries.get(id);
      if (entry?.ackGate) {
        entry.held++;
        await entry.ackGate.finally(() => entry.held--);
      }
      return apply(id, payload);
    },

    held: (id) => entries.get(id)?.held ?? 0,

    settleAck(id, payload) {
      if (payload) apply(id, payload, { countUse: false });
      entries.get(id)?.openGate?.();
    },

    reset() {
      for (const entry of entries.values()) entry.openGate?.();
      entries.clear();
    },
  };
}
