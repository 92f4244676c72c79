import path from 'node:path';
import { createSlackDriver } from '../../src/playground/driver';
import { METRICS_ACTIONS } from '../../src/views/metrics';
import { eventually, openPlayground, PLAYGROUND_CHANNEL, type Playground } from '../helpers/browser';

// The real app (startBench) behind the playground page, driven in Debian's Chromium through playwright-core.
const CHANNEL = PLAYGROUND_CHANNEL.id;
const ALICE = 'U0ALICE01';
// A real listener that only acknowledges (the Grafana link button), so a click answers 200 and changes nothing.
const ACK_ONLY = METRICS_ACTIONS.openGrafana;
const BOB = 'U0BOB0001';
const button = (label: string, actionId: string, extra: Record<string, unknown> = {}): any => ({
  type: 'button',
  text: { type: 'plain_text', text: label },
  action_id: actionId,
  value: 'v',
  ...extra,
});

describe('playground page in Chromium', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await openPlayground();
  }, 60_000);
  afterAll(async () => {
    if (pg && process.env.UPDATE_SCREENSHOT === '1') await saveReadmeScreenshot(pg);
    await pg?.close();
  });

  it('shows the channel, the user switcher and the sandbox world; a suggestion fills the composer', async () => {
    await pg.waitForText('This is the very beginning of #lookout-playground');
    expect(await pg.page.locator('#user-switch option').allTextContents()).toEqual(['alice — requester', 'bob — approver', 'carol — someone else']);
    await pg.page.locator('#resources').getByText('db-sg', { exact: true }).waitFor();
    await pg.page.locator('#resources').getByText('allows tcp/5433 from web-sg').waitFor();
    await pg.page.locator('.suggestion', { hasText: '/reach web-1 -> db-1:5432' }).click();
    expect(await pg.page.locator('#composer-input').inputValue()).toBe('/reach web-1 -> db-1:5432');
  });

  it('sends /lookout help as a signed slash command and renders the answer, visible only to the caller', async () => {
    await pg.type('/lookout help');
    const header = await pg.waitForText('Lookout — what you can run here');
    expect(await header.evaluate((el) => el.className)).toBe('bk-header');
    const message = pg.page.locator('#messages .msg', { hasText: 'Lookout — what you can run here' });
    await message.getByText('Only visible to you').waitFor();
    expect(await message.locator('code', { hasText: '/lookout whoami' }).count()).toBe(1);
    expect(pg.driver.calls.at(-1)).toMatchObject({ kind: 'command', args: ['/lookout', 'help', { user: ALICE, channel: CHANNEL }], status: 200 });

    await pg.switchUser('approver');
    await eventually(async () => expect(await message.count()).toBe(0));
    await pg.switchUser('requester');
    await eventually(async () => expect(await message.count()).toBe(1));
  });

  it('sends @Lookout as an app_mention from the current user and shows the answer in its thread', async () => {
    await pg.switchUser('approver');
    await pg.type('@Lookout whoami');
    await pg.waitForText('whoami');
    await (await pg.waitForText('1 reply')).click();
    await pg.waitForText('AWS account:', { inThread: true });
    expect(pg.driver.calls.at(-1)).toMatchObject({ kind: 'mention', args: [expect.stringMatching(/^<@UBOT\w+> whoami$/), { user: BOB, channel: CHANNEL }], status: 200 });
    await pg.page.locator('#thread-close').click();
    await pg.switchUser('requester');
  });

  it('turns a button click into a signed block_actions request with the message, action id, value and current user', async () => {
    const posted = await pg.web.chat.postMessage({
      channel: CHANNEL,
      text: 'buttons',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'A card with *buttons*' } }, { type: 'actions', elements: [button('Try me', ACK_ONLY, { style: 'primary', value: 'try-value' })] }],
    });
    await pg.waitForText('A card with');
    await pg.switchUser('approver');
    const before = pg.driver.calls.length;
    await pg.clickButton('Try me');
    const call = await eventually(() => {
      expect(pg.driver.calls.length).toBe(before + 1);
      expect(pg.driver.calls[before].status).toBe(200);
      return pg.driver.calls[before];
    });
    expect(call).toMatchObject({ kind: 'action', args: [{ ts: posted.ts, channel: CHANNEL }, ACK_ONLY, { user: BOB, value: 'try-value' }] });
    await pg.switchUser('requester');
  });

  it('asks for confirmation before sending a click that has a confirm dialog', async () => {
    const confirm = {
      title: { type: 'plain_text', text: 'Stop the experiment now?' },
      text: { type: 'mrkdwn', text: 'FIS stops *cpu-stress* at once.' },
      confirm: { type: 'plain_text', text: 'Stop it' },
      deny: { type: 'plain_text', text: 'Keep running' },
      style: 'danger',
    };
    await pg.web.chat.postMessage({ channel: CHANNEL, text: 'confirm', blocks: [{ type: 'actions', elements: [button('Stop', ACK_ONLY, { style: 'danger', confirm })] }] });
    const before = pg.driver.calls.length;
    await pg.clickButton('Stop');
    const modal = pg.page.locator('#modal');
    await modal.waitFor();
    expect(await modal.locator('#modal-title').textContent()).toBe('Stop the experiment now?');
    expect(await modal.locator('#modal-text').innerHTML()).toBe('FIS stops <b>cpu-stress</b> at once.');
    expect(await modal.locator('#modal-confirm').textContent()).toBe('Stop it');
    expect(await modal.locator('#modal-deny').textContent()).toBe('Keep running');
    expect(pg.driver.calls.length).toBe(before);

    await modal.locator('#modal-deny').click();
    await modal.waitFor({ state: 'hidden' });
    expect(pg.driver.calls.length).toBe(before);
    // No sleep to prove the denied click sent nothing: the exact list of calls after the confirmed click below
    // would contain it.

    await pg.clickButton('Stop', { confirm: true });
    await eventually(() => expect(pg.driver.calls.slice(before).map((c) => [c.kind, c.args[1], c.status])).toEqual([['action', ACK_ONLY, 200]]));
  });

  it('updates messages in place and threads replies as the stand-in changes (Server-Sent Events)', async () => {
    const first = await pg.web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':hourglass: Analysing web-1 → db-1…' } }] });
    await pg.waitForText('Analysing web-1');
    await pg.web.chat.update({ channel: CHANNEL, ts: first.ts!, text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':x: *Not reachable*' } }] });
    const updated = pg.page.locator(`.msg[data-ts="${first.ts}"]`);
    await updated.getByText('Not reachable').waitFor();
    expect(await updated.textContent()).toContain('(edited)');
    expect(await pg.page.getByText('Analysing web-1').count()).toBe(0);
    await pg.web.chat.postMessage({ channel: CHANNEL, thread_ts: first.ts, text: 'Blocked by db-sg' });
    await updated.getByText('1 reply').click();
    await pg.waitForText('Blocked by db-sg', { inThread: true });
    await pg.page.locator('#thread-close').click();
  });

  it('keeps hostile message text inert in the browser', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await pg.web.chat.postMessage({
      channel: CHANNEL,
      text: `&lt;img src=x onerror="window.__pwned=3"&gt; ${evil}`,
      attachments: [{ color: 'danger', text: evil, title: evil, title_link: 'javascript:window.__pwned=4' }],
    });
    await pg.web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${evil} <javascript:window.__pwned=5|click me>` } }] });
    await pg.waitForText('click me');
    await pg.page.getByText('click me').click();
    const last = pg.page.locator('#messages .msg').last();
    expect(await last.textContent()).toContain('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    expect(await pg.page.locator('.msg-content img, .msg-content script, .msg-content a[href^="javascript"]').count()).toBe(0);
    expect(await pg.page.evaluate(() => (globalThis as any).__pwned)).toBeUndefined();
  });

  it('shows uploaded images, served through the playground origin', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await pg.web.files.uploadV2({ channel_id: CHANNEL, file: png, filename: 'chart.png', title: 'CPU chart', initial_comment: 'The chart' });
    const img = pg.page.locator('.bk-file-image img').last();
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(/^\/files\/F\w+\/chart\.png$/);
    await eventually(async () => expect(await img.evaluate((el: any) => el.complete && el.naturalWidth)).toBe(1));
    // Later changes to the channel leave rendered messages (and loaded images) alone.
    const element = await img.elementHandle();
    await pg.web.chat.postMessage({ channel: CHANNEL, text: 'after the chart' });
    await pg.waitForText('after the chart');
    expect(await element!.evaluate((el: any) => el.isConnected)).toBe(true);
  });

  it('shows an error line when the app answers non-200', async () => {
    const forged = createSlackDriver({ appUrl: `${pg.bench.app.url}/slack/events`, signingSecret: 'not-the-signing-secret', standIn: pg.bench.slack });
    pg.driver.target = forged;
    try {
      await pg.type('/lookout whoami');
      await pg.waitForText('/lookout whoami failed: Lookout refused the request signature (HTTP 401)');
    } finally {
      pg.driver.target = pg.bench.driver;
    }
  });

  it('made no request off the machine and raised no page errors', () => {
    expect(pg.offMachine).toEqual([]);
    expect(pg.pageErrors).toEqual([]);
  });
});

/** UPDATE_SCREENSHOT=1 refreshes docs/playground.png (the README's picture) from a fresh channel. */
async function saveReadmeScreenshot(pg: Playground): Promise<void> {
  pg.bench.slack.reset();
  await pg.waitForText('This is the very beginning');
  await pg.type('/lookout whoami');
  await pg.waitForText('AWS account:');
  await pg.type('@Lookout status');
  await (await pg.waitForText('1 reply')).click();
  await pg.page.locator('#thread-messages .msg').nth(1).waitFor();
  await pg.page.locator('#composer-input').fill('/reach web-1 -> db-1:5432');
  await pg.screenshot('playground', path.join(__dirname, '..', '..', 'docs', 'playground.png'));
}
