// Builds what runs when it is missing or older than the TypeScript sources (used by `npm start` and `npm run bench`):
// the production bundle, dist/lookout.js (scripts/bundle.js, esbuild: no type check, `npm run build` does that too),
// and with { modules: true } also tsc's one-file-per-module tree, dist/src, whose modules the bench loads one by one.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);

module.exports = function ensureBuilt({ modules = false } = {}) {
  const entry = path.join(root, 'dist', 'lookout.js');
  // The image ships the bundle without the TypeScript sources or the compiler: what is built is what runs.
  if (!fs.existsSync(path.join(root, 'src'))) {
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing and there are no sources here to build it from`);
    return entry;
  }
  const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'handlers')));
  const bundled = Math.min(mtime(entry), mtime(path.join(root, 'dist', 'lookout.bundle.js')));
  if (bundled < Math.max(sources, mtime(path.join(__dirname, 'bundle.js')))) {
    process.stderr.write('Building Lookout (esbuild)…\n');
    require('./bundle').bundle();
  }
  if (modules && mtime(path.join(root, 'dist', 'src', 'main.js')) < sources) {
    process.stderr.write('Building Lookout (tsc)…\n');
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  }
  return entry;
};
