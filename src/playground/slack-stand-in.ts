import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatMethods } from './stand-in/chat-methods';
import { toWireMessage } from './stand-in/context';
import type { MethodHandler, StandInContext } from './stand-in/context';
import { directoryMethods } from './stand-in/directory-methods';
import { fileMethods } from './stand-in/files';
import { createMessageModel } from './stand-in/model';
import { createRecorder } from './stand-in/recorder';
import type { CallMatcher, WaitOptions } from './stand-in/recorder';
import { createResponseUrls, responseUrlId } from './stand-in/response-urls';
import { createRequestHandler } from './stand-in/routes';
import type * as T from './stand-in/types';
import { viewMethods } from './stand-in/view-methods';

export type * from './stand-in/types';
export type { CallMatcher, WaitOptions } from './stand-in/recorder';

export interface SlackStandInOptions {
  port?: number;
  host?: string;
  /** When set, Web API calls must carry `Authorization: Bearer <botToken>` (else `invalid_auth`). */
  botToken?: string;
  /** App-level token accepted by apps.connections.open together with `socketModeUrl`. */
  appToken?: string;
  socketModeUrl?: string;
  team?: Partial<T.StandInTeam>;
  bot?: Partial<T.StandInBot>;
  users?: T.StandInUser[];
  /** Known channels; the first is the default. */
  channels?: T.StandInChannel[];
  /** Whether unlisted channel ids exist (public, bot a member). Defaults to true only when `channels` is omitted. */
  allowUnknownChannels?: boolean;
  userGroups?: Record<string, string[]>;
  /** Epoch ms; drives message ts, response_url expiry and trigger ids. */
  now?: () => number;
}

export interface SlackStandIn {
  apiUrl: string;
  baseUrl: string;
  team: T.StandInTeam;
  bot: T.StandInBot;
  defaultChannel: string;
  defaultUser: string;
  readonly calls: T.RecordedCall[];
  callsTo(method: string): T.RecordedCall[];
  waitFor(match: CallMatcher, opts?: number | WaitOptions): Promise<T.RecordedCall>;
  /** Overrides the next reply for a method (`times: Infinity` for every reply). */
  script(method: string, reply: T.ScriptedReply, opts?: { times?: number }): void;
  /** A fresh response URL; with `awaitAck`, posts to it wait until `settleAck` (the driver's commands use this). */
  responseUrl(binding: T.ResponseUrlBinding, opts?: { awaitAck?: boolean }): string;
  /** Shows a slash command's ack body as Slack does (without using up the URL) and releases posts waiting for it. */
  settleAck(responseUrl: string, payload?: Record<string, any>): void;
  /** Posts to a response URL still waiting for its ack. */
  heldResponses(responseUrl: string): number;
  issueTriggerId(user: string): string;
  /** A message typed by a human (mentions), so app replies thread under it. */
  postAsUser(m: { channel: string; user: string; text: string; threadTs?: string }): T.StoredMessage;
  user(id: string): T.StandInUser | undefined;
  channel(id: string): T.StandInChannel | undefined;
  /** Top-level messages in ts order, ephemeral ones included (see `ephemeralTo`), deleted ones left out. */
  messages(channel: string): T.StoredMessage[];
  /** The parent and its replies in ts order, deleted ones left out. */
  thread(channel: string, ts: string): T.StoredMessage[];
  /** The newest message in the channel, thread replies and ephemeral messages included, deleted ones left out. */
  lastMessage(channel: string): T.StoredMessage | undefined;
  /** Searches every message ever stored, deleted ones included (they carry `deleted: true`). */
  find(predicate: (m: T.StoredMessage) => boolean): T.StoredMessage | undefined;
  allMessages(): T.StoredMessage[];
  views(): T.StoredView[];
  /** The message as Slack would put it in a payload (`message` of block_actions). */
  wireMessage(m: T.StoredMessage): Record<string, unknown>;
  on(event: 'change', cb: (change: T.StandInChange) => void): void;
  on(event: 'call', cb: (call: T.RecordedCall) => void): void;
  off(event: 'change' | 'call', cb: (...args: any[]) => void): void;
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_USERS: T.StandInUser[] = [
  { id: 'U0ALICE01', name: 'alice', realName: 'Alice Example' },
  { id: 'U0BOB0001', name: 'bob', realName: 'Bob Example' },
];

/**
 * A loopback HTTP server answering the Slack Web API like Slack (slack-platform.md §4.5, §5, §8.2), keeping a
 * message model the tests and the playground read. It never contacts anything itself.
 */
export async function startSlackStandIn(opts: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const now = opts.now ?? Date.now;
  const channels = opts.channels ?? [{ id: 'C0GENERAL', name: 'general' }];
  const model = createMessageModel({ channels, allowUnknownChannels: opts.allowUnknownChannels ?? opts.channels === undefined, now });
  model.events.setMaxListeners(0);
  const recorder = createRecorder();
  const users = new Map((opts.users ?? DEFAULT_USERS).map((u) => [u.id, u]));
  let baseUrl = '';
  const ctx: StandInContext = {
    model,
    team: { id: 'T0LOOKOUT', domain: 'lookout-playground', name: 'Lookout Playground', ...opts.team },
    bot: { userId: 'UBOTLOOKOUT', botId: 'BBOTLOOKOUT', appId: 'A0LOOKOUT', name: 'lookout', ...opts.bot },
    users,
    userGroups: opts.userGroups ?? {},
    appToken: opts.appToken,
    socketModeUrl: opts.socketModeUrl,
    baseUrl: () => baseUrl,
    now,
  };
  const handlers: Record<string, MethodHandler> = {
    ...chatMethods(ctx),
    ...directoryMethods(ctx),
    ...viewMethods(ctx),
    ...fileMethods(ctx),
  };
  const responses = createResponseUrls(ctx);

  const server = createServer(
    createRequestHandler({
      ctx,
      handlers,
      recorder,
      responses,
      tokens: opts.botToken ? [opts.botToken, ...(opts.appToken ? [opts.appToken] : [])] : [],
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;

  const standIn: SlackStandIn = {
    apiUrl: `${baseUrl}api/`,
    baseUrl,
    team: ctx.team,
    bot: ctx.bot,
    defaultChannel: channels[0]?.id ?? 'C0GENERAL',
    defaultUser: [...users.keys()][0] ?? 'U0ALICE01',
    get calls() {
      return recorder.calls;
    },
    callsTo: recorder.callsTo,
    waitFor: recorder.waitFor,
    script: recorder.script,
    responseUrl: (binding, o) => responses.mint(binding, o),
    settleAck: (url, payload) => responses.settleAck(responseUrlId(url) ?? '', payload),
    heldResponses: (url) => responses.held(responseUrlId(url) ?? ''),
    issueTriggerId(user) {
      const id = `${Math.floor(now() / 1000)}.${model.nextId('')}.${randomBytes(8).toString('hex')}`;
      model.triggers.set(id, { user, used: false });
      return id;
    },
    postAsUser: (m) => model.add({ channel: m.channel, user: m.user, text: m.text, blocks: [], ...(m.threadTs ? { threadTs: m.threadTs } : {}) }),
    user: (id) => users.get(id),
    channel: (id) => model.channel(id),
    messages: model.messages,
    thread: model.thread,
    lastMessage: model.lastMessage,
    find: model.find,
    allMessages: model.all,
    views: () => [...model.views.values()],
    wireMessage: (m) => toWireMessage(ctx, m),
    on(event: 'change' | 'call', cb: (...args: any[]) => void) {
      (event === 'change' ? model.events : recorder.events).on(event, cb);
    },
    off(event, cb) {
      (event === 'change' ? model.events : recorder.events).off(event, cb);
    },
    reset() {
      recorder.reset();
      responses.reset();
      model.reset();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return standIn;
}
