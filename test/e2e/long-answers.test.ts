import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { createSandboxFis, sandboxTemplates } from '../../src/sandbox/fis';
import type { SandboxTemplate } from '../../src/sandbox/fis/templates';

const CHANNEL = 'C0LONGANS1';
const ALICE = 'U0ALICE01';
const COUNT = 60;

/** Sixty templates with long descriptions: more than one message holds. */
function manyTemplates(): SandboxTemplate[] {
  const [base] = sandboxTemplates();
  return Array.from({ length: COUNT }, (_, i) => {
    const t = structuredClone(base);
    const n = String(i + 1).padStart(2, '0');
    t.template.id = `EXTsbxmany00${n}`;
    t.template.name = `game-day-${n}`;
    t.template.tags = { ...t.template.tags, Name: `game-day-${n}` };
    t.template.description = `Game day ${n} <b>: ${'stress the web tier and watch the alarms, '.repeat(5)}`;
    return t;
  });
}

// product.md §2: output stays within Block Kit limits; very long text goes in a file.
describe('e2e: an answer too long for one message is posted cut, with the whole of it attached as a file', () => {
  let bench: Bench;
  beforeAll(async () => {
    const clock = fastClock(200);
    bench = await startBench({ start: { sandbox: true, clock, sandboxFis: createSandboxFis({ clock, templates: manyTemplates(), seedHistory: false }) } });
  });
  afterAll(() => bench.stop());

  it('/chaos list with 60 templates: the message says where the rest is; answer.txt in its thread has every template', async () => {
    await bench.driver.command('/chaos', 'list', { user: ALICE, channel: CHANNEL });
    const post = await bench.slack.waitFor((c) => c.method === 'chat.postMessage' && /Experiment templates/.test(textOf(c.args)), 20_000);
    expect(textOf(post.args)).toMatch(/more templates not shown/);
    expect(textOf(post.args)).toContain('`answer.txt`');
    expect(textOf(post.args)).not.toContain(`game-day-${COUNT}`);
    const ts = (post.reply as { ts: string }).ts;
    const withFile = await eventually(() => bench.slack.thread(CHANNEL, ts).find((m) => m.files?.some((f) => f.name === 'answer.txt')), 20_000);
    const file = withFile.files!.find((f) => f.name === 'answer.txt')!;
    const text = await (await fetch(file.url_private)).text();
    for (let i = 1; i <= COUNT; i++) expect(text).toContain(`game-day-${String(i).padStart(2, '0')}`);
    expect(text).toContain('Game day 60 <b>'); // plain text: entities decoded, it is a file, not mrkdwn
  });
});
