import { CAPS, closestNames, codeSafe, editDistance, escapeText, inlineCode } from '../../src/text';
import { capBlocks, header, message, mentionList, section, context } from '../../src/views/message';
import { parseChaos } from '../../src/commands/chaos';
import { parseGrafana } from '../../src/commands/grafana';
import { parseLookout } from '../../src/commands/lookout';
import { parseMetrics } from '../../src/commands/metrics';
import { parseReach } from '../../src/commands/reach';
import { parseReport } from '../../src/commands/report';

describe('the one escaping rule', () => {
  it('escapes &, < and > only; code spans neutralise backticks', () => {
    expect(escapeText('<!channel> & <https://evil.example|x>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;');
    expect(codeSafe('a`b<c')).toBe('aˋb&lt;c');
    expect(inlineCode('`<@U1>`')).toBe('`ˋ&lt;@U1&gt;ˋ`');
  });
});

describe('edit distance and closest names are bounded', () => {
  it('computes Levenshtein distances, and stops at max + 1', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(editDistance('a', 'a'.repeat(1000), 5)).toBe(6); // length difference alone
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2); // a whole row above max
  });

  it(`cuts both the name and every candidate to CAPS.name (${CAPS.name}) before matching`, () => {
    const prefix = 'a'.repeat(CAPS.name);
    // Equal within the cap, 19,745 characters apart after it: only the cut makes them near.
    const typed = prefix + 'b'.repeat(20_000 - CAPS.name);
    const fromAws = prefix + 'c'.repeat(20_000 - CAPS.name);
    const found = closestNames(typed, [fromAws, 'web-1']);
    expect(found).toHaveLength(1);
    expect(found[0].length).toBeLessThanOrEqual(CAPS.name); // and what is shown is cut too
    expect(found[0].startsWith('a'.repeat(CAPS.name - 1))).toBe(true);
  });

  it('keeps the suggestions people expect', () => {
    expect(closestNames('db-1', ['db-10', 'db-01', 'web-1', 'cache-1', 'db-2', 'db-22'])).toEqual(['db-01', 'db-10', 'db-2']);
    expect(closestNames('payments-api', ['payments-api-blue', 'orders'])).toEqual(['payments-api-blue']);
  });
});

describe('message(): the notification text comes from escaped content', () => {
  it('escapes a plain summary once, even when the caller already escaped it', () => {
    expect(message([], 'Template <!channel> & co').text).toBe('Template &lt;!channel&gt; &amp; co');
    expect(message([], 'Template &lt;!channel&gt;').text).toBe('Template &lt;!channel&gt;');
  });

  it('mentions only through validated ids', () => {
    expect(message([], ['by ', { mention: 'U0ALICE' }, ' for ', ...mentionList(['S0SRE', '<!channel>'])]).text).toBe('by <@U0ALICE> for <!subteam^S0SRE>, `&lt;!channel&gt;`');
  });

  it('without a summary, takes the first header (escaped) or section/context (already mrkdwn)', () => {
    expect(message([header('Template <!here>'), section('*x*')]).text).toBe('Template &lt;!here&gt;');
    expect(message([section('*Experiment* `a` &lt;b&gt;'), context('later')]).text).toBe('*Experiment* `a` &lt;b&gt;');
    expect(message([context('only context')]).text).toBe('only context');
  });
});

describe('message(): a cut answer carries its whole text (attached as a file when posted)', () => {
  it('a section over 3,000 characters or blocks over 50 give `full`; a message that fits has none', () => {
    const long = 'a &lt;b&gt; '.repeat(400);
    const cut = message([section(long)]);
    expect(cut.blocks[0]).toMatchObject({ text: { text: expect.stringMatching(/…$/) } });
    expect(cut.full).toBe('a <b> '.repeat(400));
    const many = message(capBlocks(Array.from({ length: 60 }, (_, i) => section(`row ${i}`)), 'rows'));
    expect(many.blocks).toHaveLength(50);
    expect(many.full).toContain('row 59');
    expect(message([section('short')]).full).toBeUndefined();
  });
});

describe(`every grammar caps its fields (CAPS: input ${CAPS.input}, name ${CAPS.name}, promql ${CAPS.promql}, reason ${CAPS.reason})`, () => {
  const long = (n: number) => 'x'.repeat(n);
  const error = (r: { ok: true } | { ok: false; error: string }) => (r.ok ? '' : r.error);
  it.each([
    ['reach: the whole text', () => parseReach(`${long(CAPS.input)} -> db-1`), `at most ${CAPS.input.toLocaleString('en-US')} characters`],
    ['reach: source', () => parseReach(`${long(CAPS.name + 1)} -> db-1:5432`), `the source is too long: at most ${CAPS.name}`],
    ['reach: destination', () => parseReach(`web-1 -> ${long(CAPS.name + 11)}`), `the destination is too long: at most ${CAPS.name}`],
    ['reach: --every', () => parseReach(`watch last --every "${long(CAPS.cron + 1)}"`), `at most ${CAPS.cron}`],
    ['chaos: template', () => parseChaos(`show ${long(CAPS.name + 1)}`), `a template name is too long: at most ${CAPS.name}`],
    ['chaos: reason', () => parseChaos(`run t --reason "${long(CAPS.reason + 1)}"`), `at most ${CAPS.reason}`],
    ['grafana: dashboard', () => parseGrafana(`panel ${long(CAPS.name + 1)} p`), `at most ${CAPS.name}`],
    ['grafana: panel', () => parseGrafana(`panel d ${long(CAPS.name + 1)}`), `at most ${CAPS.name}`],
    ['grafana: search', () => parseGrafana(`search ${long(CAPS.searchTerms + 1)}`), `at most ${CAPS.searchTerms}`],
    ['metrics: query', () => parseMetrics(`sum(${long(CAPS.promql)})`), `at most ${CAPS.promql.toLocaleString('en-US')}`],
    ['metrics: metric name', () => parseMetrics(`labels ${long(CAPS.name + 1)}`), `at most ${CAPS.name}`],
    ['metrics: selector', () => parseMetrics(`series {a="${long(CAPS.promql)}"}`), `at most ${CAPS.promql.toLocaleString('en-US')}`],
    ['report: schedule', () => parseReport(`add "${long(CAPS.cron + 1)}" -- /chaos history`), `at most ${CAPS.cron}`],
    ['report: command', () => parseReport(`add "0 9 * * *" -- /metrics ${long(CAPS.command)}`), `at most ${CAPS.command.toLocaleString('en-US')}`],
    ['lookout: the whole text', () => parseLookout(long(CAPS.input + 1)), `at most ${CAPS.input.toLocaleString('en-US')}`],
  ])('%s', (_what, parse, says) => {
    expect(error(parse())).toContain(says);
  });

  it('takes fields at the cap', () => {
    expect(parseReach(`${long(CAPS.name)} -> db-1:5432`).ok).toBe(true);
    expect(parseChaos(`show ${long(CAPS.name)}`).ok).toBe(true);
    expect(parseGrafana(`panel ${long(CAPS.name)} p`).ok).toBe(true);
  });
});
