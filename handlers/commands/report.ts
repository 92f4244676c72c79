import { parseReport, reportVerb, REPORT_USAGE, type ReportRequest } from '../../src/commands/report';
import { renderReportAdded, renderReportEdited, renderReportRunOutcome, renderReportStateChanged } from '../../src/views/report';
import { renderReportList } from '../../src/views/report-list';
import type { ReportService } from '../../src/reports';
import type { CommandDef } from '../types';

/** `/report add|list|run|pause|resume|remove|edit` (product.md §7); the runs themselves are in handlers/background. */
export function reportCommand(reports: () => ReportService): CommandDef<ReportRequest> {
  return {
    command: '/report',
    usage: REPORT_USAGE,
    parse: parseReport,
    isHelp: (req) => req.kind === 'help',
    verb: reportVerb,
    async run(req, ctx) {
      const service = reports();
      const by = { channelId: ctx.inv.channelId, userId: ctx.inv.userId, teamId: ctx.inv.teamId };
      switch (req.kind) {
        case 'help':
          return;
        case 'add': {
          const added = await service.add({ cron: req.cron, tz: req.tz, onChange: req.onChange, command: req.command }, by);
          return { visibility: 'channel', message: renderReportAdded(added), summary: `added ${added.report.id}` };
        }
        case 'list':
          return { visibility: 'channel', message: renderReportList(await service.list(ctx.inv.channelId)), summary: 'list' };
        case 'run':
          return { visibility: 'ephemeral', message: renderReportRunOutcome(req.id, await service.runNow(req.id, by)), summary: `run ${req.id}` };
        case 'pause':
          return { visibility: 'channel', message: renderReportStateChanged('paused', { report: await service.pause(req.id, by) }), summary: `paused ${req.id}` };
        case 'resume': {
          const resumed = await service.resume(req.id, by);
          return { visibility: 'channel', message: renderReportStateChanged('resumed', resumed), summary: `resumed ${req.id}` };
        }
        case 'remove':
          return { visibility: 'channel', message: renderReportStateChanged('removed', { report: await service.remove(req.id, by) }), summary: `removed ${req.id}` };
        case 'edit':
          return { visibility: 'channel', message: renderReportEdited(await service.edit(req.id, { cron: req.cron, tz: req.tz }, by)), summary: `edited ${req.id}` };
      }
    },
  };
}
