/**
 * Loads on first use. The SDK clients (~36 MiB, ~0.5 s) and the chart engine (~12 MiB, ~0.2 s) would otherwise be
 * paid at every start, including in the playground and by teams that never use the feature.
 */
export function lazy<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => (loaded ??= { value: load() }).value;
}
