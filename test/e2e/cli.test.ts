import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSlackStandIn } from '../../src/playground/slack-stand-in';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/app';
import { EXPECTED_HOSTILE, sendHostileRequests } from '../helpers/hostile-http';
import { scanChildOutput } from '../helpers/child-scan';

const root = path.join(__dirname, '..', '..');

// The real CLI: `node scripts/start.js` (what `npm start` runs), built once for this file: the production bundle.
describe('npm start (the real process)', () => {
  let dir: string;
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle.js')], { cwd: root, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-cli-'));
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function start(env: Record<string, string>) {
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.js')], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'warn', DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}`, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    // Issue 13 item 8: what the process printed is scanned for the canaries (a hit fails this file).
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => (scanChildOutput({ text: { output: out } }), r(code))));
    return { child, exited, output: () => out };
  }

  it('exits non-zero before touching Slack when lookout.yml is broken, listing every problem', async () => {
    const slack = await startSlackStandIn({ botToken: BOT_TOKEN });
    try {
      fs.writeFileSync(path.join(dir, 'lookout.yml'), 'chaos: { approvalTtl: forever, maxRunning: -1 }\nchannels:\n  C0123: { allow: [teleport] }\n');
      const p = start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });
      expect(await p.exited).toBe(1);
      expect(p.output()).toMatch(/3 configuration problems/);
      expect(p.output()).toMatch(/chaos\.approvalTtl/);
      expect(p.output()).toMatch(/teleport/);
      expect(slack.calls).toHaveLength(0);
    } finally {
      fs.rmSync(path.join(dir, 'lookout.yml'), { force: true });
      await slack.close();
    }
  }, 60_000);

  it('without any Slack variables, serves the playground page and prints its URL', async () => {
    const port = 30000 + Math.floor(Math.random() * 20000);
    const p = start({ PORT: String(port), DATABASE_URL: `sqlite:${path.join(dir, 'playground.db')}` });
    try {
      for (let i = 0; i < 150 && !/playground/.test(p.output()); i++) await new Promise((r) => setTimeout(r, 100));
      expect(p.output()).toContain(`http://localhost:${port}`);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<title>Lookout playground</title>');
      expect(html).toContain('<script src="/static/app.js" defer></script>');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
    }
  }, 60_000);

  it('serves /healthz, survives hostile requests, and stops cleanly on SIGTERM', async () => {
    const slack = await startSlackStandIn({ botToken: BOT_TOKEN });
    const port = 30000 + Math.floor(Math.random() * 20000);
    const p = start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port) });
    try {
      await slack.waitFor('auth.test', 30_000);
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      // Unsigned GETs, wrong methods, junk and 8 MB bodies once made the process exit 1: now each gets a 4xx.
      const answers = await sendHostileRequests(`http://127.0.0.1:${port}`, SIGNING_SECRET);
      expect(Object.fromEntries(answers.map((a) => [a.name, a.status]))).toEqual(EXPECTED_HOSTILE);
      expect(p.child.exitCode).toBeNull();
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      await slack.close();
    }
  }, 60_000);
});
