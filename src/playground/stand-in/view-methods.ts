import { checkBlocks } from './blocks';
import { fail, isFailure } from './context';
import type { Failure, MethodHandler, Reply, StandInContext } from './context';
import type { StoredView } from './types';

/** Modals may stack three deep (open + 2 pushes); modals and Home tabs take up to 100 blocks (slack-platform.md §2.2, §6.1). */
const MAX_STACK = 3;
const MAX_VIEW_BLOCKS = 100;

/** views.open|push|update|publish with trigger ids issued by the driver (single use, like Slack). */
export function viewMethods(ctx: StandInContext): Record<string, MethodHandler> {
  const { model, team, bot } = ctx;

  /** The user the trigger was issued to, or Slack's error. */
  const useTrigger = (triggerId: unknown): string | Failure => {
    const trigger = typeof triggerId === 'string' ? model.triggers.get(triggerId) : undefined;
    if (!trigger) return fail('invalid_trigger_id');
    if (trigger.used) return fail('exchanged_trigger_id');
    trigger.used = true;
    return trigger.user;
  };

  const readView = (value: unknown): Record<string, any> | Failure => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return fail('invalid_arguments');
    const view = value as Record<string, any>;
    const checked = checkBlocks(view.blocks ?? [], MAX_VIEW_BLOCKS);
    return checked.ok ? view : fail(checked.error, { response_metadata: { messages: checked.messages } });
  };

  const wire = (v: StoredView): Reply => ({
    ok: true,
    view: {
      id: v.id,
      team_id: team.id,
      type: v.type,
      blocks: [],
      private_metadata: '',
      callback_id: '',
      ...v.view,
      state: { values: {} },
      hash: v.hash,
      root_view_id: v.rootViewId,
      previous_view_id: v.previousViewId ?? null,
      external_id: v.externalId ?? '',
      app_id: bot.appId,
      bot_id: bot.botId,
    },
  });

  const store = (view: Record<string, any>, fields: Partial<StoredView> & { type: StoredView['type'] }): Reply => {
    const id = fields.id ?? model.nextId('V');
    const stored: StoredView = {
      rootViewId: id,
      ...fields,
      id,
      view,
      hash: `${Math.floor(ctx.now() / 1000)}.${model.nextId('h')}`,
      ...(typeof view.external_id === 'string' ? { externalId: view.external_id } : {}),
    };
    model.views.set(id, stored);
    model.emitView(stored);
    return wire(stored);
  };

  const stackSize = (rootId: string) => [...model.views.values()].filter((v) => v.rootViewId === rootId).length;

  return {
    'views.open': (args) => {
      const view = readView(args.view);
      if (isFailure(view)) return view;
      const trigger = useTrigger(args.trigger_id);
      return typeof trigger === 'string' ? store(view, { type: 'modal', user: trigger }) : trigger;
    },

    'views.push': (args) => {
      const view = readView(args.view);
      if (isFailure(view)) return view;
      const user = useTrigger(args.trigger_id);
      if (typeof user !== 'string') return user;
      const top = [...model.views.values()].reverse().find((v) => v.type === 'modal' && v.user === user);
      if (!top) return fail('not_found');
      if (stackSize(top.rootViewId) >= MAX_STACK) return fail('push_limit_reached');
      return store(view, { type: 'modal', user, rootViewId: top.rootViewId, previousViewId: top.id });
    },

    'views.update': (args) => {
      const view = readView(args.view);
      if (isFailure(view)) return view;
      const existing =
        typeof args.view_id === 'string' && args.view_id !== ''
          ? model.views.get(args.view_id)
          : [...model.views.values()].find((v) => v.externalId === args.external_id);
      if (!existing) return fail('not_found');
      if (typeof args.hash === 'string' && args.hash !== '' && args.hash !== existing.hash) return fail('hash_conflict');
      return store(view, { ...existing, id: existing.id });
    },

    'views.publish': (args) => {
      const view = readView(args.view);
      if (isFailure(view)) return view;
      if (typeof args.user_id !== 'string' || !ctx.users.has(args.user_id)) return fail('user_not_found');
      const existing = [...model.views.values()].find((v) => v.type === 'home' && v.user === args.user_id);
      if (existing && typeof args.hash === 'string' && args.hash !== '' && args.hash !== existing.hash) return fail('hash_conflict');
      return store(view, { type: 'home', user: args.user_id, ...(existing ? { id: existing.id, rootViewId: existing.id } : {}) });
    },
  };
}
