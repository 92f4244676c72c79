import { EventEmitter } from 'node:events';
import type { StandInChange, StandInChannel, StoredFile, StoredMessage, StoredView } from './types';

/**
 * The stand-in's picture of the workspace: channels (with the bot's membership), messages in ts order, views,
 * uploaded files and issued trigger ids. Every change is announced on `events` ('change') so the playground
 * can stream it.
 */
export interface MessageModel {
  events: EventEmitter;
  views: Map<string, StoredView>;
  files: Map<string, StoredFile>;
  triggers: Map<string, { user: string; used: boolean }>;
  /** The channel, created on first sight when unknown channels are allowed; undefined = channel_not_found. */
  channel(id: string): StandInChannel | undefined;
  channels(): StandInChannel[];
  setMember(id: string, isMember: boolean): void;
  nextTs(): string;
  nextId(prefix: string): string;
  add(message: Omit<StoredMessage, 'ts'> & { ts?: string }): StoredMessage;
  /** Applies a change to a stored message and announces it. */
  change(message: StoredMessage, patch: Partial<StoredMessage>): StoredMessage;
  get(channel: string, ts: string): StoredMessage | undefined;
  messages(channel: string): StoredMessage[];
  thread(channel: string, ts: string): StoredMessage[];
  lastMessage(channel: string): StoredMessage | undefined;
  find(predicate: (m: StoredMessage) => boolean): StoredMessage | undefined;
  all(): StoredMessage[];
  emitView(view: StoredView): void;
  reset(): void;
}

export interface ModelOptions {
  channels: StandInChannel[];
  allowUnknownChannels: boolean;
  now: () => number;
}

/** Formats microseconds since the epoch as a Slack ts ("1764400000.000100"). */
export function formatTs(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

export function createMessageModel(opts: ModelOptions): MessageModel {
  const events = new EventEmitter();
  const channelMap = new Map<string, StandInChannel>();
  let list: StoredMessage[] = [];
  let lastMicros = 0;
  let idCounter = 0;
  const views = new Map<string, StoredView>();
  const files = new Map<string, StoredFile>();
  const triggers = new Map<string, { user: string; used: boolean }>();

  const loadChannels = () => {
    channelMap.clear();
    for (const c of opts.channels) channelMap.set(c.id, { isMember: true, isPrivate: false, isArchived: false, ...c });
  };
  loadChannels();

  const visible = (m: StoredMessage) => !m.deleted;
  const emit = (change: StandInChange) => events.emit('change', change);

  const model: MessageModel = {
    events,
    views,
    files,
    triggers,
    channel(id) {
      const known = channelMap.get(id);
      if (known || !opts.allowUnknownChannels || !/^[CGD][A-Z0-9]+$/.test(id)) return known;
      // Open world: any well-formed id is a public channel the bot is in (G… = legacy private group).
      const created: StandInChannel = { id, name: id.toLowerCase(), isPrivate: id.startsWith('G'), isMember: true, isArchived: false };
      channelMap.set(id, created);
      return created;
    },
    channels: () => [...channelMap.values()],
    setMember(id, isMember) {
      const c = model.channel(id);
      if (!c) return;
      c.isMember = isMember;
      emit({ kind: 'channel', channel: c });
    },
    nextTs() {
      lastMicros = Math.max(lastMicros + 100, Math.floor(opts.now() * 1000));
      return formatTs(lastMicros);
    },
    nextId(prefix) {
      idCounter += 1;
      return `${prefix}${String(idCounter).padStart(8, '0')}`;
    },
    add(input) {
      const message: StoredMessage = { ...input, ts: input.ts ?? model.nextTs() };
      list.push(message);
      if (message.threadTs && message.threadTs !== message.ts) {
        const parent = model.get(message.channel, message.threadTs);
        if (parent && !parent.threadTs) model.change(parent, { threadTs: parent.ts });
      }
      emit({ kind: 'message', channel: message.channel, message });
      return message;
    },
    change(message, patch) {
      Object.assign(message, patch);
      emit({ kind: 'message', channel: message.channel, message });
      return message;
    },
    get: (channel, ts) => list.find((m) => m.channel === channel && m.ts === ts),
    messages: (channel) => list.filter((m) => m.channel === channel && visible(m) && (!m.threadTs || m.threadTs === m.ts)),
    thread: (channel, ts) => list.filter((m) => m.channel === channel && visible(m) && (m.ts === ts || m.threadTs === ts)),
    lastMessage(channel) {
      const inChannel = list.filter((m) => m.channel === channel && visible(m));
      return inChannel[inChannel.length - 1];
    },
    find: (predicate) => list.find(predicate),
    all: () => [...list],
    emitView: (view) => emit({ kind: 'view', view }),
    reset() {
      list = [];
      views.clear();
      files.clear();
      triggers.clear();
      loadChannels();
      emit({ kind: 'reset' });
    },
  };
  return model;
}
