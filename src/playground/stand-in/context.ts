import { checkBlocks } from './blocks';
import type { MessageModel } from './model';
import type { StandInBot, StandInChannel, StandInTeam, StandInUser, StoredMessage } from './types';

/** Everything a method handler may read: the model, the directory (team, bot, users, groups) and the base URL. */
export interface StandInContext {
  model: MessageModel;
  team: StandInTeam;
  bot: StandInBot;
  users: Map<string, StandInUser>;
  userGroups: Record<string, string[]>;
  appToken?: string;
  socketModeUrl?: string;
  baseUrl(): string;
  now(): number;
}

export type Reply = Record<string, unknown>;

export type MethodHandler = (args: Record<string, any>, call: { token?: string }) => Reply | Promise<Reply>;

/** Slack's `{ ok: false, error }` answer. */
export interface Failure {
  ok: false;
  error: string;
  [key: string]: unknown;
}

export const fail = (error: string, extra: Reply = {}): Failure => ({ ...extra, ok: false, error });

/** The channel the bot may post into, or Slack's error for it. */
export function postableChannel(ctx: StandInContext, id: unknown): StandInChannel | Failure {
  if (typeof id !== 'string' || id === '') return fail('channel_not_found');
  const channel = ctx.model.channel(id);
  if (!channel) return fail('channel_not_found');
  if (channel.isArchived) return fail('is_archived');
  if (!channel.isMember) return fail('not_in_channel');
  return channel;
}

export const isFailure = <T extends object>(value: T | Failure): value is Failure => (value as Failure).ok === false;

/** Message content from Web API arguments: text, blocks (checked like Slack), attachments. */
export function readContent(args: Record<string, any>): Pick<StoredMessage, 'text' | 'blocks' | 'attachments'> | Failure {
  const checked = checkBlocks(args.blocks);
  if (!checked.ok) return fail(checked.error, { response_metadata: { messages: checked.messages } });
  const attachments = Array.isArray(args.attachments) ? args.attachments : undefined;
  const text = typeof args.text === 'string' ? args.text : '';
  if (text === '' && checked.blocks.length === 0 && !attachments?.length) return fail('no_text');
  return { text, blocks: checked.blocks, ...(attachments ? { attachments } : {}) };
}

/** A stored message in the shape Slack returns it (`message` in chat.postMessage, history, action payloads). */
export function toWireMessage(ctx: StandInContext, m: StoredMessage): Reply {
  return {
    type: 'message',
    ...(m.user === ctx.bot.userId ? { subtype: 'bot_message', bot_id: ctx.bot.botId, app_id: ctx.bot.appId } : {}),
    user: m.user,
    team: ctx.team.id,
    text: m.text,
    blocks: m.blocks,
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.files ? { files: m.files } : {}),
    ts: m.ts,
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.edited ? { edited: { user: m.user, ts: m.ts } } : {}),
  };
}
