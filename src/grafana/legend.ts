import { shortenLabelSets } from '../charts/labels';

/**
 * Series names as Grafana would show them: the target's legendFormat (`{{service}} {{code}}`) when it has one,
 * otherwise the labels that differ between all series drawn (`__auto` and empty formats mean the same).
 */
export function applyLegendFormat(format: string, labels: Record<string, string>): string {
  return format.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => (Object.hasOwn(labels, name) ? labels[name] : ''));
}

export function nameSeries(series: { labels: Record<string, string>; legendFormat?: string; expr: string }[]): string[] {
  const auto = shortenLabelSets(series.map((s) => s.labels));
  return series.map((s, i) => {
    if (s.legendFormat && s.legendFormat !== '__auto') {
      const name = applyLegendFormat(s.legendFormat, s.labels).trim();
      if (name) return name;
    }
    return auto[i] === '{}' ? s.expr : auto[i];
  });
}
