import { escapeText } from './text';

/**
 * "Run it yourself" for AMP (product.md §2, aws-apis.md §5): the awscurl call that gives the same answer. The
 * query is user text: it is form-encoded where it must be, single-quoted for the shell, and escaped for Slack.
 */
export interface AmpLocation {
  region: string;
  workspaceId: string;
}

export type AmpCall =
  | { op: 'query'; query: string; at: number }
  | { op: 'query_range'; query: string; start: number; end: number; stepMs: number }
  | { op: 'labels'; metric?: string }
  | { op: 'series'; selector: string; start: number; end: number };

const MAX_LINE = 2000;

/** `'…'` for POSIX shells: a single quote inside becomes `'\''`. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

// awscurl sends -d as is: only the characters that change a form body's meaning need encoding.
function formValue(s: string): string {
  return s.replace(/%/g, '%25').replace(/&/g, '%26').replace(/\+/g, '%2B').replace(/\r?\n/g, '%0A');
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The lines for runItYourself(); each is already escaped for Slack (runItYourself does not escape). */
export function ampCurlLines(amp: AmpLocation, call: AmpCall): string[] {
  const url = `https://aps-workspaces.${amp.region}.amazonaws.com/workspaces/${amp.workspaceId}/api/v1/${call.op}`;
  const params: [string, string][] = [];
  switch (call.op) {
    case 'query':
      params.push(['query', call.query], ['time', iso(call.at)]);
      break;
    case 'query_range':
      params.push(['query', call.query], ['start', iso(call.start)], ['end', iso(call.end)], ['step', `${call.stepMs / 1000}s`]);
      break;
    case 'labels':
      if (call.metric) params.push(['match[]', `{__name__="${call.metric}"}`]);
      break;
    case 'series':
      params.push(['match[]', call.selector], ['start', iso(call.start)], ['end', iso(call.end)]);
      break;
  }
  const data = params.map(([k, v]) => ` -d ${shellQuote(`${k}=${formValue(v)}`)}`).join('');
  const curl = `awscurl -X POST --region ${amp.region} --service aps ${shellQuote(url)}${data} -H 'Content-Type: application/x-www-form-urlencoded'`;
  const lines = ['pip3 install --user awscurl  # once'];
  lines.push(curl.length > MAX_LINE ? '# the query is too long to show here: copy it from the message above' : curl);
  return lines.map(escapeText);
}
