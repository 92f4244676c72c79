import { renderHelp } from '../../../src/views/lookout';

// `/lookout help` is the most frequent command; its listing is rendered once per distinct input
// (docs/performance.md, "What was changed").
const whoami = { syntax: 'whoami', description: 'who am I & what may I do' };
const status = { syntax: 'status', description: 'is Lookout healthy?' };

test('the same commands, lines and note give the same frozen message, rendered once', () => {
  const a = renderHelp([{ command: '/lookout', lines: [whoami, status] }], 'In <#C1>');
  const b = renderHelp([{ command: '/lookout', lines: [whoami, status] }], 'In <#C1>');
  expect(b).toBe(a);
  expect(Object.isFrozen(a) && Object.isFrozen(a.blocks) && Object.isFrozen(a.blocks[0])).toBe(true);
  expect(() => (a.blocks as unknown[]).push({})).toThrow();
});

test('another set of lines, another note or a line built afresh gives its own, correct listing', () => {
  const both = renderHelp([{ command: '/lookout', lines: [whoami, status] }], 'In <#C1>');
  const one = renderHelp([{ command: '/lookout', lines: [whoami] }], 'In <#C1>');
  const elsewhere = renderHelp([{ command: '/lookout', lines: [whoami] }], 'In <#C2>');
  const fresh = renderHelp([{ command: '/lookout', lines: [{ ...whoami, description: 'changed & new' }] }], 'In <#C1>');
  expect(JSON.stringify(both)).toContain('/lookout status');
  expect(JSON.stringify(one)).not.toContain('/lookout status');
  expect(JSON.stringify(elsewhere)).toContain('In &lt;#C2&gt;');
  expect(JSON.stringify(fresh)).toContain('changed &amp; new');
  expect(new Set([both, one, elsewhere, fresh]).size).toBe(4);
});
