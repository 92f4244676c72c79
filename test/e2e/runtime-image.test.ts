import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSlackStandIn, type SlackStandIn } from '../../src/playground/slack-stand-in';
import { NO_SLACK_CREDENTIALS } from '../../src/playground/mode';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/app';
import { eventually } from '../helpers/fast-clock';
import { buildRuntimeStage, type RuntimeStage } from '../helpers/runtime-stage';

const root = path.join(__dirname, '..', '..');

const LOOKOUT_YML = `aws: { region: us-east-1 }
accounts:
  prod: { roleArn: "arn:aws:iam::111111111111:role/lookout", region: us-east-1 }
channels:
  default: { account: prod, allow: [reach, metrics, "chaos:read"] }
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Linux lists listening IPv4 sockets in /proc/net/tcp: local address 00000000 is 0.0.0.0, state 0A is LISTEN. */
function listensOnAllInterfaces(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').some((l) => l.trim().split(/\s+/)[1] === `00000000:${hex}` && l.trim().split(/\s+/)[3] === '0A');
}

// The Dockerfile's runtime stage rebuilt in a temp folder (test/helpers/runtime-stage.ts) and started the way the
// image starts it: its CMD, its ENV, its WORKDIR. Only -e variables and the /data and /config mounts are added.
describe('the image runtime stage, rebuilt from the Dockerfile', () => {
  let dir: string;
  let image: RuntimeStage;
  let slack: SlackStandIn;
  const children: ReturnType<typeof spawn>[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-image-'));
    image = buildRuntimeStage(dir);
    slack = await startSlackStandIn({ botToken: BOT_TOKEN });
  }, 420_000);
  afterAll(async () => {
    children.forEach((c) => c.kill('SIGKILL'));
    await slack?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function start(runEnv: Record<string, string>) {
    const [program, ...args] = image.cmd;
    expect(program).toBe('node');
    const child = spawn(process.execPath, args, {
      cwd: image.app,
      // No AWS call may leave the machine: no instance metadata, every endpoint a closed local port.
      env: { PATH: process.env.PATH ?? '', HOME: dir, TMPDIR: image.disk('/tmp'), AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'warn', ...image.env, ...runEnv },
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { child, exited, output: () => out };
  }

  it('runs as a non-root user, with the same entry as npm start, and ships no dev dependency', () => {
    expect(image.user).toBeDefined();
    expect(['root', '0']).not.toContain(image.user!.split(':')[0]);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(image.cmd.join(' ')).toBe(pkg.scripts.start);
    expect(image.env.NODE_ENV).toBe('production');
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages as Record<string, { dev?: boolean }>;
    const devPresent = Object.entries(lock).filter(([key, meta]) => key && meta.dev && fs.existsSync(path.join(image.app, key)));
    expect(devPresent.map(([key]) => key)).toEqual([]);
    expect(fs.existsSync(path.join(image.app, 'node_modules', 'typescript'))).toBe(false);
    expect(fs.existsSync(path.join(image.app, 'src'))).toBe(false); // no TypeScript sources: nothing to rebuild at start
    expect(image.nativeFromRootInstall).toEqual(['better-sqlite3']);
    // The esbuild bundle is what runs (scripts/bundle.js), not tsc's one-file-per-module tree.
    expect(fs.readdirSync(path.join(image.app, 'dist')).sort()).toEqual(['lookout.bundle.js', 'lookout.js', 'src']);
    expect(fs.readdirSync(path.join(image.app, 'dist', 'src'))).toEqual(['playground']); // the page only
  });

  it('ships the compile cache of its bundle: the first start reads the bundle compiled (as the image\'s user, from its /tmp)', () => {
    const load = spawnSync(process.execPath, ['-e', "require('./dist/lookout.js')"], {
      cwd: image.app,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TMPDIR: image.disk('/tmp'), NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
    });
    expect(load.status).toBe(0);
    const bundle = load.stderr.split('\n').filter((l) => l.includes(`dist${path.sep}lookout.bundle.js`));
    expect(bundle.some((l) => l.includes('was accepted'))).toBe(true);
  });

  it('with Slack credentials and a mounted LOOKOUT_CONFIG, answers /healthz and /readyz', async () => {
    const config = image.disk('/config/lookout.yml');
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.writeFileSync(config, LOOKOUT_YML);
    const port = await freePort();
    const p = start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, LOOKOUT_CONFIG: config, PORT: String(port) });
    const readyz = await eventually(async () => (p.child.exitCode === null ? fetch(`http://127.0.0.1:${port}/readyz`).then((r) => (r.status === 200 ? r : undefined), () => undefined) : Promise.reject(new Error(p.output()))), 60_000);
    expect(await readyz.json()).toMatchObject({ ready: true, store: 'ok', slack: 'ok' });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(fs.existsSync(image.disk('/data/lookout.db'))).toBe(true); // the store is on the /data volume
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 90_000);

  it('with LOOKOUT_PLAYGROUND=1, serves the playground page on every interface', async () => {
    const port = await freePort();
    const p = start({ LOOKOUT_PLAYGROUND: '1', PORT: String(port) });
    const page = await eventually(async () => (p.child.exitCode === null ? fetch(`http://127.0.0.1:${port}/`).then((r) => (r.status === 200 ? r : undefined), () => undefined) : Promise.reject(new Error(p.output()))), 60_000);
    expect(await page.text()).toMatch(/<title>[^<]*Lookout/);
    expect((await fetch(`http://127.0.0.1:${port}/static/app.js`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200); // the image's HEALTHCHECK
    expect(listensOnAllInterfaces(port)).toBe(true);
    expect(fs.existsSync(image.disk('/data/playground.db'))).toBe(true); // sandbox state apart from the real store
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 90_000);

  it('without Slack credentials or LOOKOUT_PLAYGROUND, exits 1 saying what to set', async () => {
    const p = start({ PORT: String(await freePort()) });
    expect(await p.exited).toBe(1);
    expect(p.output().trim()).toBe(NO_SLACK_CREDENTIALS);
  }, 60_000);
});
