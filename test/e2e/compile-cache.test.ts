import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lastJsonLine, runChild, transpileTree } from '../helpers/transpile-tree';

// Start time (docs/performance.md): src/ops/compile-cache.ts turns on Node's compile cache before Bolt and the rest
// load, and writes it once Lookout takes requests; the next start reads compiled code instead of compiling.
describe('compile cache', () => {
  let js: string;
  let cache: string;
  beforeAll(() => {
    js = transpileTree();
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-cc-'));
  }, 60_000);
  afterAll(() => {
    fs.rmSync(js, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('is written at ready, and the next start uses it for the modules it loads (Bolt among them)', async () => {
    const first = await runChild(js, 'compile-cache-child', { LOG_LEVEL: 'silent', NODE_COMPILE_CACHE: cache });
    expect({ code: first.code, err: first.err }).toEqual({ code: 0, err: '' });
    const written = lastJsonLine<{ dir: string; files: number }>(first.out);
    expect(written.dir.startsWith(cache)).toBe(true);
    expect(written.files).toBeGreaterThan(100); // hundreds of modules load at start

    const second = await runChild(js, 'compile-cache-child', { LOG_LEVEL: 'silent', NODE_COMPILE_CACHE: cache, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
    expect(second.code).toBe(0);
    const accepted = second.err.split('\n').filter((l) => l.includes('was accepted'));
    expect(accepted.length).toBeGreaterThan(100);
    expect(accepted.some((l) => l.includes(`@slack${path.sep}bolt${path.sep}dist${path.sep}App.js`))).toBe(true);
  }, 60_000);

  it('applies to the production bundle: its entry turns the cache on before the bundle loads', async () => {
    const root = path.join(__dirname, '..', '..');
    execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle.js')], { cwd: root, stdio: 'ignore' });
    const bundleCache = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-cc-bundle-'));
    try {
      // Loading the bundle without starting anything: Node writes what it compiled when the process exits. No
      // NODE_COMPILE_CACHE (it would turn the cache on for everything from the start): the default directory under
      // TMPDIR, so only the entry's own enableCompileCache() can put the bundle there.
      const load = (debug: boolean) =>
        spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(root, 'dist', 'lookout.js'))})`], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', TMPDIR: bundleCache, ...(debug ? { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' } : {}) },
        });
      expect(load(false).status).toBe(0);
      const second = load(true);
      expect(second.status).toBe(0);
      const bundleLines = second.stderr.split('\n').filter((l) => l.includes(`dist${path.sep}lookout.bundle.js`));
      expect(bundleLines.some((l) => l.includes('was accepted'))).toBe(true);
    } finally {
      fs.rmSync(bundleCache, { recursive: true, force: true });
    }
  }, 60_000);

  it('NODE_DISABLE_COMPILE_CACHE=1 turns it off, and Lookout still starts', async () => {
    const off = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-cc-off-'));
    try {
      const run = await runChild(js, 'compile-cache-child', { LOG_LEVEL: 'silent', NODE_COMPILE_CACHE: off, NODE_DISABLE_COMPILE_CACHE: '1' });
      expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
      expect(lastJsonLine(run.out)).toEqual({ dir: null, files: 0 });
      expect(fs.readdirSync(off)).toEqual([]);
    } finally {
      fs.rmSync(off, { recursive: true, force: true });
    }
  }, 60_000);
});
