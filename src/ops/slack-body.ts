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
      const { payload } = parse(text);
      if (typeof payload !== 'string') return true;
      parsed = JSON.parse(payload);
    } else parsed = JSON.parse(text);
  } catch {
    return true;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
}
