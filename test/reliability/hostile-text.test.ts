import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { parseChaos, CHAOS_USAGE } from '../../src/commands/chaos';
import { parseGrafana, GRAFANA_USAGE } from '../../src/commands/grafana';
import { parseLookout, LOOKOUT_USAGE } from '../../src/commands/lookout';
import { parseMetrics, METRICS_USAGE } from '../../src/commands/metrics';
import { parseReach, REACH_USAGE } from '../../src/commands/reach';
import { parseReport, REPORT_USAGE } from '../../src/commands/report';
import { CAPS } from '../../src/text';
import { renderUsageError } from '../../src/views/feedback';
import { tokenKinds } from '../helpers/live-tokens';
import { SOAK, size, timeoutFor } from '../helpers/soak';

type Parse = (text: string) => { ok: true; request: object } | { ok: false; error: string };

/** The cap on each field a grammar returns (src/text.ts CAPS); a field not listed here fails the test, so a new one gets a cap. */
const FIELD_CAP: Record<string, number> = {
  source: CAPS.name,
  destination: CAPS.name,
  pathId: CAPS.name,
  region: CAPS.name,
  account: CAPS.name,
  template: CAPS.name,
  experiment: CAPS.name,
  metric: CAPS.name,
  dashboard: CAPS.name,
  panel: CAPS.name,
  id: CAPS.name,
  tz: CAPS.name,
  reason: CAPS.reason,
  expr: CAPS.promql,
  query: CAPS.promql,
  selector: CAPS.promql,
  terms: CAPS.searchTerms,
  cron: CAPS.cron,
  command: CAPS.command,
};

/** Fields of a request over their cap, or with no cap at all (`kind` and non-strings aside). */
function capProblems(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => capProblems(x, `${path}[${i}]`));
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => {
    if (typeof x === 'object') return capProblems(x, `${path}.${k}`);
    if (typeof x !== 'string' || k === 'kind' || k === 'protocol') return [];
    const cap = FIELD_CAP[k];
    if (cap === undefined) return [`${path}.${k} has no cap`];
    return x.length > cap ? [`${path}.${k} is ${x.length} > ${cap}`] : [];
  });
}

/** The words a grammar knows (from its own usage lines), so generated inputs reach deep into it. */
const vocabulary = (lines: string[]) => [...new Set(lines.join(' ').replace(/[`[\]|]/g, ' ').split(/\s+/).filter(Boolean))];
const syntaxOf = (lines: { syntax: string }[]) => lines.map((l) => l.syntax);
const reachLines = syntaxOf(REACH_USAGE);

/** Pieces attackers and typos bring: Slack tokens, escapes, quotes, backticks, control and wide characters. */
const HOSTILE = ['<!channel>', '<!here>', '<@U0EVIL01>', '<#C0EVIL01>', '<https://evil.example|click>', '&amp;', '&lt;', '&', '`', '```', '"', "'", '“', '—', '\u0000', '\n', '\t', '--', '-h', '=', ':', '->', '{', '}', '[5m]', '😀', '\u202e'];

/** A value for a placeholder: a known word, a hostile piece, or a long run (around and over every cap), maybe quoted. */
function values(vocab: string[]): fc.Arbitrary<string> {
  const long = fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 4200 })).map((n) => 'a'.repeat(n));
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...vocab) },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 2, arbitrary: long },
    { weight: 2, arbitrary: long.map((s) => `"${s} x"`) },
  );
}

/**
 * Inputs: a usage line with its placeholders (SOURCE, "EXPR", …) filled by generated values and its options kept
 * or dropped (these reach the deep paths), free word salad, arbitrary Unicode, and inputs around CAPS.input.
 */
function inputs(lines: string[], vocab: string[]): fc.Arbitrary<string> {
  const value = values(vocab);
  const fromUsage = fc.constantFrom(...lines).chain((syntax) => {
    const parts = syntax.replace(/[[\]]/g, ' ').split(/\s+/).filter(Boolean);
    return fc.tuple(...parts.map((p) => (/^["A-Z]/.test(p) ? value : fc.constantFrom(...p.split('|'), '')))).map((ws) => ws.filter(Boolean).join(' '));
  });
  return fc.oneof(
    { weight: 6, arbitrary: fromUsage },
    { weight: 3, arbitrary: fc.array(value, { maxLength: 12 }).map((ws) => ws.join(' ')) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.integer({ min: CAPS.input - 5, max: CAPS.input + 50 }).map((n) => 'b '.repeat(n).slice(0, n)) },
  );
}

const GRAMMARS: Array<[string, Parse, string[]]> = [
  ['/reach', parseReach as Parse, reachLines],
  ['/chaos', parseChaos as Parse, syntaxOf(CHAOS_USAGE)],
  ['/metrics', parseMetrics as Parse, syntaxOf(METRICS_USAGE)],
  ['/grafana', parseGrafana as Parse, syntaxOf(GRAFANA_USAGE)],
  ['/report', parseReport as Parse, syntaxOf(REPORT_USAGE)],
  ['/lookout', parseLookout as Parse, syntaxOf(LOOKOUT_USAGE)],
];

const RUNS = size(1_000, 100_000);

/**
 * Issue 13 item 2, grammars: every input gets a request or a usage error (never a throw), an input over
 * CAPS.input is always refused, every field of a request is within its cap, and a usage error (which quotes the
 * input) renders with no live mention, broadcast or link. Max time per input is printed at full size.
 */
describe(`reliability: every grammar fuzzed (${RUNS.toLocaleString('en-US')} inputs each)`, () => {
  const timings: string[] = [];
  afterAll(() => {
    if (SOAK) process.stdout.write(`hostile-text timings: ${timings.join(', ')}\n`);
  });

  it.each(GRAMMARS)('%s: ok or a usage error, caps hold, errors inert', (name, parse, lines) => {
    expect(lines.length).toBeGreaterThan(2);
    let max = 0;
    let ok = 0;
    fc.assert(
      fc.property(inputs(lines, vocabulary(lines)), (text) => {
        const t0 = performance.now();
        const r = parse(text);
        max = Math.max(max, performance.now() - t0);
        if (text.length > CAPS.input) expect(r.ok).toBe(false);
        if (r.ok) {
          ok++;
          expect(capProblems(r.request)).toEqual([]);
        } else {
          expect(typeof r.error === 'string' && r.error.length > 0).toBe(true);
          expect(tokenKinds(renderUsageError(r.error, 'usage'))).toEqual(tokenKinds(renderUsageError('x', 'usage')));
        }
      }),
      { numRuns: RUNS },
    );
    timings.push(`${name} max ${max.toFixed(2)} ms (${ok} parsed ok)`);
    expect(ok).toBeGreaterThan(0); // the generator reaches past the usage errors
  }, timeoutFor(30_000, 1_800_000));
});

describe('reliability: grammar cases the full-size fuzz found', () => {
  it('/reach: a destination of 256 characters with no port is refused at the name cap (it passed the name+port allowance)', () => {
    const dest = 'a'.repeat(CAPS.name + 1);
    expect(parseReach(`web-1 -> ${dest}`)).toMatchObject({ ok: false, error: expect.stringContaining(`at most ${CAPS.name} characters`) });
    expect(parseReach(`web-1 -> ${'a'.repeat(CAPS.name)}:5432/udp`)).toMatchObject({ ok: true });
  });
});
