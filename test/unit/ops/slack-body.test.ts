import { parse } from 'node:querystring';
import { parsesToObject } from '../../../src/ops/slack-body';

const FORM = 'application/x-www-form-urlencoded';
const slash =
  'token=x&team_id=T1&channel_id=C1&user_id=U1&command=%2Flookout&text=help&response_url=https%3A%2F%2Fhooks.slack.com%2Fr%2F1&trigger_id=1.2.3';

// The front door answers 400 for forms Bolt would parse into something other than an object (it would throw and
// never answer); a slash command's form is read for its keys only (docs/performance.md, "What was changed").
describe('parsesToObject on forms', () => {
  test.each([
    ['a slash command (no payload field)', slash, true],
    ['payload=null', 'payload=null', false],
    ['payload=42 after other fields', 'a=1&payload=42', false],
    ['an array payload', `payload=${encodeURIComponent('[1]')}`, false],
    ['an object payload', `payload=${encodeURIComponent('{"type":"block_actions"}')}`, true],
    ['an escaped key that decodes to payload', 'p%61yload=null', false],
    ['a key with + before payload', 'x+y=1&payload=null', false],
    ['payload twice (an array to Bolt, which then reads no JSON)', 'payload=null&payload=null', true],
    ['malformed JSON (Bolt refuses it itself)', 'payload=%7Bnope', true],
    ['a key without a value', 'payload', true],
    ['an empty body', '', true],
  ])('%s', (_name, body, expected) => {
    expect(parsesToObject(body, FORM)).toBe(expected);
  });

  test('agrees with a full parse of the form on bodies built from tricky pieces', () => {
    const pieces = ['payload=null', 'p%61yload=1', 'payload=%7B%7D', 'a=1', 'payload', '=payload', 'pay+load=null', '&', 'payload=%5B%5D', 'x%3Dpayload=null'];
    const reference = (text: string) => {
      const { payload } = parse(text);
      if (typeof payload !== 'string') return true;
      try {
        const v: unknown = JSON.parse(payload);
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      } catch {
        return true;
      }
    };
    for (const a of pieces) for (const b of pieces) for (const sep of ['&', '']) {
      const body = `${a}${sep}${b}`;
      expect([body, parsesToObject(body, FORM)]).toEqual([body, reference(body)]);
    }
  });
});

test('JSON bodies: objects pass, null and arrays do not', () => {
  expect(parsesToObject('{"type":"event_callback"}', 'application/json')).toBe(true);
  expect(parsesToObject('null', 'application/json')).toBe(false);
  expect(parsesToObject('[]', 'application/json')).toBe(false);
});
