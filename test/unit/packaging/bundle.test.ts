import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { buildSync } from 'esbuild';

/**
 * scripts/bundle.js rewrites esbuild's module factories as parenthesised functions (compiled eagerly, so Node's compile
 * cache holds them). An esbuild whose output has another shape must fail the build, not leave every factory lazy.
 */
const root = path.join(__dirname, '..', '..', '..');
const { eagerFactories } = require(path.join(root, 'scripts', 'bundle.js')) as { eagerFactories: (code: string) => string };

/** What the installed esbuild writes for an entry that requires two CommonJS modules: two factories. */
function esbuildOutput(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-bundle-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.js'), 'exports.n = 1;\n');
    fs.writeFileSync(path.join(dir, 'b.js'), 'module.exports = { n: 2 };\n');
    fs.writeFileSync(path.join(dir, 'entry.js'), "module.exports = require('./a.js').n + require('./b.js').n;\n");
    return buildSync({ entryPoints: [path.join(dir, 'entry.js')], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'error' }).outputFiles[0]!.text;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(code: string): unknown {
  const module = { exports: {} as unknown };
  vm.runInNewContext(code, { module, exports: module.exports });
  return module.exports;
}

/** The output with a factory written another way (as a later esbuild might): `"a.js": function(exports2) {`. */
const reshape = (code: string, count: number) => {
  let left = count;
  return code.replace(/^( {2}"[^"]+")\(/gm, (m, name: string) => (left-- > 0 ? `${name}: function(` : m));
};

it("rewrites every factory of the installed esbuild's output, and the bundle still runs", () => {
  const out = eagerFactories(esbuildOutput());
  expect(out.match(/^ {2}"[^"]+": \(function \(/gm)).toHaveLength(2);
  expect(run(out)).toBe(3);
});

it('fails the build when no factory was rewritten (an esbuild whose output has another shape)', () => {
  const reshaped = reshape(esbuildOutput(), 2);
  expect(run(reshaped)).toBe(3); // still a working bundle: only the rewrite missed it
  expect(() => eagerFactories(reshaped)).toThrow('scripts/bundle.js: 0 of the 2 module factories esbuild wrote were rewritten');
});

it('fails the build when only some factories were rewritten', () => {
  expect(() => eagerFactories(reshape(esbuildOutput(), 1))).toThrow('1 of the 2 module factories esbuild wrote were rewritten');
});
