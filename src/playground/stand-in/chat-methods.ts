import { fail, isFailure, postableChannel, readContent, toWireMessage } from './context';
import type { MethodHandler, StandInContext } from './context';

/** A permalink served by the stand-in itself, in Slack's /archives/<channel>/p<ts without dot> shape. */
export function permalink(ctx: StandInContext, channel: string, ts: string, threadTs?: string): string {
  const base = `${ctx.baseUrl()}archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}

/** chat.* methods (slack-platform.md §5.1–5.2): the app may only change its own, non-ephemeral messages. */
export function chatMethods(ctx: StandInContext): Record<string, MethodHandler> {
  const { model, bot } = ctx;
  const own = (channel: unknown, ts: unknown) => {
    const m = typeof channel === 'string' && typeof ts === 'string' ? model.get(channel, ts) : undefined;
    return m && !m.deleted && !m.ephemeralTo ? m : undefined;
  };

  return {
    'chat.postMessage': (args) => {
      const channel = postableChannel(ctx, args.channel);
      if (isFailure(channel)) return channel;
      const content = readContent(args);
      if (isFailure(content)) return content;
      const threadTs = typeof args.thread_ts === 'string' && args.thread_ts !== '' ? args.thread_ts : undefined;
      const message = model.add({ channel: channel.id, user: bot.userId, botId: bot.botId, ...content, ...(threadTs ? { threadTs } : {}) });
      return { ok: true, channel: channel.id, ts: message.ts, message: toWireMessage(ctx, message) };
    },

    'chat.postEphemeral': (args) => {
      const channel = postableChannel(ctx, args.channel);
      if (isFailure(channel)) return channel;
      if (typeof args.user !== 'string' || args.user === '') return fail('user_not_found');
      const content = readContent(args);
      if (isFailure(content)) return content;
      const threadTs = typeof args.thread_ts === 'string' && args.thread_ts !== '' ? args.thread_ts : undefined;
      const message = model.add({ channel: channel.id, user: bot.userId, botId: bot.botId, ...content, ephemeralTo: args.user, ...(threadTs ? { threadTs } : {}) });
      return { ok: true, message_ts: message.ts };
    },

    'chat.update': (args) => {
      if (!model.channel(String(args.channel ?? ''))) return fail('channel_not_found');
      const existing = own(args.channel, args.ts);
      if (!existing) return fail('message_not_found');
      if (existing.user !== bot.userId) return fail('cant_update_message');
      // Omitted fields keep their previous value; an empty array removes blocks or attachments (Slack docs, chat.update).
      const content = readContent({ text: existing.text, blocks: existing.blocks, attachments: existing.attachments, ...args });
      if (isFailure(content)) return content;
      const updated = model.change(existing, { ...content, edited: true });
      return { ok: true, channel: updated.channel, ts: updated.ts, text: updated.text, message: toWireMessage(ctx, updated) };
    },

    'chat.delete': (args) => {
      if (!model.channel(String(args.channel ?? ''))) return fail('channel_not_found');
      const existing = own(args.channel, args.ts);
      if (!existing) return fail('message_not_found');
      if (existing.user !== bot.userId) return fail('cant_delete_message');
      model.change(existing, { deleted: true });
      return { ok: true, channel: existing.channel, ts: existing.ts };
    },

    'chat.getPermalink': (args) => {
      if (!model.channel(String(args.channel ?? ''))) return fail('channel_not_found');
      const existing = own(args.channel, args.message_ts);
      if (!existing) return fail('message_not_found');
      return { ok: true, channel: existing.channel, permalink: permalink(ctx, existing.channel, existing.ts, existing.threadTs) };
    },
  };
}
