import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatProblems, readConfig, type ReadFile } from '../../../src/config';

function enoent(p: string): never {
  throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
}

function fakeFiles(files: Record<string, string>): ReadFile & { calls: string[] } {
  const calls: string[] = [];
  const read = (p: string) => {
    calls.push(p);
    return files[p] ?? enoent(p);
  };
  return Object.assign(read, { calls });
}

describe('readConfig', () => {
  it('reads LOOKOUT_CONFIG when set', () => {
    const read = fakeFiles({ '/etc/lookout.yml': 'aws: { region: eu-west-1 }\n' });
    const result = readConfig({ LOOKOUT_CONFIG: '/etc/lookout.yml' }, read);
    expect(read.calls).toEqual(['/etc/lookout.yml']);
    expect(result.ok && result.config.lookout).toMatchObject({ present: true, aws: { region: 'eu-west-1' } });
    expect(result.ok && result.config.env.configPath).toBe('/etc/lookout.yml');
  });

  it('a LOOKOUT_CONFIG that does not exist is a problem, listed with the others', () => {
    const result = readConfig({ LOOKOUT_CONFIG: '/nope.yml', PORT: 'x' }, fakeFiles({}));
    expect(result).toEqual({
      ok: false,
      problems: ['env LOOKOUT_CONFIG: no such file: /nope.yml', 'env PORT: expected an integer from 0 to 65535, got "x"'],
    });
  });

  it('falls back to ./lookout.yml when present', () => {
    const read = fakeFiles({ './lookout.yml': 'admins: [U1]\n' });
    const result = readConfig({}, read);
    expect(read.calls).toEqual(['./lookout.yml']);
    expect(result.ok && result.config.lookout.admins).toEqual(['U1']);
    expect(result.ok && result.config.env.configPath).toBe('./lookout.yml');
  });

  it('without any file uses the built-in defaults', () => {
    const result = readConfig({}, fakeFiles({}));
    expect(result.ok && result.config.lookout.present).toBe(false);
    expect(result.ok && result.config.env.configPath).toBeUndefined();
  });

  it('reports problems inside the file', () => {
    const result = readConfig({}, fakeFiles({ './lookout.yml': 'chaos: { maxRunning: 0 }\n' }));
    expect(result).toEqual({ ok: false, problems: ['chaos.maxRunning: expected a positive integer, got 0'] });
  });

  it('an unreadable default file is a problem, not silently ignored', () => {
    const read: ReadFile = () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    expect(readConfig({}, read)).toEqual({ ok: false, problems: ['config file: ./lookout.yml cannot be read (EACCES)'] });
  });

  it('reads a real file from disk by default', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-config-'));
    try {
      const file = path.join(dir, 'lookout.yml');
      fs.writeFileSync(file, 'reach: { minWatchInterval: 1h }\n');
      const result = readConfig({ LOOKOUT_CONFIG: file });
      expect(result.ok && result.config.lookout.reach.minWatchIntervalMs).toBe(3_600_000);
      expect(readConfig({ LOOKOUT_CONFIG: dir })).toEqual({ ok: false, problems: [`env LOOKOUT_CONFIG: ${dir} is a directory, not a file`] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('formatProblems', () => {
  it('one message listing every problem', () => {
    expect(formatProblems(['env PORT: bad', 'chaos.maxRunning: bad'])).toBe(
      'Lookout cannot start: 2 configuration problems:\n  - env PORT: bad\n  - chaos.maxRunning: bad',
    );
  });

  it('singular for one problem', () => {
    expect(formatProblems(['x: y'])).toBe('Lookout cannot start: 1 configuration problem:\n  - x: y');
  });
});
