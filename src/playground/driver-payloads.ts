import type { SlackStandIn, StandInUser, StoredMessage, WireBlock } from './slack-stand-in';

/** Payload bodies as Slack sends them (slack-platform.md §1.1, §2.1; Events API envelope per §8.2). */

export interface PayloadContext {
  standIn: SlackStandIn;
  teamId: string;
  now: () => number;
}

/** Slack's action_ts / event ts shape: seconds with six decimals. */
export const slackTime = (ms: number): string => (ms / 1000).toFixed(6);

function userOf(standIn: SlackStandIn, id: string): StandInUser {
  return standIn.user(id) ?? { id, name: id.toLowerCase() };
}

function channelName(standIn: SlackStandIn, id: string): string {
  return standIn.channel(id)?.name ?? id.toLowerCase();
}

export function buildCommandFields(
  c: PayloadContext,
  p: { command: string; text: string; user: string; channel: string; responseUrl: string; triggerId: string },
): Record<string, string> {
  return {
    token: 'stand-in-verification-token',
    team_id: c.teamId,
    team_domain: c.standIn.team.domain,
    channel_id: p.channel,
    channel_name: channelName(c.standIn, p.channel),
    user_id: p.user,
    user_name: userOf(c.standIn, p.user).name,
    command: p.command,
    text: p.text,
    api_app_id: c.standIn.bot.appId,
    is_enterprise_install: 'false',
    response_url: p.responseUrl,
    trigger_id: p.triggerId,
  };
}

/** The interactive element with this action_id and the block holding it (message blocks, then attachment blocks). */
export function findActionElement(message: StoredMessage, actionId: string): { block: WireBlock; blockIndex: number; element: Record<string, any> } | undefined {
  const blocks = [...message.blocks, ...(message.attachments ?? []).flatMap((a) => (Array.isArray(a.blocks) ? a.blocks : []))];
  for (const [blockIndex, block] of blocks.entries()) {
    const elements = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory, block.element];
    const element = elements.find((el) => el && typeof el === 'object' && el.action_id === actionId);
    if (element) return { block, blockIndex, element };
  }
  return undefined;
}

/** Every action_id in a message, for error messages that say what could have been clicked. */
export function listActionIds(message: StoredMessage): string[] {
  const ids: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'action_id' && typeof x === 'string') ids.push(x);
      else walk(x);
    }
  };
  walk([message.blocks, message.attachments ?? []]);
  return ids;
}

/** What the clicked element reports: a button's value, a select's chosen option. */
function actionValue(element: Record<string, any>, value: string | undefined): Record<string, unknown> {
  const options: { value: string }[] | undefined = Array.isArray(element.options) ? element.options : undefined;
  if (options) {
    const selected = (value === undefined ? options[0] : options.find((o) => o.value === value)) ?? { value };
    return { selected_option: selected };
  }
  const v = value ?? element.value;
  return v === undefined ? {} : { value: v };
}

export function buildBlockActions(
  c: PayloadContext,
  p: { message: StoredMessage; actionId: string; user: string; value?: string; responseUrl: string; triggerId: string },
): Record<string, unknown> {
  const { standIn } = c;
  const { message } = p;
  const found = findActionElement(message, p.actionId);
  if (!found) throw new Error(`No element with action_id "${p.actionId}" in message ${message.ts}; it has: ${listActionIds(message).join(', ') || '(none)'}`);
  const { block, blockIndex, element } = found;
  const user = userOf(standIn, p.user);
  const ephemeral = Boolean(message.ephemeralTo);
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: c.teamId },
    api_app_id: standIn.bot.appId,
    token: 'stand-in-verification-token',
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: ephemeral,
      ...(message.threadTs && message.threadTs !== message.ts ? { thread_ts: message.threadTs } : {}),
    },
    trigger_id: p.triggerId,
    team: { id: c.teamId, domain: standIn.team.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: channelName(standIn, message.channel) },
    // Slack leaves the message out for ephemeral messages: only the container identifies them.
    ...(ephemeral ? {} : { message: standIn.wireMessage(message) }),
    state: { values: {} },
    response_url: p.responseUrl,
    actions: [
      {
        type: element.type,
        action_id: p.actionId,
        block_id: block.block_id ?? `stand-in-block-${blockIndex}`,
        ...(element.text ? { text: element.text } : {}),
        ...(element.style ? { style: element.style } : {}),
        ...actionValue(element, p.value),
        action_ts: slackTime(c.now()),
      },
    ],
  };
}

export function buildMentionEnvelope(
  c: PayloadContext,
  p: { text: string; user: string; channel: string; ts: string; threadTs?: string; eventId: string },
): Record<string, unknown> {
  const { standIn } = c;
  return {
    token: 'stand-in-verification-token',
    team_id: c.teamId,
    api_app_id: standIn.bot.appId,
    event: {
      type: 'app_mention',
      user: p.user,
      text: p.text,
      ts: p.ts,
      channel: p.channel,
      event_ts: p.ts,
      team: c.teamId,
      ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
    },
    type: 'event_callback',
    event_id: p.eventId,
    event_time: Math.floor(c.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: c.teamId, user_id: standIn.bot.userId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
