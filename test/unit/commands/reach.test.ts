import fc from 'fast-check';
import { REACH_USAGE, parseReach, parseSchedule } from '../../../src/commands/reach';
import { formatUsage } from '../../../src/commands/types';

const ok = (text: string) => {
  const r = parseReach(text);
  if (!r.ok) throw new Error(`expected ${text} to parse, got: ${r.error}`);
  return r.request;
};
const err = (text: string) => {
  const r = parseReach(text);
  if (r.ok) throw new Error(`expected ${text} to fail, got ${JSON.stringify(r.request)}`);
  return r.error;
};

describe('parseReach: checks', () => {
  test.each([
    ['web-1 -> db-1:5432', { source: 'web-1', destination: 'db-1', port: 5432, protocol: 'tcp' }],
    ['web-1->db-1:5432/udp', { source: 'web-1', destination: 'db-1', port: 5432, protocol: 'udp' }],
    ['web-1 ->db-1', { source: 'web-1', destination: 'db-1', protocol: 'tcp' }],
    ['web-1-> db-1:53/UDP', { source: 'web-1', destination: 'db-1', port: 53, protocol: 'udp' }],
    ['web-1 → db-1:443', { source: 'web-1', destination: 'db-1', port: 443, protocol: 'tcp' }],
    ['web-1 to db-1 port 5432 udp', { source: 'web-1', destination: 'db-1', port: 5432, protocol: 'udp' }],
    ['web-1 to db-1 on port 5432', { source: 'web-1', destination: 'db-1', port: 5432, protocol: 'tcp' }],
    ['web-1 TO db-1', { source: 'web-1', destination: 'db-1', protocol: 'tcp' }],
    ['i-0123456789abcdef0 -> 10.0.2.20:5432', { source: 'i-0123456789abcdef0', destination: '10.0.2.20', port: 5432, protocol: 'tcp' }],
    ['"web 1" -> “db one”:5432', { source: 'web 1', destination: 'db one', port: 5432, protocol: 'tcp' }],
    [
      'arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0 -> arn:aws:ec2:us-east-1:111111111111:instance/i-0fedcba9876543210:443/tcp',
      {
        source: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0',
        destination: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0fedcba9876543210',
        port: 443,
        protocol: 'tcp',
      },
    ],
    ['web-1 -> arn:aws:ec2:us-east-1:111111111111:instance/i-0fedcba9876543210', { source: 'web-1', destination: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0fedcba9876543210', protocol: 'tcp' }],
  ])('%s', (text, expected) => {
    expect(ok(text)).toEqual({ kind: 'check', ...expected });
  });

  test('--region and --account, in any position and with =', () => {
    expect(ok('--region eu-west-1 web-1 -> db-1:5432 --account=staging')).toEqual({
      kind: 'check',
      source: 'web-1',
      destination: 'db-1',
      port: 5432,
      protocol: 'tcp',
      region: 'eu-west-1',
      account: 'staging',
    });
    expect(ok('a -> b --region us-gov-west-1')).toMatchObject({ region: 'us-gov-west-1' });
  });

  test.each([
    ['web-1', /destination is missing/],
    ['web-1 ->', /destination is missing/],
    ['-> db-1', /source is missing/],
    ['web-1 -> db-1:99999', /out of range/],
    ['web-1 -> db-1:0', /out of range/],
    ['web-1 -> db-1:http', /not a port number/],
    ['web-1 -> db-1:5432 udp tcp', /two different protocols/],
    ['web-1 -> db-1:5432 port 22', /two different ports/],
    ['web-1 -> db-1 port', /needs a number/],
    ['web-1 -> db-1 please', /unexpected `please`/],
    ['web-1 web-2 -> db-1', /one source before the arrow/],
    ['web-1 -> db-1 -> cache-1', /only one arrow/],
    ['10.0.1.10 -> db-1', /not an IP address/],
    ['web-1:80 -> db-1', /port goes on the destination/],
    ['web-1 -> 10.0.300.1', /not a valid IPv4/],
    ['web-1 db-1', /could not find `->` or `to`/],
    ['web-1 -> db-1 --region mars', /not an AWS region/],
    ['web-1 -> db-1 --colour red', /unknown option/],
    ['web-1 -> db-1 --every 1h', /only goes with `\/reach watch`/],
    ['"web-1 -> db-1', /never closed/],
  ])('%s is a usage error', (text, message) => {
    expect(err(text)).toMatch(message);
  });

  test('errors quote user text in code spans without letting backticks out', () => {
    expect(err('web-1 -> db-1 x`y')).toContain('`xˋy`');
  });
});

describe('parseReach: subcommands', () => {
  test('list, help', () => {
    expect(ok('list')).toEqual({ kind: 'list' });
    expect(ok('LIST --account prod')).toEqual({ kind: 'list', account: 'prod' });
    expect(ok('')).toEqual({ kind: 'help' });
    expect(ok('help')).toEqual({ kind: 'help' });
    expect(ok('web-1 -> db-1 --help')).toEqual({ kind: 'help' });
    expect(err('list everything')).toMatch(/takes no arguments/);
  });

  test('watch with a cron in straight or smart quotes, an interval, or nothing', () => {
    expect(ok('watch nip-0123456789abcdef0')).toEqual({ kind: 'watch', pathId: 'nip-0123456789abcdef0' });
    expect(ok('watch last --every "*/30 * * * *"')).toEqual({ kind: 'watch', pathId: 'last', every: { cron: '*/30 * * * *' } });
    expect(ok('watch last --every “0 9 * * 1-5”')).toEqual({ kind: 'watch', pathId: 'last', every: { cron: '0 9 * * 1-5' } });
    expect(ok('watch nip-0123456789abcdef0 --every 2h')).toEqual({ kind: 'watch', pathId: 'nip-0123456789abcdef0', every: { intervalMs: 7_200_000 } });
    expect(err('watch last --every "61 * * * *"')).toMatch(/not a valid cron/);
    expect(err('watch last --every "* * *"')).toMatch(/5-field cron/);
    expect(err('watch last --every "0 0 31 2 *"')).toMatch(/never runs/);
    expect(err('watch nope')).toMatch(/not a path id/);
    expect(err('watch')).toMatch(/takes one path id/);
  });

  test('unwatch and forget take one path id (not `last`)', () => {
    expect(ok('unwatch NIP-0123456789ABCDEF0')).toEqual({ kind: 'unwatch', pathId: 'nip-0123456789abcdef0' });
    expect(ok('forget nip-0123456789abcdef0 --region eu-west-1')).toEqual({ kind: 'forget', pathId: 'nip-0123456789abcdef0', region: 'eu-west-1' });
    expect(err('forget last')).toMatch(/not a path id/);
    expect(err('unwatch nip-0123456789abcdef0 --every 1h')).toMatch(/only goes with/);
  });

  test('an instance named like a subcommand still works with an arrow', () => {
    expect(ok('list -> db-1')).toEqual({ kind: 'check', source: 'list', destination: 'db-1', protocol: 'tcp' });
  });
});

describe('parseSchedule', () => {
  test('nicknames and minutes', () => {
    expect(parseSchedule('@hourly')).toEqual({ cron: '@hourly' });
    expect(parseSchedule('45m')).toEqual({ intervalMs: 45 * 60_000 });
    expect(parseSchedule('1d')).toEqual({ intervalMs: 86_400_000 });
    expect(parseSchedule('0m')).toMatch(/positive/);
  });
});

describe('usage', () => {
  test('lists every form; watch lines need reach:watch', () => {
    const text = formatUsage('/reach', REACH_USAGE);
    for (const form of ['SOURCE -> DEST', 'port 5432 udp', '/reach list', '/reach watch', '/reach unwatch', '/reach forget']) {
      expect(text).toContain(form);
    }
    expect(REACH_USAGE.filter((l) => l.verb === 'reach:watch').map((l) => l.syntax.split(' ')[0])).toEqual(['watch', 'unwatch']);
  });
});

describe('parseReach properties', () => {
  const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((w) => !['to', 'list', 'watch', 'unwatch', 'forget', 'help', 'port', 'on', 'over', 'using', 'tcp', 'udp'].includes(w));

  test('any input parses or yields a usage error; nothing throws', () => {
    const noisy = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.array(fc.constantFrom('->', 'to', 'port', '5432', '"', '“', '”', '--region', '--every', 'watch', 'list', ':', '/udp', 'arn:aws:ec2:', '10.0.0.1', ' ', '`', '<!channel>', '&'), { maxLength: 12 }).map((a) => a.join(' ')),
    );
    fc.assert(
      fc.property(noisy, (text) => {
        const r = parseReach(text);
        if (r.ok) expect(['check', 'list', 'watch', 'unwatch', 'forget', 'help']).toContain(r.request.kind);
        else {
          expect(typeof r.error).toBe('string');
          expect(r.error.length).toBeGreaterThan(0);
          // The grammar itself must be total: the catch-all in parseReach is a safety net, not the path taken.
          expect(r.error).not.toBe('that command could not be read');
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('arrow and word forms of the same check parse to the same request', () => {
    fc.assert(
      fc.property(word, word, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), fc.constantFrom('tcp', 'udp'), (src, dst, port, proto) => {
        const arrow = ok(`${src} -> ${dst}${port !== undefined ? `:${port}` : ''}/${proto}`);
        const words = ok(`${src} to ${dst}${port !== undefined ? ` port ${port}` : ''} ${proto}`);
        expect(words).toEqual(arrow);
        expect(arrow).toEqual({ kind: 'check', source: src, destination: dst, protocol: proto, ...(port !== undefined ? { port } : {}) });
      }),
      { numRuns: 500 },
    );
  });
});
