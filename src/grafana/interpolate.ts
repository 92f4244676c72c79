import type { DashboardVariable } from './model';

/**
 * Dashboard variables in PromQL the way Grafana's Prometheus data source fills them: `$var`, `${var}`,
 * `${var:format}`, `[[var]]`, `[[var:format]]`. A value of a multi-value or "Include All" variable is regex-escaped
 * for a PromQL string and several values become `(a|b)`, ready for `=~`; All (`$__all`) becomes the variable's
 * custom all value or `.*`. Names nobody defines are left as written (`$1` in label_replace must survive).
 */
// Grafana's variableRegex (public/app/features/variables/utils.ts).
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

export const ALL = '$__all';

export interface ResolvedVariable {
  values: string[]; // [ALL] for All
  /** Multi-value or Include-All variables are regex-escaped by default (they are meant for =~). */
  regexContext: boolean;
  allValue?: string;
}

/** A variable's values: the caller's override, else the saved selection, else Grafana's fallback, else All. */
export function resolveVariable(v: DashboardVariable, override?: string | string[]): ResolvedVariable | undefined {
  const chosen = override ?? v.current ?? v.default ?? (v.includeAll ? ALL : undefined);
  if (chosen === undefined) return undefined;
  const list = Array.isArray(chosen) ? chosen : [chosen];
  const values = list.includes(ALL) ? [ALL] : list;
  if (values.length === 0) return undefined;
  return { values, regexContext: Boolean(v.multi || v.includeAll), allValue: v.allValue };
}

/** Escapes regex metacharacters with a doubled backslash, as a PromQL double-quoted string needs (`a\\.b`). */
export function promRegexEscape(s: string): string {
  return s.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

/** A plain value inside a PromQL string: only the backslash and the double quote need escaping. */
export function promStringEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function regexEscape(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

function group(list: string[]): string {
  return list.length === 1 ? list[0] : `(${list.join('|')})`;
}

/** Grafana's named formats (https://grafana.com/docs/grafana/latest/dashboards/variables/variable-syntax/). */
export function formatValues(r: ResolvedVariable, format?: string): string {
  if (r.values[0] === ALL) return r.allValue ?? '.*';
  const v = r.values;
  switch (format) {
    case 'regex':
      return group(v.map(regexEscape));
    case 'pipe':
      return v.join('|');
    case 'csv':
    case 'raw':
    case 'text':
      return v.join(',');
    case 'glob':
      return v.length === 1 ? v[0] : `{${v.join(',')}}`;
    case 'json':
      return JSON.stringify(v.length === 1 ? v[0] : v);
    case 'singlequote':
      return v.map((x) => `'${x.replace(/'/g, "\\'")}'`).join(',');
    case 'doublequote':
      return v.map((x) => `"${x.replace(/"/g, '\\"')}"`).join(',');
    case 'sqlstring':
      return v.map((x) => `'${x.replace(/'/g, "''")}'`).join(',');
    case 'percentencode':
      return encodeURIComponent(v.join(','));
    default:
      return r.regexContext ? group(v.map(promRegexEscape)) : promStringEscape(v.join(','));
  }
}

export interface Interpolated {
  text: string;
  /** Variable names referenced but not defined (left as written). */
  unresolved: string[];
}

/**
 * Replaces variables in `text`. `builtins` are Grafana's `$__…` values, inserted as is; `variables` the
 * dashboard's, formatted per reference.
 */
export function interpolate(text: string, variables: Map<string, ResolvedVariable>, builtins: Record<string, string>): Interpolated {
  const unresolved = new Set<string>();
  const out = text.replace(VARIABLE, (match, plain, bracket, bracketFmt, braced, _field, bracedFmt) => {
    const name: string = plain ?? bracket ?? braced;
    const format: string | undefined = bracketFmt ?? bracedFmt;
    if (Object.hasOwn(builtins, name)) return builtins[name];
    const v = variables.get(name);
    if (v) return formatValues(v, format);
    if (/^[A-Za-z_]/.test(name)) unresolved.add(name);
    return match;
  });
  return { text: out, unresolved: [...unresolved] };
}
