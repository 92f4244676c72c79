import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { decodeSlackEntities } from '../../src/views/text';
import { runInvocation } from '../pipeline';
import type { CommandDef, HandlerDeps } from '../types';

/**
 * `@Lookout reach web-1 -> db-1:5432` runs `/reach …` and answers in the thread; a first word that is not a
 * command name runs `/lookout …` (`@Lookout whoami`). Message text arrives HTML-escaped: decoded before parsing.
 */
export function mentionListener(deps: HandlerDeps, commands: () => CommandDef<any>[]) {
  return async ({ event, client, context, body }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs) => {
    const text = decodeSlackEntities(event.text ?? '')
      .replace(/^\s*<@[A-Z0-9]+(\|[^>]*)?>[\s,:]*/, '')
      .trim();
    const [, first = '', rest = ''] = /^(\S*)\s*([\s\S]*)$/.exec(text) ?? [];
    const name = `/${first.replace(/^\//, '').toLowerCase()}`;
    const byName = commands().find((c) => c.command === name);
    const def = byName ?? commands().find((c) => c.command === '/lookout');
    if (!def || !event.user) return;
    const inv = {
      requestId: deps.newRequestId(),
      teamId: context.teamId ?? (body as { team_id?: string }).team_id ?? '',
      userId: event.user,
      channelId: event.channel,
      command: def.command,
      text: byName ? rest : text,
      source: 'mention' as const,
      threadTs: event.thread_ts ?? event.ts,
      startedAt: deps.clock.now(),
    };
    await deps.tracker.track(runInvocation(def, inv, client, deps));
  };
}
