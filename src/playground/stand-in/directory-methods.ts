import { fail } from './context';
import type { MethodHandler, Reply, StandInContext } from './context';
import type { StandInChannel } from './types';

function wireChannel(c: StandInChannel, created: number): Reply {
  return {
    id: c.id,
    name: c.name,
    is_channel: !c.isPrivate,
    is_group: Boolean(c.isPrivate),
    is_im: false,
    is_private: Boolean(c.isPrivate),
    is_archived: Boolean(c.isArchived),
    is_member: Boolean(c.isMember),
    created,
  };
}

/** Workspace look-ups and membership: auth.test, conversations.*, users.info, usergroups.users.list, apps.connections.open. */
export function directoryMethods(ctx: StandInContext): Record<string, MethodHandler> {
  const { model, team, bot } = ctx;
  const created = Math.floor(ctx.now() / 1000);
  return {
    'auth.test': () => ({
      ok: true,
      url: `https://${team.domain}.slack.com/`,
      team: team.name,
      user: bot.name,
      team_id: team.id,
      user_id: bot.userId,
      bot_id: bot.botId,
      is_enterprise_install: false,
    }),

    'conversations.info': (args) => {
      const channel = model.channel(String(args.channel ?? ''));
      return channel ? { ok: true, channel: wireChannel(channel, created) } : fail('channel_not_found');
    },

    'conversations.join': (args) => {
      const channel = model.channel(String(args.channel ?? ''));
      if (!channel) return fail('channel_not_found');
      if (channel.isPrivate) return fail('method_not_supported_for_channel_type');
      if (channel.isArchived) return fail('is_archived');
      const already = channel.isMember;
      if (!already) model.setMember(channel.id, true);
      return {
        ok: true,
        channel: wireChannel(channel, created),
        ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}),
      };
    },

    'users.info': (args) => {
      const id = String(args.user ?? '');
      if (id === bot.userId) {
        return { ok: true, user: { id, team_id: team.id, name: bot.name, real_name: bot.name, is_bot: true, deleted: false, profile: { bot_id: bot.botId } } };
      }
      const user = ctx.users.get(id);
      if (!user) return fail('user_not_found');
      const realName = user.realName ?? user.name;
      return {
        ok: true,
        user: {
          id: user.id,
          team_id: team.id,
          name: user.name,
          real_name: realName,
          tz: user.tz ?? 'Europe/London',
          is_admin: Boolean(user.isAdmin),
          is_bot: false,
          deleted: false,
          profile: { real_name: realName, display_name: user.name },
        },
      };
    },

    'usergroups.users.list': (args) => {
      const members = ctx.userGroups[String(args.usergroup ?? '')];
      return members ? { ok: true, users: [...members] } : fail('no_such_subteam');
    },

    // Socket mode needs an app-level token; a bot token gets Slack's answer (not tested here beyond that).
    'apps.connections.open': (_args, call) =>
      ctx.socketModeUrl && ctx.appToken && call.token === ctx.appToken ? { ok: true, url: ctx.socketModeUrl } : fail('not_allowed_token_type'),
  };
}
