import fc from 'fast-check';
import YAML from 'yaml';
import { loadConfig } from '../../../src/config/load';
import { PRODUCT_EXAMPLE } from './example';

const envArb = fc.dictionary(
  fc.constantFrom('SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_API_URL', 'PORT', 'DATABASE_URL', 'LOG_LEVEL', 'AWS_REGION', 'LOOKOUT_CONFIG', 'PROM_TOKEN', 'toString', '__proto__'),
  fc.option(fc.string(), { nil: undefined }),
);

function assertTotal(env: Record<string, string | undefined>, text: string | null): void {
  const result = loadConfig(env, text);
  if (result.ok) expect(result.config.lookout.present).toBe(text !== null);
  else {
    expect(result.problems.length).toBeGreaterThan(0);
    // The catch-all in loadConfig is a last resort: validation itself must not have thrown.
    for (const p of result.problems) expect(p).not.toMatch(/^configuration could not be read/);
  }
}

describe('loadConfig never throws', () => {
  it('on arbitrary text and environment', () => {
    fc.assert(fc.property(envArb, fc.option(fc.string({ unit: 'binary' }), { nil: null }), (env, text) => assertTotal(env, text)), { numRuns: 200 });
  });

  it('on arbitrary YAML-shaped documents', () => {
    const doc = fc.anything({ maxDepth: 4, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true });
    fc.assert(fc.property(envArb, doc, (env, value) => assertTotal(env, YAML.stringify(value) ?? '')), { numRuns: 200 });
  });

  it('on mutations of the product example', () => {
    const lines = PRODUCT_EXAMPLE.split('\n');
    const mutation = fc.record({
      line: fc.nat({ max: lines.length - 1 }),
      at: fc.nat({ max: 80 }),
      insert: fc.oneof(fc.constantFrom(':', '[', ']', '{', '}', '-', ' ', '"', '*x', '&a ', '!!str ', '0', 'true', '\t'), fc.string({ maxLength: 4 })),
      remove: fc.nat({ max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const copy = [...lines];
        for (const m of mutations) {
          const l = copy[m.line];
          copy[m.line] = l.slice(0, m.at) + m.insert + l.slice(m.at + m.remove);
        }
        assertTotal({}, copy.join('\n'));
      }),
      { numRuns: 200 },
    );
  });

  it('on the product example with any part replaced by anything', () => {
    const example = YAML.parse(PRODUCT_EXAMPLE) as unknown;
    const paths = collectPaths(example);
    const replacement = fc.record({ path: fc.constantFrom(...paths), value: fc.anything({ maxDepth: 2 }) });
    fc.assert(
      fc.property(fc.array(replacement, { minLength: 1, maxLength: 3 }), (changes) => {
        const copy = structuredClone(example);
        for (const c of changes) setAt(copy, c.path, c.value);
        assertTotal({}, YAML.stringify(copy) ?? '');
      }),
      { numRuns: 200 },
    );
  });

  it('on an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    const result = loadConfig({}, bomb);
    expect(result.ok).toBe(false);
  });
});

function collectPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = prefix.length > 0 ? [prefix] : [];
  if (typeof value !== 'object' || value === null) return here;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [...here, ...entries.flatMap(([k, v]) => collectPaths(v, [...prefix, k]))];
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) return;
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = value;
}
