import { ephemeralBody } from '../../handlers/reply';
import { renderHelp } from '../../src/views/lookout';
import { message, section } from '../../src/views/message';

// `/lookout help` is rendered once per input and shared frozen; its response URL body is serialized once too
// (docs/performance.md, "What was changed"). A message that can still change is serialized every time.
const expected = (msg: { text: string; blocks: unknown }) => ({ response_type: 'ephemeral', replace_original: false, text: msg.text, blocks: msg.blocks });

test('a frozen help message: the same body each time, and it is the message as sent', () => {
  const help = renderHelp([{ command: '/lookout', lines: [{ syntax: 'help', description: 'What you can run here' }] }], 'A note.');
  const first = ephemeralBody(help);
  expect(Buffer.isBuffer(first)).toBe(true);
  expect(ephemeralBody(help)).toBe(first);
  expect(JSON.parse((first as Buffer).toString('utf8'))).toEqual(expected(help));
});

test('a message that can still change is never served from an earlier serialization', () => {
  const msg = message([section('before')], 'before');
  expect(ephemeralBody(msg)).toEqual(expected(msg));
  (msg.blocks as unknown[]).push(section('after'));
  expect(ephemeralBody(msg)).toEqual(expected(msg));
  expect(JSON.stringify(ephemeralBody(msg))).toContain('after');
});
