// Builds dist/ with tsc when it is missing or older than the TypeScript sources (used by `npm start` and `npm run bench`).
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

module.exports = function ensureBuilt() {
  const entry = path.join(root, 'dist', 'src', 'main.js');
  // The image ships dist/ without the TypeScript sources or the compiler: what is built is what runs.
  if (!fs.existsSync(path.join(root, 'src'))) {
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing and there are no sources here to build it from`);
    return entry;
  }
  const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'handlers')));
  if (built < sources) {
    process.stderr.write('Building Lookout (tsc)…\n');
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  }
  return entry;
};
