import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { CHILD_LOG, CHILD_SCAN } from './child-log';
import { scanChildOutput } from './child-scan';
import type { ScanTally } from './canaries';

const root = path.join(__dirname, '..', '..');

/**
 * Transpiles src/, handlers/ and test/helpers/ (no type check) into a temp dir that links the repo's node_modules,
 * and assets/, so a child process can run the real app as plain JavaScript: its memory is then Lookout's alone, without the
 * jest worker's history or the TypeScript compiler. Returns the temp dir; remove it when done.
 */
export function transpileTree(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-js-'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  // The chart font, found by walking up from src/charts as in the image: without it a child's charts fail to draw.
  fs.symlinkSync(path.join(root, 'assets'), path.join(out, 'assets'), 'dir');
  for (const top of ['src', 'handlers', path.join('test', 'helpers')]) {
    for (const rel of walk(path.join(root, top))) {
      const from = path.join(root, top, rel);
      const to = path.join(out, top, rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (!from.endsWith('.ts')) {
        fs.copyFileSync(from, to);
        continue;
      }
      const { outputText } = ts.transpileModule(fs.readFileSync(from, 'utf8'), {
        fileName: from,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
      });
      fs.writeFileSync(to.replace(/\.ts$/, '.js'), outputText);
    }
  }
  return out;
}

function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}

/**
 * Runs `test/helpers/<name>.js` of a transpiled tree in a child Node; resolves with its exit code, output, and the
 * secret scan of everything it logged (debug level, into a file), posted and stored (test/helpers/child-scan.ts):
 * the hits also fail the test file.
 */
export async function runChild(tree: string, name: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<{ code: number | null; out: string; err: string; scan: ScanTally }> {
  const files = fs.mkdtempSync(path.join(tree, `${name}-`));
  const log = path.join(files, 'log.jsonl');
  const dump = path.join(files, 'scan.jsonl');
  const child = spawn(process.execPath, [...nodeArgs, path.join(tree, 'test', 'helpers', `${name}.js`)], { env: { ...process.env, ...env, [CHILD_LOG]: log, [CHILD_SCAN]: dump } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve)); // after its output is read
  const scan = scanChildOutput({ log, dump, text: { stdout: out, stderr: err } });
  fs.rmSync(files, { recursive: true, force: true });
  return { code, out, err, scan };
}

/** What a child printed last: one JSON line. */
export function lastJsonLine<T>(out: string): T {
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}
