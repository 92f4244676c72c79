import { loadConfig } from '../../../src/config/load';
import type { LookoutConfig } from '../../../src/config/types';

/** A LookoutConfig from YAML through the real loader (null: no configuration at all). */
export function configFrom(yaml: string | null, env: Record<string, string> = {}): LookoutConfig {
  const result = loadConfig(env, yaml);
  if (!result.ok) throw new Error(`test configuration has problems:\n${result.problems.join('\n')}`);
  return result.config.lookout;
}
