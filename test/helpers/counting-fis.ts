import type { SandboxFis } from '../../src/sandbox/fis';

/** Wraps an object so every method call on it is counted. */
function counted<T extends object>(o: T, tick: () => void): T {
  return new Proxy(o, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      return typeof v === 'function' ? (...args: unknown[]) => (tick(), v.apply(target, args)) : v;
    },
  });
}

/**
 * The sandbox FIS with a count of every call Lookout makes to it (the "AWS calls" of a sandbox run): hostile
 * requests must leave the count where it was.
 */
export function countingFis(fis: SandboxFis): { fis: SandboxFis; calls: () => number } {
  let n = 0;
  const tick = () => void n++;
  return {
    fis: { ...fis, experiments: counted(fis.experiments, tick), forTarget: (t) => counted(fis.forTarget(t), tick) },
    calls: () => n,
  };
}
