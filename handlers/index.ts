import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ReportService } from '../src/reports';
import { reportCommand } from './commands/report';
import { createReportsRuntime, type ReportsRuntime } from './background/reports';
import { startChaosRuntime } from './background/chaos';
import { decodeSlackEntities } from '../src/views/text';
import { lookoutCommand } from './commands/lookout';
import { metricsCommand } from './commands/metrics';
import { GRAFANA_ACTIONS, grafanaCommand } from './commands/grafana';
import { reachActions, reachCommand } from './commands/reach';
import { registerAction } from './actions/register';
import { chaosCommand } from './commands/chaos';
import { chaosActions } from './actions/chaos';
import { METRICS_ACTIONS } from '../src/views/metrics';
import { mentionListener } from './events/mention';
import { runInvocation } from './pipeline';
import type { CommandDef, HandlerDeps } from './types';

/** Retried Events API deliveries carry the same event_id (replays, the same trigger_id): processed once, remembered in the store for an hour. */
const EVENT_DEDUPE_TTL_MS = 60 * 60_000;
/**
 * The delivery id is recorded before the ack, which Slack wants within 3 s. A store that has not recorded it in
 * this long (a pool waiting for a connection to a database that went away) is treated as one that cannot: the
 * request goes on unacknowledged by the store rather than unanswered by Slack.
 */
export const CLAIM_BEFORE_ACK_MS = 1_000;

function claimDelivery(deps: HandlerDeps, key: string): Promise<boolean> {
  const claim = deps.store.claimEvent(key, EVENT_DEDUPE_TTL_MS, deps.clock.now());
  claim.catch(() => undefined); // settling after the deadline is expected, never an unhandled rejection
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the store did not record the delivery id within ${CLAIM_BEFORE_ACK_MS} ms`)), CLAIM_BEFORE_ACK_MS);
  });
  return Promise.race([claim, late]).finally(() => clearTimeout(timer));
}

/** Builds every command Lookout registers; the manifest test checks this list against manifest.yml. */
export function buildCommands(deps: HandlerDeps, reports: () => ReportService = unavailable): CommandDef<any>[] {
  const defs: CommandDef<any>[] = [];
  defs.push(
    lookoutCommand(deps, () => defs),
    reachCommand(deps, reports),
    metricsCommand(deps),
    grafanaCommand(deps),
    chaosCommand(deps),
    reportCommand(reports),
  );
  return defs;
}

const unavailable = (): never => {
  throw new Error('reports are not running');
};

export interface Background {
  stop(): Promise<void>;
}

/**
 * Registers every listener on the Bolt app and starts the work no request starts (chaos watching, scheduled
 * reports). Listeners stay thin; the pipeline does the work.
 */
export async function registerHandlers(
  app: App,
  deps: HandlerDeps,
  io: { web: WebClient; reportsWeb: WebClient; teamId: () => string },
): Promise<{ commands: CommandDef<any>[]; background: Background[] }> {
  // Commands and the report runtime need each other (reports run commands; /report manages reports).
  const late: { reports?: ReportsRuntime } = {};
  const reportService = () => (late.reports ?? unavailable()).service;
  const commands = buildCommands(deps, reportService);
  const reports = (late.reports = createReportsRuntime({ deps, web: io.web, reportsWeb: io.reportsWeb, commands: () => commands, teamId: io.teamId }));

  // Slash commands and clicks carry a trigger_id unique to each one: a second delivery of the same one is a replay
  // (Slack does not retry them), acknowledged and ignored like a retried event.
  app.use(async (args) => {
    const { body, next } = args;
    const eventId = (body as { event_id?: string }).event_id;
    const triggerId = (body as { trigger_id?: string }).trigger_id;
    const key = eventId ?? (triggerId ? `trigger:${triggerId}` : undefined);
    // A store that cannot record the id (down, busy, disk full) cannot tell a replay either: the request goes on, and
    // its own store step answers with the store's clear message instead of the request going unanswered.
    const first = key ? await claimDelivery(deps, key).catch((err) => (deps.logger.warn({ err, eventId, triggerId }, 'could not record the delivery id; handling it anyway'), true)) : true;
    if (!first) {
      deps.logger.info({ eventId, triggerId }, 'duplicate delivery ignored');
      deps.metrics.duplicateEvents.inc();
      await (args as { ack?: () => Promise<void> }).ack?.();
      return;
    }
    await next();
  });

  for (const def of commands) {
    app.command(def.command, async ({ ack, command, client }) => {
      await ack();
      const inv = {
        requestId: deps.newRequestId(),
        teamId: command.team_id,
        userId: command.user_id,
        channelId: command.channel_id,
        command: def.command,
        text: decodeSlackEntities(command.text ?? ''),
        source: 'slash' as const,
        responseUrl: command.response_url,
        startedAt: deps.clock.now(),
      };
      await deps.tracker.track(runInvocation(def, inv, client, deps));
    });
  }

  for (const action of [...reachActions(deps, reportService), ...chaosActions(deps)]) registerAction(app, deps, action);

  // Link buttons still send block_actions: acknowledge them so Slack shows no error.
  for (const id of [METRICS_ACTIONS.openGrafana, GRAFANA_ACTIONS.openPanel]) app.action(id, async ({ ack }) => ack());

  app.event('app_mention', mentionListener(deps, () => commands));

  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });

  const chaos = startChaosRuntime(deps, io.web);
  await reports.start();
  return { commands, background: [reports, chaos] };
}
