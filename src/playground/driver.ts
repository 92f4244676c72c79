import { createHmac, randomBytes } from 'node:crypto';
import { escapeText } from '../views/text';
import { buildBlockActions, buildCommandFields, buildMentionEnvelope } from './driver-payloads';
import type { PayloadContext } from './driver-payloads';
import type { SlackStandIn, StoredMessage } from './slack-stand-in';

/** Slack's request signature (slack-platform.md §3.1): `v0=` + hex HMAC-SHA256 of `v0:<ts>:<raw body>`. */
export function signSlackRequest(secret: string, body: string, tsSeconds: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${tsSeconds}:${body}`).digest('hex')}`;
}

export function slackSignatureHeaders(secret: string, body: string, tsSeconds: number): Record<string, string> {
  return { 'x-slack-request-timestamp': String(tsSeconds), 'x-slack-signature': signSlackRequest(secret, body, tsSeconds) };
}

/** Bolt only treats a body as a form with exactly this content type (slack-platform.md §0.3). */
const FORM = 'application/x-www-form-urlencoded';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface SlackDriverOptions {
  appUrl: string;
  signingSecret: string;
  standIn: SlackStandIn;
  teamId?: string;
  defaultUser?: string;
  defaultChannel?: string;
  /** Epoch ms for signature timestamps, event_time and action_ts. */
  now?: () => number;
}

export interface DriverResponse {
  status: number;
  body: string;
  /** The body parsed as JSON when it is JSON. */
  json?: unknown;
}

export interface RawOptions {
  contentType: string;
  /** Seconds; `null` leaves the header out. */
  timestamp?: number | null;
  /** `null` leaves the header out; default = a correct signature made with `secret`. */
  signature?: string | null;
  /** Signs with this secret instead of the app's (forged requests). */
  secret?: string;
  headers?: Record<string, string>;
}

export interface SlackDriver {
  command(command: string, text: string, opts?: { user?: string; channel?: string }): Promise<DriverResponse & { responseUrl: string; triggerId: string }>;
  action(message: StoredMessage, actionId: string, opts?: { user?: string; value?: string }): Promise<DriverResponse & { responseUrl: string; payload: Record<string, unknown> }>;
  mention(
    text: string,
    opts?: { user?: string; channel?: string; threadTs?: string; eventId?: string; retryNum?: number; retryReason?: string },
  ): Promise<DriverResponse & { ts: string; eventId: string }>;
  raw(body: string, opts: RawOptions): Promise<DriverResponse>;
}

/** Sends correctly signed Slack requests (commands, button clicks, mentions) to the real app over loopback HTTP. */
export function createSlackDriver(opts: SlackDriverOptions): SlackDriver {
  const { standIn, signingSecret } = opts;
  if (!LOOPBACK.has(new URL(opts.appUrl).hostname)) throw new Error(`The driver only talks to loopback, not ${opts.appUrl}`);
  const now = opts.now ?? Date.now;
  const pc: PayloadContext = { standIn, teamId: opts.teamId ?? standIn.team.id, now };
  const defaultUser = opts.defaultUser ?? standIn.defaultUser;
  const defaultChannel = opts.defaultChannel ?? standIn.defaultChannel;
  let eventCounter = 0;

  const raw = async (body: string, r: RawOptions): Promise<DriverResponse> => {
    const ts = r.timestamp === undefined ? Math.floor(now() / 1000) : r.timestamp;
    const headers: Record<string, string> = { 'content-type': r.contentType };
    if (ts !== null) headers['x-slack-request-timestamp'] = String(ts);
    const signature = r.signature === undefined ? signSlackRequest(r.secret ?? signingSecret, body, ts ?? 0) : r.signature;
    if (signature !== null) headers['x-slack-signature'] = signature;
    const res = await fetch(opts.appUrl, { method: 'POST', headers: { ...headers, ...r.headers }, body, signal: AbortSignal.timeout(15000) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: text, ...(json === undefined ? {} : { json }) };
  };

  return {
    async command(command, text, o = {}) {
      const user = o.user ?? defaultUser;
      const channel = o.channel ?? defaultChannel;
      const responseUrl = standIn.responseUrl({ channel, user }, { awaitAck: true });
      const triggerId = standIn.issueTriggerId(user);
      const fields = buildCommandFields(pc, { command, text, user, channel, responseUrl, triggerId });
      let ackPayload: Record<string, unknown> | undefined;
      try {
        const res = await raw(new URLSearchParams(fields).toString(), { contentType: FORM });
        // Slack shows a non-empty ack body as the command's reply (ephemeral unless response_type says otherwise).
        if (res.status === 200 && res.body.trim() !== '') {
          ackPayload = res.json && typeof res.json === 'object' ? (res.json as Record<string, unknown>) : { text: res.body };
        }
        return { ...res, responseUrl, triggerId };
      } finally {
        standIn.settleAck(responseUrl, ackPayload);
      }
    },

    async action(message, actionId, o = {}) {
      const user = o.user ?? defaultUser;
      const responseUrl = standIn.responseUrl({ channel: message.channel, user, messageTs: message.ts });
      const triggerId = standIn.issueTriggerId(user);
      const payload = buildBlockActions(pc, { message, actionId, user, value: o.value, responseUrl, triggerId });
      const res = await raw(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { contentType: FORM });
      return { ...res, responseUrl, payload };
    },

    async mention(text, o = {}) {
      const user = o.user ?? defaultUser;
      const channel = o.channel ?? defaultChannel;
      const token = `<@${standIn.bot.userId}>`;
      // Slack escapes &, < and > in message text; the mention itself arrives as a real token.
      const rest = text.startsWith(token) ? text.slice(token.length).trimStart() : text;
      const wireText = `${token} ${escapeText(rest)}`;
      const message = standIn.postAsUser({ channel, user, text: wireText, threadTs: o.threadTs });
      eventCounter += 1;
      const eventId = o.eventId ?? `Ev${String(eventCounter).padStart(4, '0')}${randomBytes(4).toString('hex').toUpperCase()}`;
      const envelope = buildMentionEnvelope(pc, { text: wireText, user, channel, ts: message.ts, threadTs: o.threadTs, eventId });
      const retryHeaders: Record<string, string> =
        o.retryNum === undefined ? {} : { 'x-slack-retry-num': String(o.retryNum), 'x-slack-retry-reason': o.retryReason ?? 'http_timeout' };
      const res = await raw(JSON.stringify(envelope), { contentType: 'application/json', headers: retryHeaders });
      return { ...res, ts: message.ts, eventId };
    },

    raw,
  };
}
