/**
 * /reach answers (product.md §3) as Block Kit: reachable (hops), not reachable (explanations, blocking component,
 * fix), cached, failed, and the "Analyzing… 12 s" progress message. Pure: data and `now` in, blocks out; the
 * pipeline adds the "Asked by …" context line.
 */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { AnalysisOutcome, ReachAnswer, ReachProgress, ReachQuestion } from '../reach/model';
import { context, packLines, section, type Rendered, type SlackMessage, message } from './message';
import { reachCliCommands } from './reach-cli';
import { encodeButtonValue, REACH_BUTTON } from './button-value';
import { referenceNote } from './feedback';
import { endpointLabel } from './reach-console';
import { ago, plainQuestion, questionText } from './reach-text';
import { renderHops } from './reach-hops';
import { issueText } from './reach-issues';
import { LIMITS, code, escapeText, formatDuration, slackDate, truncate } from './text';

export const REACH_ACTIONS = { rerun: 'reach_rerun', watch: 'reach_watch' } as const;

const SECTION_BUDGET = LIMITS.sectionText - 100;
/** Share of the message's total text the explanations may take; hops, CLI and buttons need the rest. */
const ISSUES_BUDGET = 6000;
const HOPS_BUDGET = 1800;

/** What a Re-run or Watch button carries: the path and where it was asked (`--region`/`--account` included). */
export type ReachButtonValue = Partial<Record<(typeof REACH_BUTTON)[number], string>>;

export function reachButtons(where: ReachButtonValue, opts: { watch: boolean }): ActionsBlock {
  const value = encodeButtonValue(REACH_BUTTON, where);
  const pathId = where.pathId ?? '';
  const button = (text: string, actionId: string) => ({ type: 'button' as const, text: { type: 'plain_text' as const, text }, action_id: actionId, value });
  return {
    type: 'actions',
    block_id: `reach_actions_${pathId}`.slice(0, LIMITS.id),
    elements: [button('Re-run', REACH_ACTIONS.rerun), ...(opts.watch ? [button('Watch', REACH_ACTIONS.watch)] : [])],
  };
}

function buttonValue(a: ReachAnswer): ReachButtonValue {
  return { pathId: a.pathId, region: a.question.region, account: a.question.accountName };
}

function meta(a: { pathId: string; analysisId?: string }, extra?: string): KnownBlock {
  const parts = [`Path ${code(a.pathId)}`];
  if (a.analysisId) parts.push(`analysis ${code(a.analysisId)}`);
  if (extra) parts.push(extra);
  return context(parts.join(' · '));
}

/** Explanations packed into as few sections as fit, cut with "and N more" past the budget. */
function issueSections(outcome: Extract<AnalysisOutcome, { reachable: false }>, region: string): KnownBlock[] {
  const texts = outcome.issues.map((issue, i) => issueText(issue, i + 1, region));
  const packed = packLines(texts, { sectionMax: SECTION_BUDGET, budget: ISSUES_BUDGET, sep: '\n\n' });
  const blocks: KnownBlock[] = packed.blocks;
  const shown = packed.shown;
  if (shown < texts.length) blocks.push(context(`…and ${texts.length - shown} more reasons — see the analysis in the console or run it yourself below.`));
  if (!texts.length) blocks.push(section('AWS gave no explanation for this result. Check the analysis in the console.'));
  return blocks;
}

function outcomeBlocks(q: ReachQuestion, outcome: AnalysisOutcome): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (outcome.reachable) {
    blocks.push(section(`:white_check_mark: ${endpointLabel(q.source)} *can reach* ${endpointLabel(q.destination)} on ${q.protocol}/${q.port ?? 'any port'}`));
    if (outcome.hops.length) blocks.push(section(renderHops(outcome.hops, HOPS_BUDGET)));
  } else {
    const n = outcome.issues.length;
    blocks.push(section(`:no_entry: ${endpointLabel(q.source)} *cannot reach* ${endpointLabel(q.destination)} on ${q.protocol}/${q.port ?? 'any port'}${n ? ` — ${n === 1 ? '1 reason' : `${n} reasons`}:` : ''}`));
    blocks.push(...issueSections(outcome, q.region));
    if (outcome.hops.length) blocks.push(context(truncate(`Path so far: ${renderHops(outcome.hops, HOPS_BUDGET)}`, LIMITS.sectionText)));
  }
  const notes = [...(outcome.warning ? [`AWS warns: ${outcome.warning}`] : []), ...outcome.notes];
  if (notes.length) blocks.push(context(truncate(escapeText(notes.join(' · ')), 1500)));
  return blocks;
}

/** A reach answer; a failed analysis is a failure shown in the channel (product.md §2): it carries the reference id. */
export function renderReachAnswer(answer: ReachAnswer, rc: { now: number; ref?: string }): Rendered {
  const q = answer.question;
  const cli = { lines: reachCliCommands(q, answer.pathId, answer.analysisId), region: q.region };
  if (answer.kind === 'failed') {
    const why =
      answer.reason === 'timeout'
        ? `did not finish within ${formatDuration(answer.durationMs)}. It may still complete at AWS; re-run later or check it yourself.`
        : `*failed*. This says nothing about whether the path is reachable.${answer.message ? `\nAWS says: “${escapeText(truncate(answer.message, 1500))}”` : ''}`;
    const blocks = [section(`:warning: The analysis of ${questionText(q)} ${why}`), meta(answer), reachButtons(buttonValue(answer), { watch: false })];
    if (rc.ref) blocks.push(referenceNote(rc.ref));
    return { cli, message: message(blocks, `The reachability analysis of ${plainQuestion(q)} ${answer.reason === 'timeout' ? 'timed out' : 'failed'}`) };
  }
  const verdict = answer.outcome.reachable ? 'is reachable' : 'is not reachable';
  const blocks = outcomeBlocks(q, answer.outcome);
  if (answer.kind === 'cached') {
    const age = ago(rc.now - answer.checkedAt);
    blocks.push(meta(answer, `:recycle: checked ${age} ago (${slackDate(answer.checkedAt)}), from the last analysis — each analysis is billed; *Re-run* for a fresh one`));
  } else {
    blocks.push(meta(answer, `checked ${slackDate(answer.checkedAt)}`));
  }
  blocks.push(reachButtons(buttonValue(answer), { watch: true }));
  return { cli, message: message(blocks, `${plainQuestion(q)} ${verdict}${answer.kind === 'cached' ? ' (cached)' : ''}`) };
}

/** The message updated while the analysis runs (the handler coalesces updates to one per ~5 s). */
export function renderReachProgress(p: ReachProgress): SlackMessage {
  const elapsed = ago(p.elapsedMs);
  return message(
    [
      section(`:mag: Analyzing ${questionText(p.question)}… ${elapsed}`),
      meta(p, 'Reachability Analyzer reads routes, security groups and NACLs; it sends no packets'),
    ],
    `Analyzing ${plainQuestion(p.question)}… ${elapsed}`,
  );
}
