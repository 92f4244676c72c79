import fs from 'node:fs';
import { loadConfig, type LoadResult } from './load';

export { loadConfig, type LoadResult } from './load';
export { parseDuration, tryParseDuration } from './duration';
export { VERBS, GRANT_PREFIXES } from './schema';
export type * from './types';

export type ReadFile = (path: string, encoding: 'utf8') => string;

const DEFAULT_PATH = './lookout.yml';

/**
 * Reads the configuration named by LOOKOUT_CONFIG (which must exist) or ./lookout.yml when present, then
 * validates it with the environment. A missing or unreadable file is one more problem in the same list.
 */
export function readConfig(
  env: Record<string, string | undefined>,
  readFile: ReadFile = (path, encoding) => fs.readFileSync(path, encoding),
): LoadResult {
  const explicit = env.LOOKOUT_CONFIG?.trim() || undefined;
  const path = explicit ?? DEFAULT_PATH;
  let text: string;
  try {
    text = readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code;
    if (explicit === undefined && code === 'ENOENT') return loadConfig(env, null);
    const reason =
      code === 'ENOENT' ? `no such file: ${path}` : code === 'EISDIR' ? `${path} is a directory, not a file` : `${path} cannot be read (${code ?? String(e)})`;
    const problem = `${explicit === undefined ? 'config file' : 'env LOOKOUT_CONFIG'}: ${reason}`;
    const rest = loadConfig(env, null);
    return { ok: false, problems: [problem, ...(rest.ok ? [] : rest.problems)] };
  }
  const result = loadConfig(env, text);
  if (!result.ok || explicit !== undefined) return result;
  return { ok: true, config: { ...result.config, env: { ...result.config.env, configPath: path } } };
}

/** The one start-up message: every problem, one per line. */
export function formatProblems(problems: string[]): string {
  const n = problems.length;
  return [`Lookout cannot start: ${n} configuration problem${n === 1 ? '' : 's'}:`, ...problems.map((p) => `  - ${p}`)].join('\n');
}
