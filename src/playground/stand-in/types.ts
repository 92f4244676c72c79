/** Shapes shared by the Slack Web API stand-in, its model and the signed-request driver. */

/** A Block Kit block as it travels over the wire (parsed JSON; the stand-in checks only what Slack rejects). */
export type WireBlock = { type: string; block_id?: string; [key: string]: any };

export interface StandInTeam {
  id: string;
  domain: string;
  name: string;
}

export interface StandInBot {
  userId: string;
  botId: string;
  appId: string;
  name: string;
}

export interface StandInUser {
  id: string;
  name: string;
  realName?: string;
  tz?: string;
  isAdmin?: boolean;
}

export interface StandInChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Whether the bot is a member; defaults to true. */
  isMember?: boolean;
  isArchived?: boolean;
}

/** A file entry on a message, the subset of Slack's file object the app and the playground read. */
export interface MessageFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  size: number;
  url_private: string;
  permalink: string;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  /** Set on thread replies (and on a parent once it has replies, as Slack does). */
  threadTs?: string;
  /** Bot user id for the app's messages, the human's id otherwise. */
  user: string;
  botId?: string;
  text: string;
  blocks: WireBlock[];
  attachments?: Record<string, any>[];
  files?: MessageFile[];
  ephemeralTo?: string;
  edited?: boolean;
  deleted?: boolean;
}

export interface StoredFile {
  id: string;
  name: string;
  title: string;
  declaredLength: number;
  bytes?: Buffer;
  mimetype: string;
  urlPrivate: string;
}

export interface StoredView {
  id: string;
  type: 'modal' | 'home';
  /** The view JSON as the app sent it (title, blocks, callback_id, private_metadata…). */
  view: Record<string, any>;
  hash: string;
  user?: string;
  externalId?: string;
  rootViewId: string;
  previousViewId?: string;
}

/** One request the stand-in answered: a Web API method, `response_url` or `file_upload`. */
export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  token?: string;
  at: number;
  status: number;
  reply: unknown;
}

/** An HTTP-level reply (e.g. 429 with Retry-After) instead of a JSON body. */
export interface HttpReply {
  /** 0: the connection is reset without an answer (the client sees ECONNRESET / "fetch failed"). */
  status: number;
  retryAfter?: number;
  body?: unknown;
}

/** What `script()` accepts: a JSON body, an HTTP reply, or a function (returning undefined = answer normally). */
export type ScriptedReply =
  | Record<string, unknown>
  | HttpReply
  | ((args: Record<string, any>) => Record<string, unknown> | HttpReply | undefined | Promise<Record<string, unknown> | HttpReply | undefined>);

export type StandInChange =
  | { kind: 'message'; channel: string; message: StoredMessage }
  | { kind: 'view'; view: StoredView }
  | { kind: 'channel'; channel: StandInChannel }
  | { kind: 'reset' };

/** What a response_url is bound to when minted. */
export interface ResponseUrlBinding {
  channel: string;
  user: string;
  /** The message an action came from: what replace_original / delete_original touch. */
  messageTs?: string;
}
