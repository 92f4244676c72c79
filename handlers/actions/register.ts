import type { App, BlockButtonAction, SlackActionMiddlewareArgs, AllMiddlewareArgs } from '@slack/bolt';
import type { Verb } from '../../src/config/types';
import { runInvocation } from '../pipeline';
import type { CommandDef, HandlerDeps, Outcome, RunContext } from '../types';

/** A button: the permission it needs and what it does with the button's value (an id Lookout put there). */
export interface ActionDef {
  actionId: string;
  /** Shown in the audit log as the command, e.g. 'reach re-run'. */
  label: string;
  verb: Verb | null;
  /**
   * Whether a failure is written over the message the button is on (default true, e.g. a failed re-run).
   * False for cards that must keep their buttons (approval cards render their own failure states).
   */
  failureReplacesMessage?: boolean;
  /** Counts towards the person's and the channel's rate limits (Re-run: each click is a billed analysis). Never Stop. */
  rateLimited?: boolean;
  run(value: string, ctx: RunContext): Promise<Outcome | void>;
}

/**
 * Button presses go through the same pipeline as commands (rate limit, permission, one error wrapper, one
 * audit row): acknowledged at once, then run with the message the button is on as the invocation's answer.
 */
export function registerAction(app: App, deps: HandlerDeps, def: ActionDef): void {
  const asCommand: CommandDef<string> = {
    command: def.label,
    usage: [],
    parse: (text) => ({ ok: true, request: text }),
    verb: () => def.verb,
    run: (value, ctx) => def.run(value, ctx),
  };
  app.action<BlockButtonAction>(def.actionId, async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const channelId = body.channel?.id ?? body.container?.channel_id ?? '';
    const messageTs = body.message?.ts ?? body.container?.message_ts;
    const inv = {
      requestId: deps.newRequestId(),
      teamId: body.team?.id ?? body.user.team_id ?? '',
      userId: body.user.id,
      channelId,
      command: def.label,
      text: action.value ?? '',
      source: 'action' as const,
      limited: def.rateLimited === true,
      threadTs: body.message?.thread_ts,
      responseUrl: body.response_url,
      message: messageTs && !body.container?.is_ephemeral && def.failureReplacesMessage !== false ? { channel: channelId, ts: messageTs } : undefined,
      clicked: messageTs ? { channel: channelId, ts: messageTs } : undefined,
      startedAt: deps.clock.now(),
    };
    await deps.tracker.track(runInvocation(asCommand, inv, client, deps));
  });
}
