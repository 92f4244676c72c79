import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel, WebClient } from '@slack/web-api';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { SlackDriver } from '../../src/playground/driver';
import { startPlayground, type PlaygroundHandle, type PlaygroundRole } from '../../src/playground/server';
import { BOT_TOKEN, startBench, type Bench } from './app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
import { PLAYGROUND_CHANNEL, PLAYGROUND_USERS, sandboxPanel } from '../../src/playground/world';

export { PLAYGROUND_CHANNEL, PLAYGROUND_USERS, sandboxPanel };

/** Records what the page sent into the app (and lets a test swap the target, e.g. for a forged signature). */
export interface RecordingDriver extends SlackDriver {
  calls: { kind: 'command' | 'action' | 'mention'; args: any[]; status?: number }[];
  target: SlackDriver;
}

export function recordDriver(driver: SlackDriver): RecordingDriver {
  const rec: RecordingDriver = {
    calls: [],
    target: driver,
    raw: (body, o) => rec.target.raw(body, o),
    command: (...args) => track('command', args, () => rec.target.command(...args)),
    action: (...args) => track('action', args, () => rec.target.action(...args)),
    mention: (...args) => track('mention', args, () => rec.target.mention(...args)),
  };
  async function track<R extends { status: number }>(kind: 'command' | 'action' | 'mention', args: any[], call: () => Promise<R>): Promise<R> {
    const entry: RecordingDriver['calls'][number] = { kind, args };
    rec.calls.push(entry);
    const res = await call();
    entry.status = res.status;
    return res;
  }
  return rec;
}

export interface Playground {
  bench: Bench;
  page: Page;
  url: string;
  driver: RecordingDriver;
  /** The bot's WebClient against the stand-in: post messages as Lookout would. */
  web: WebClient;
  /** Requests the page tried to make off this machine (blocked). */
  offMachine: string[];
  pageErrors: string[];
  type(text: string, opts?: { inThread?: boolean }): Promise<void>;
  waitForText(text: string | RegExp, opts?: { inThread?: boolean; timeout?: number }): Promise<Locator>;
  switchUser(role: PlaygroundRole): Promise<void>;
  /** Clicks the newest button with this label; `confirm` answers the dialog it must open (true = confirm). */
  clickButton(label: string, opts?: { confirm?: boolean }): Promise<void>;
  screenshot(name: string, file?: string): Promise<string>;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, setLevel: () => undefined, getLevel: () => LogLevel.ERROR, setName: () => undefined };

/** Boots the real app (startBench), the playground server and Chromium with a fresh profile, and opens the page. */
export async function openPlayground(o: { bench?: Parameters<typeof startBench>[0] } = {}): Promise<Playground> {
  const bench = await startBench({ ...o.bench, slack: { channels: [PLAYGROUND_CHANNEL], users: PLAYGROUND_USERS, ...o.bench?.slack } });
  const driver = recordDriver(bench.driver);
  let server: PlaygroundHandle | undefined;
  let context: BrowserContext | undefined;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-chromium-'));
  const close = async () => {
    await context?.close().catch(() => undefined);
    await server?.close();
    await bench.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  try {
    server = await startPlayground({ port: 0, standIn: bench.slack, driver, users: PLAYGROUND_USERS, channel: PLAYGROUND_CHANNEL, sandbox: sandboxPanel() });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1360, height: 860 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  } catch (err) {
    await close();
    throw err;
  }
  const offMachine: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (LOOPBACK.has(url.hostname)) return route.continue();
    offMachine.push(url.href);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (m) => (m.type() === 'error' ? pageErrors.push(m.text()) : undefined));
  await page.goto(server.url);
  await page.locator('#conn.live').waitFor();

  const scope = (inThread?: boolean) => page.locator(inThread ? '#thread-messages' : '#messages');
  const pg: Playground = {
    bench,
    page,
    url: server.url,
    driver,
    web: new WebClient(BOT_TOKEN, { slackApiUrl: bench.slack.apiUrl, retryConfig: { retries: 0 }, logger: quiet }),
    offMachine,
    pageErrors,
    async type(text, t = {}) {
      const input = page.locator(t.inThread ? '#thread-input' : '#composer-input');
      await input.fill(text);
      await input.press('Enter');
    },
    async waitForText(text, t = {}) {
      const found = scope(t.inThread).getByText(text).first();
      await found.waitFor({ timeout: t.timeout ?? 10_000 });
      return found;
    },
    async switchUser(role) {
      const user = PLAYGROUND_USERS.find((u) => u.role === role);
      if (!user) throw new Error(`No playground user with role ${role}`);
      await page.locator('#user-switch').selectOption(user.id);
    },
    async clickButton(label, c = {}) {
      await page.locator('.msg-content button').filter({ hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).last().click();
      if (c.confirm === undefined) return;
      await page.locator('#modal').waitFor();
      await page.locator(c.confirm ? '#modal-confirm' : '#modal-deny').click();
      await page.locator('#modal').waitFor({ state: 'hidden' });
    },
    async screenshot(name, file) {
      const target = file ?? path.join(ARTIFACTS, `${name}.png`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await page.screenshot({ path: target });
      return target;
    },
    close,
  };
  return pg;
}

/** Waits until `check` passes (for effects that arrive asynchronously, like a recorded driver call). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
