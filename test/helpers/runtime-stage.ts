import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { instructions, parseCopy, parseDockerfile, parseEnv, parseExecForm, stageNamed, type Stage } from './dockerfile';

const root = path.join(__dirname, '..', '..');

export interface RuntimeStage {
  /** The runtime stage's WORKDIR, assembled on disk. */
  app: string;
  /** Maps a path inside the container (/data/lookout.db) onto the disk. */
  disk(containerPath: string): string;
  /** The stage's ENV, with `sqlite:/…` paths mapped onto the disk. */
  env: Record<string, string>;
  cmd: string[];
  user?: string;
  /** Packages whose install script's output (native addons) came from the repository's own install. */
  nativeFromRootInstall: string[];
}

/** .dockerignore as Docker reads it: a pattern excludes the paths it matches and everything under them. */
export function dockerIgnored(): (relPath: string) => boolean {
  const patterns = fs
    .readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!'))) throw new Error('.dockerignore exceptions (!) are not understood by this test');
  return (rel) => {
    const parts = rel.split('/');
    return parts.some((_, i) => patterns.some((p) => path.matchesGlob(parts.slice(0, i + 1).join('/'), p)));
  };
}

/**
 * Rebuilds the Dockerfile's last stage under `into` without a container engine: each COPY takes its files from the
 * build context (honouring .dockerignore) or from the stage it names, rebuilt the same way; each RUN is replayed
 * by a rule below, and an unknown RUN fails the test instead of being skipped.
 */
export function buildRuntimeStage(into: string): RuntimeStage {
  const stages = parseDockerfile(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
  const ignored = dockerIgnored();
  const built = new Map<Stage, string>();
  const nativeFromRootInstall: string[] = [];

  const build = (stage: Stage, index: number): string => {
    const done = built.get(stage);
    if (done) return done;
    const rootfs = path.join(into, stage.name ?? `stage-${index}`);
    const disk = (p: string) => path.join(rootfs, p);
    let workdir = '/';
    for (const ins of stage.instructions) {
      if (ins.op === 'WORKDIR') fs.mkdirSync(disk((workdir = path.posix.resolve(workdir, ins.args))), { recursive: true });
      if (ins.op === 'COPY') {
        const copy = parseCopy(ins.args);
        const from = copy.from === undefined ? undefined : stageNamed(stages, copy.from);
        const intoDir = copy.dest.endsWith('/') || copy.sources.length > 1;
        for (const source of copy.sources) {
          const src = from ? path.join(build(from, stages.indexOf(from)), source) : path.join(root, source);
          if (!from && ignored(source)) throw new Error(`Dockerfile line ${ins.line}: COPY ${source} is excluded by .dockerignore`);
          const dest = disk(path.posix.resolve(workdir, copy.dest, intoDir ? path.basename(source) : ''));
          fs.cpSync(src, dest, { recursive: true, verbatimSymlinks: true, filter: (p) => !!from || !ignored(path.relative(root, p)) });
        }
      }
      if (ins.op === 'RUN') replay(ins.args, disk(workdir), disk, nativeFromRootInstall);
    }
    built.set(stage, rootfs);
    return rootfs;
  };

  const runtime = stages[stages.length - 1];
  const rootfs = build(runtime, stages.length - 1);
  const disk = (p: string) => path.join(rootfs, p);
  const last = (op: string) => instructions(runtime, op).at(-1)?.args;
  const env = Object.assign({}, ...instructions(runtime, 'ENV').map((i) => parseEnv(i.args))) as Record<string, string>;
  for (const [k, v] of Object.entries(env)) if (v.startsWith('sqlite:/')) env[k] = `sqlite:${disk(v.slice('sqlite:'.length))}`;
  return { app: disk(last('WORKDIR') ?? '/'), disk, env, cmd: parseExecForm(last('CMD') ?? '[]'), user: last('USER'), nativeFromRootInstall };
}

function replay(command: string, cwd: string, disk: (p: string) => string, nativeFromRootInstall: string[]): void {
  for (const step of command.split(/\s*&&\s*/)) {
    const [program, ...args] = step.split(/\s+/);
    if (program === 'apt-get' || step.startsWith('rm -rf /var/lib/apt')) continue; // the base image's toolchain: the machine has its own
    if (program === 'chown') continue; // ownership: the USER line is checked on its own
    if (program === 'mkdir' && args[0] === '-p') args.slice(1).forEach((p) => fs.mkdirSync(disk(p), { recursive: true }));
    else if (program === 'ln' && args[0] === '-s' && args.length === 3) fs.symlinkSync(disk(args[1]), disk(args[2]));
    else if (program === 'npm' && args[0] === 'ci') npmCi(args.slice(1), cwd, nativeFromRootInstall);
    else if (program === 'npx' && args[0] === 'tsc') execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), ...args.slice(1)], { cwd, stdio: 'pipe' });
    else if (program === 'node' && args[0] === 'scripts/bundle.js') execFileSync(process.execPath, args, { cwd, stdio: 'pipe' });
    else if (step === `node -e "require('./dist/lookout.js')"`) warmCompileCache(cwd, disk);
    else throw new Error(`test/helpers/runtime-stage.ts cannot replay \`RUN ${step}\` yet: teach it`);
  }
}

/** The image's compile cache: written where Node puts it by default, `<TMPDIR>/node-compile-cache`, TMPDIR the stage's /tmp. */
function warmCompileCache(cwd: string, disk: (p: string) => string): void {
  fs.mkdirSync(disk('/tmp'), { recursive: true });
  const env = { PATH: process.env.PATH ?? '', TMPDIR: disk('/tmp') };
  execFileSync(process.execPath, ['-e', "require('./dist/lookout.js')"], { cwd, env, stdio: 'pipe' });
}

/**
 * `npm ci --omit=dev` runs for real (offline, from the npm cache the repository's own `npm ci` filled). Install
 * scripts are skipped and their output taken from the repository's install instead, which is the same package
 * version (checked) built by the same Node: compiling better-sqlite3 again would cost a minute and prove nothing
 * more. Any other `npm ci` (the compiler's full install) is the repository's node_modules: same lockfile, checked.
 */
function npmCi(args: string[], cwd: string, nativeFromRootInstall: string[]): void {
  const lockfile = fs.readFileSync(path.join(cwd, 'package-lock.json'), 'utf8');
  if (!args.includes('--omit=dev')) {
    if (lockfile !== fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) throw new Error('the stage installs another lockfile than the repository');
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(cwd, 'node_modules'), 'dir');
    return;
  }
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  execFileSync('npm', ['ci', ...args, '--offline', '--ignore-scripts'], { cwd, env, stdio: 'pipe' });
  const packages = (JSON.parse(lockfile) as { packages: Record<string, { version?: string; dev?: boolean; hasInstallScript?: boolean }> }).packages;
  for (const [key, meta] of Object.entries(packages)) {
    if (!key || meta.dev || !meta.hasInstallScript || !fs.existsSync(path.join(cwd, key))) continue;
    const installed = JSON.parse(fs.readFileSync(path.join(root, key, 'package.json'), 'utf8')) as { version: string };
    if (installed.version !== meta.version) throw new Error(`${key}: the repository has ${installed.version} installed, the lockfile says ${meta.version}`);
    const addons = (fs.readdirSync(path.join(root, key), { recursive: true }) as string[]).filter((f) => f.endsWith('.node'));
    if (addons.length === 0) throw new Error(`${key} has an install script but the repository's install holds no .node file to reuse`);
    for (const f of addons) fs.cpSync(path.join(root, key, f), path.join(cwd, key, f));
    nativeFromRootInstall.push(key.slice('node_modules/'.length));
  }
}
