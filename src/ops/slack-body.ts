import { parse } from 'node:querystring';

/**
 * Whether Bolt's parseHTTPRequestBody would make an object of this body. Bolt reads a property of what it parsed
 * unchecked, so `payload=null`, `payload=42`, a JSON `null` or an array made it throw inside its receiver and the
 * request was never answered (found by test/reliability/hostile-requests.test.ts): the front door answers those
 * 400. Malformed JSON counts as an object here: Bolt refuses it (400) itself.
 */
export function parsesToObject(text: string, contentType: string | undefined): boolean {
  let parsed: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      // A slash command's form has no `payload` field: Bolt makes an object of it whatever its values are, so they
      // are not decoded here (Bolt decodes them once, after this).
      if (!mayHavePayloadKey(text)) return true;
      const { payload } = parse(text);
      if (typeof payload !== 'string') return true;
      parsed = JSON.parse(payload);
    } else parsed = JSON.parse(text);
  } catch {
    return true;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
}

/**
 * False only when no key of the form can be `payload` once decoded: keys are read without decoding values, and a
 * key with an escape (`%`, `+`) counts as a possible `payload`, so the full parse above decides those.
 */
function mayHavePayloadKey(text: string): boolean {
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    const eq = text.indexOf('=', start);
    const key = text.slice(start, eq === -1 || eq > end ? end : eq);
    if (key === 'payload' || key.includes('%') || key.includes('+')) return true;
    start = end + 1;
  }
  return false;
}
