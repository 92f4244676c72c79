import path from 'node:path';
import { openPlayground, PLAYGROUND_CHANNEL, type Playground } from '../helpers/browser';
import { eventually, fastClock } from '../helpers/fast-clock';
import { createSandboxFis } from '../../src/sandbox/fis';
import { PLAYGROUND_CONFIG } from '../../src/playground/world';

// The whole playground story in a real browser: the sandbox account behind the real app, the clock sped up 10× so a
// 3-minute experiment takes 18 s (the sandbox analysis takes 8 s of clock time). A guard query gets half a guard
// interval of that clock: the default 15s at the former 100× left it 75 ms of real time, which a loaded machine
// overruns (the approval preflight refuses, or evaluations fail). 20s at 10× gives it 1 s real; the web-5xx guard
// (for: 30s) still goes pending, then fires two intervals later, long before the run's natural end.
const yaml = PLAYGROUND_CONFIG.replace(/^chaos:\n/m, 'chaos:\n  guardInterval: 20s\n');

describe('playground in Chromium on the sandbox account', () => {
  let pg: Playground;
  beforeAll(async () => {
    if (yaml === PLAYGROUND_CONFIG) throw new Error('PLAYGROUND_CONFIG has no chaos: section to set guardInterval in');
    const clock = fastClock(10);
    pg = await openPlayground({ bench: { yaml, start: { sandbox: true, clock, sandboxFis: createSandboxFis({ clock }) } } });
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
  });

  it('/reach web-1 -> db-1:5432 shows the blocked answer naming the security group', async () => {
    await pg.type('/reach web-1 -> db-1:5432');
    await pg.waitForText(/cannot reach/, { timeout: 20_000 });
    const message = pg.page.locator('#messages .msg', { hasText: 'cannot reach' }).last();
    const text = await message.innerText();
    expect(text).toMatch(/db-sg/);
    expect(text).toMatch(/add an inbound rule/i);
    expect(text).toMatch(/5432/);
    await pg.screenshot('playground-reach');
  });

  it('runs /chaos as requester; the approver approves in the page; the web-5xx guard trips and Lookout stops it', async () => {
    await pg.switchUser('requester');
    await pg.type('/chaos run cpu-stress-web --reason "game day"');
    await pg.waitForText(/game day/, { timeout: 20_000 });
    await pg.switchUser('approver');
    await pg.clickButton('Approve', { confirm: true });
    const card = pg.page.locator('#messages .msg', { hasText: 'game day' }).last();
    // The run raises the sandbox's 5xx rate past the guard's threshold for its `for:`: "stopped by guard web-5xx".
    await card.getByText(/stopped by guard web-5xx/i).first().waitFor({ timeout: 30_000 });
    // The approval started exactly one experiment, announced in the card's thread.
    const cardTs = pg.bench.slack.allMessages().find((m) => (!m.threadTs || m.threadTs === m.ts) && JSON.stringify(m.blocks ?? []).includes('game day'))?.ts;
    expect(cardTs).toBeDefined();
    const started = pg.bench.slack.thread(PLAYGROUND_CHANNEL.id, cardTs!).filter((m) => /has started/.test(m.text ?? ''));
    expect(started).toHaveLength(1);
    await eventually(() => pg.bench.slack.thread(PLAYGROUND_CHANNEL.id, cardTs!).some((m) => /Guard \*web-5xx\* fired/.test(JSON.stringify(m.blocks ?? m.text))));
    await pg.screenshot('playground-chaos');
    if (process.env.UPDATE_SCREENSHOT === '1') await pg.screenshot('playground', path.join(__dirname, '..', '..', 'docs', 'playground.png'));
  });

  it('made no request off the machine and raised no page errors', () => {
    expect(pg.offMachine).toEqual([]);
    expect(pg.pageErrors).toEqual([]);
  });
});
