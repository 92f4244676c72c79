import { extname } from 'node:path';
import { permalink } from './chat-methods';
import { checkBlocks } from './blocks';
import { fail, isFailure, postableChannel } from './context';
import type { MethodHandler, StandInContext } from './context';
import type { UploadedPart } from './http';
import type { MessageFile, StoredFile } from './types';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
};

const mimeOf = (name: string) => MIME[extname(name).toLowerCase()] ?? 'application/octet-stream';

/**
 * files.uploadV2's three steps (slack-platform.md §5.3): getUploadURLExternal hands out an upload URL on this
 * server, the bytes are POSTed there, completeUploadExternal shares them into a channel as a message whose
 * file `url_private` is served back by this server.
 */
export function fileMethods(ctx: StandInContext): Record<string, MethodHandler> {
  const { model, bot } = ctx;

  const toMessageFile = (f: StoredFile, channel: string, ts: string): MessageFile => ({
    id: f.id,
    name: f.name,
    title: f.title,
    mimetype: f.mimetype,
    size: f.bytes?.length ?? 0,
    url_private: f.urlPrivate,
    permalink: permalink(ctx, channel, ts),
  });

  return {
    'files.getUploadURLExternal': (args) => {
      const length = Number(args.length);
      if (typeof args.filename !== 'string' || args.filename === '' || !Number.isInteger(length) || length < 0) {
        return fail('invalid_arguments');
      }
      const id = model.nextId('F');
      const name = args.filename;
      model.files.set(id, {
        id,
        name,
        title: name,
        declaredLength: length,
        mimetype: mimeOf(name),
        urlPrivate: `${ctx.baseUrl()}files/${id}/${encodeURIComponent(name)}`,
      });
      return { ok: true, upload_url: `${ctx.baseUrl()}upload/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (args) => {
      const entries: { id?: string; title?: string }[] = Array.isArray(args.files) ? args.files : [];
      if (entries.length === 0) return fail('invalid_arguments');
      const files = entries.map((e) => (e.id ? model.files.get(e.id) : undefined));
      if (files.some((f) => !f?.bytes)) return fail('file_not_found');
      const stored = files as StoredFile[];
      entries.forEach((e, i) => {
        if (e.title) stored[i].title = e.title;
      });
      if (args.channel_id === undefined || args.channel_id === '') {
        return { ok: true, files: stored.map((f) => ({ id: f.id, name: f.name, title: f.title, size: f.bytes?.length, url_private: f.urlPrivate })) };
      }
      const channel = postableChannel(ctx, args.channel_id);
      if (isFailure(channel)) return channel;
      const checked = checkBlocks(args.blocks);
      if (!checked.ok) return fail(checked.error, { response_metadata: { messages: checked.messages } });
      const threadTs = typeof args.thread_ts === 'string' && args.thread_ts !== '' ? args.thread_ts : undefined;
      const ts = model.nextTs();
      const message = model.add({
        ts,
        channel: channel.id,
        user: bot.userId,
        botId: bot.botId,
        text: typeof args.initial_comment === 'string' ? args.initial_comment : '',
        blocks: checked.blocks,
        files: stored.map((f) => toMessageFile(f, channel.id, ts)),
        ...(threadTs ? { threadTs } : {}),
      });
      const visibility = channel.isPrivate ? 'private' : 'public';
      return {
        ok: true,
        files: stored.map((f) => ({
          ...toMessageFile(f, channel.id, message.ts),
          user: bot.userId,
          channels: [channel.id],
          shares: { [visibility]: { [channel.id]: [{ ts: message.ts, ...(threadTs ? { thread_ts: threadTs } : {}) }] } },
        })),
      };
    },
  };
}

/** Stores uploaded bytes (multipart field `body` from WebClient, or a raw body); undefined when the id is unknown. */
export function storeUpload(ctx: StandInContext, fileId: string, args: Record<string, any> | Buffer): StoredFile | undefined {
  const file = ctx.model.files.get(fileId);
  if (!file) return undefined;
  if (Buffer.isBuffer(args)) {
    file.bytes = args;
  } else {
    const part = Object.values(args).find((v): v is UploadedPart => Buffer.isBuffer((v as UploadedPart)?.bytes));
    file.bytes = part ? part.bytes : Buffer.from(String(args.body ?? args.file ?? ''), 'utf8');
  }
  return file;
}
