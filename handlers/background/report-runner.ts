import type { WebClient } from '@slack/web-api';
import { codeSafe, inlineCode } from '../../src/text';
import { describeChange, splitSlashCommand, type Pacer, type ReportRun, type RunReport, type RunResult } from '../../src/reports';
import { decorateReportPost } from '../../src/views/report';
import type { SlackMessage } from '../../src/views/message';
import { runInvocation } from '../pipeline';
import { createReplier } from '../reply';
import type { CommandDef, HandlerDeps, MessageRef, Replier, UploadFile } from '../types';

/** Reports declared in lookout.yml run as this user: the file is trusted; the channel's verbs still apply. */
export const CONFIG_REPORT_USER = 'USLACKBOT';

/**
 * A Replier that keeps the answer instead of sending it: a report runs the command first, compares the answer with
 * the last one (on-change), and only then posts — once, paced, and never by running the command again.
 */
function captureReplies(channel: string): Replier & { answer?: SlackMessage; private?: SlackMessage; uploads: UploadFile[] } {
  let n = 0;
  const primaryRef: MessageRef = { channel, ts: 'report-capture-0' };
  const captured: Replier & { answer?: SlackMessage; private?: SlackMessage; uploads: UploadFile[] } = {
    uploads: [],
    get primary() {
      return captured.answer ? primaryRef : undefined;
    },
    async post(msg) {
      if (!captured.answer) {
        captured.answer = msg;
        return primaryRef;
      }
      return { channel, ts: `report-capture-${++n}` }; // thread extras are not part of a report
    },
    async update(ref, msg) {
      if (ref.ts === primaryRef.ts) captured.answer = msg;
    },
    async ephemeral(msg) {
      // Answers a command gives privately (/lookout status) are the report's answer when it posts nothing else;
      // refusals are recognised by the run's outcome, not here.
      captured.private = msg;
    },
    async upload(file) {
      captured.uploads.push(file);
    },
  };
  return captured;
}

/**
 * Runs one scheduled report through the same pipeline as a typed command (policy checked as the report's creator,
 * audit row of kind `report`), then posts the answer through the pacer.
 */
export function createReportRunner(o: { deps: HandlerDeps; web: WebClient; pacer: Pacer; commands: () => CommandDef<any>[]; teamId: () => string }): RunReport {
  return async (run: ReportRun): Promise<RunResult> => {
    const { report } = run;
    const { name, text } = splitSlashCommand(report.command);
    const def = o.commands().find((c) => c.command === name);
    if (!def) return { posted: false, error: `${inlineCode(name)} is not a Lookout command.` };
    const capture = captureReplies(report.channel);
    const inv = {
      requestId: o.deps.newRequestId(),
      teamId: report.team ?? o.teamId(),
      userId: report.createdBy ?? CONFIG_REPORT_USER,
      channelId: report.channel,
      command: name,
      text,
      source: 'report' as const,
      startedAt: o.deps.clock.now(),
    };
    const result = await runInvocation(def, inv, o.web, o.deps, capture);
    const answer = capture.answer ?? capture.private;
    if (result.outcome !== 'ok' || !answer) {
      return { posted: false, error: `the command ended with \`${result.outcome}\`${result.detail ? ` (${codeSafe(result.detail)})` : ''}; reference \`${inv.requestId}\`` };
    }
    // The command's fingerprint of its answer (handlers/fingerprints.ts), not the rendered text, decides on-change.
    const { fingerprint } = result;
    const summary = answer.text;
    if (!run.shouldPost(fingerprint) || !(await run.beginPost(fingerprint))) return { fingerprint, posted: false, summary };
    const changeLine = report.onChange ? (describeChange(run.previousSummary, summary) ?? undefined) : undefined;
    const reply = createReplier(o.web, { channelId: report.channel, userId: inv.userId });
    for (const file of capture.uploads) await o.pacer.send(report.channel, () => reply.upload(file));
    await o.pacer.send(report.channel, () => reply.post(decorateReportPost(answer, { ...run, changeLine })));
    o.deps.metrics.reportLag.set(run.lateByMs / 1000);
    return { fingerprint, posted: true, summary };
  };
}
