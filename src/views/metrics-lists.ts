import type { KnownBlock } from '@slack/types';
import type { LabelsAnswer, SeriesAnswer } from '../metrics/model';
import { context, message, section, type SlackMessage } from './message';
import { commonLabels, formatLabels } from './metrics-table';
import { code, codeSafe, formatDuration, LIMITS, slackDate, truncate } from './text';

/** `/metrics labels` and `/metrics series` answers: lists of names, values and label sets, cut to fit. */
export type LabelsAnswerView = LabelsAnswer;
export type SeriesAnswerView = SeriesAnswer;

const BUDGET = LIMITS.sectionText - 100;

/** Lines into a ``` block while they fit; returns how many made it. */
function fitLines(lines: string[]): { text: string; shown: number } {
  let text = '';
  let shown = 0;
  for (const l of lines) {
    const next = text ? `${text}\n${codeSafe(l)}` : codeSafe(l);
    if (next.length + 6 > BUDGET) break;
    text = next;
    shown++;
  }
  return { text: '```' + text + '```', shown };
}

const more = (n: number, what: string): KnownBlock[] => (n > 0 ? [context(`…and ${n.toLocaleString('en-US')} more ${what}.`)] : []);

export function renderLabelsAnswer(a: LabelsAnswerView): SlackMessage {
  if (a.metric === undefined) {
    const head = `*Label names* — ${a.names.length.toLocaleString('en-US')}`;
    if (!a.names.length) return message([section(`${head}\nNo labels yet: the backend has no series.`)], 'Label names');
    const packed = packNames(a.names.map((n) => truncate(n, 100)), 100);
    const body = fitLines(packed.map((p) => p.line));
    const shownNames = packed.slice(0, body.shown).reduce((n, p) => n + p.count, 0);
    return message([section(head), section(body.text), ...more(a.names.length - shownNames, 'label names')], 'Label names');
  }
  const metric = code(a.metric);
  if (!a.names.length) {
    return message([section(`No series named ${metric}. \`/metrics labels\` lists every label; \`/metrics series {__name__=~".*part.*"}\` finds names.`)], `Labels of ${a.metric}`);
  }
  const lines = (a.values ?? []).map((v) => `${v.label}: ${v.values.join(', ')}${v.total > v.values.length ? ` (+${v.total - v.values.length} more)` : ''}`);
  const withoutValues = a.names.filter((n) => !(a.values ?? []).some((v) => v.label === n));
  if (withoutValues.length) lines.push(`also: ${withoutValues.join(', ')}`);
  const body = fitLines(lines.map((l) => truncate(l, 200)));
  return message([section(`*Labels of* ${metric} — ${a.names.length}`), section(body.text), ...more(lines.length - body.shown, 'labels')], `Labels of ${a.metric}`);
}

export function renderSeriesAnswer(a: SeriesAnswerView): SlackMessage {
  const window = `${formatDuration(a.end - a.start)} before ${slackDate(a.end)}`;
  const head = `*Series matching* ${code(truncate(a.selector, 300))} — ${a.total.toLocaleString('en-US')} seen in the ${window}`;
  const text = `Series matching ${truncate(a.selector, 200)}`;
  if (!a.series.length) return message([section(`${head}\nNone. Try a longer \`--range\`, or \`/metrics labels\` to see what exists.`)], text);
  const common = commonLabels(a.series.map((s) => s.labels));
  const body = fitLines(a.series.map((s) => truncate(formatLabels(s.labels, common), 200)));
  const blocks: KnownBlock[] = [section(head), section(body.text)];
  if (Object.keys(common).length) blocks.push(context(`Every series here: ${code(truncate(formatLabels(common), 500))}`));
  blocks.push(...more(a.total - body.shown, 'series'));
  return message(blocks, text);
}

/** Names packed into lines of about `width` characters, with how many names each line holds. */
function packNames(names: string[], width: number): { line: string; count: number }[] {
  const out: { line: string; count: number }[] = [];
  for (const name of names) {
    const last = out[out.length - 1];
    if (last && last.line.length + name.length + 2 <= width) {
      last.line += `, ${name}`;
      last.count++;
    } else out.push({ line: name, count: 1 });
  }
  return out;
}
