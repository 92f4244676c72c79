import { constants, enableCompileCache, flushCompileCache, getCompileCacheDir } from 'node:module';

/**
 * Start time (docs/performance.md). Most of Lookout's start is compiling the JavaScript of its dependencies (Bolt,
 * the Web API client, Kysely, zod, pino, prom-client…); Node's compile cache keeps V8's compiled code on disk, keyed
 * by each file's content and the Node version, so the next start reads it instead of compiling again.
 *
 * Where it lives: `NODE_COMPILE_CACHE` when set, otherwise Node's default, `<os.tmpdir()>/node-compile-cache`
 * (`/tmp/node-compile-cache` in the image, writable by its `node` user). `NODE_DISABLE_COMPILE_CACHE=1` turns it
 * off. A directory that cannot be written only costs the speed-up: nothing fails, the code is compiled as before.
 * A stale entry (another Node version, a changed file) is never used.
 *
 * main.ts imports this module first, for this effect: only modules loaded after it use the cache.
 */
const result = enableCompileCache();

/** Where the cache lives, or null when it is off (disabled, or its directory could not be used). */
export const compileCacheDir: string | null = result.status === constants.compileCacheStatus.FAILED ? null : (getCompileCacheDir() ?? null);

/**
 * Writes what this start compiled now rather than at exit: a process that is killed (OOM, SIGKILL) never exits
 * normally, and its successor would compile everything again.
 */
export function saveCompileCache(): void {
  if (compileCacheDir) flushCompileCache();
}
