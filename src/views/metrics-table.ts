import { codeSafe, truncate } from './text';

/** Monospace tables for metrics answers: label sets and numbers in a ``` block, escaped, within Slack's limits. */

/** Labels every row has with the same value: shown once instead of on each line (only with 2+ rows). */
export function commonLabels(rows: Record<string, string>[]): Record<string, string> {
  if (rows.length < 2) return {};
  const [first, ...rest] = rows;
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((r) => r[k] === v)));
}

/** `name{k="v", …}` with label names sorted; labels in `omit` left out (e.g. the common ones). */
export function formatLabels(labels: Record<string, string>, omit: Record<string, string> = {}): string {
  const name = labels.__name__ !== undefined && !('__name__' in omit) ? labels.__name__ : '';
  const pairs = Object.keys(labels)
    .filter((k) => k !== '__name__' && !(k in omit))
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  if (!pairs.length) return name || '{}';
  return `${name}{${pairs.join(', ')}}`;
}

export interface TableSpec {
  /** Column titles; every column but the last is right-aligned (numbers), the last holds labels. */
  columns: string[];
  rows: string[][];
  /** Characters the finished block may use (Slack's 3,000 per section, minus what surrounds it). */
  budget: number;
  maxLabelWidth?: number;
}

/** Builds the ``` block, adding rows while they fit; returns how many rows made it in. */
export function codeTable(spec: TableSpec): { text: string; shown: number } {
  const numeric = spec.columns.length - 1;
  const widths = spec.columns.slice(0, numeric).map((c, i) => Math.max(c.length, ...spec.rows.map((r) => r[i].length)));
  const line = (cells: string[]) => {
    const nums = cells.slice(0, numeric).map((c, i) => c.padStart(widths[i]));
    return codeSafe([...nums, truncate(cells[numeric], spec.maxLabelWidth ?? 110)].join('  ').trimEnd());
  };
  let text = line(spec.columns);
  let shown = 0;
  for (const row of spec.rows) {
    const next = `${text}\n${line(row)}`;
    if (next.length + 6 > spec.budget) break;
    text = next;
    shown++;
  }
  return { text: '```' + text + '```', shown };
}
