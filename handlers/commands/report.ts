import { reportVerb, REPORT_COMMAND, type ReportRequest } from '../../src/commands/report';
import { renderReportAdded, renderReportEdited, renderReportRunOutcome, renderReportStateChanged } from '../../src/views/report';
import { renderReportList } from '../../src/views/report-list';
import type { ReportService } from '../../src/reports';
import { answer, type CommandDef } from '../types';

/** `/report add|list|run|pause|resume|remove|edit` (product.md §7); the runs themselves are in handlers/background. */
export function reportCommand(reports: () => ReportService): CommandDef<ReportRequest> {
  return {
    ...REPORT_COMMAND,
    verb: reportVerb,
    async run(req, ctx) {
      const service = reports();
      const by = { channelId: ctx.inv.channelId, userId: ctx.inv.userId, teamId: ctx.inv.teamId };
      switch (req.kind) {
        case 'add': {
          const added = await service.add({ cron: req.cron, tz: req.tz, onChange: req.onChange, command: req.command }, by);
          return answer({ visibility: 'channel', result: added, view: renderReportAdded, summary: `added ${added.report.id}` });
        }
        case 'list':
          return answer({ visibility: 'channel', result: await service.list(ctx.inv.channelId), view: renderReportList, summary: 'list' });
        case 'run':
          return answer({ visibility: 'ephemeral', result: await service.runNow(req.id, by), view: (o) => renderReportRunOutcome(req.id, o), summary: `run ${req.id}` });
        case 'pause':
          return answer({ visibility: 'channel', result: { report: await service.pause(req.id, by) }, view: (r) => renderReportStateChanged('paused', r), summary: `paused ${req.id}` });
        case 'resume': {
          return answer({ visibility: 'channel', result: await service.resume(req.id, by), view: (r) => renderReportStateChanged('resumed', r), summary: `resumed ${req.id}` });
        }
        case 'remove':
          return answer({ visibility: 'channel', result: { report: await service.remove(req.id, by) }, view: (r) => renderReportStateChanged('removed', r), summary: `removed ${req.id}` });
        case 'edit':
          return answer({ visibility: 'channel', result: await service.edit(req.id, { cron: req.cron, tz: req.tz }, by), view: renderReportEdited, summary: `edited ${req.id}` });
      }
    },
  };
}
