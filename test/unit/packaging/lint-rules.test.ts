import path from 'node:path';
import { ESLint } from 'eslint';

// The lint rules that hold the design's dependency direction and file size (eslint.config.js), run on small
// in-memory samples at the paths they would have: each rule must fire, and no way around it may pass.
const root = path.join(__dirname, '..', '..', '..');
// The config is loaded here (ESLint itself would load it with import(), which jest's VM refuses).
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: require(path.join(root, 'eslint.config.js')) });

async function rulesFiring(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return [...new Set(result.messages.map((m) => m.ruleId ?? m.message))];
}

const direction = ['no-restricted-imports', 'lookout/module-references'];
const firesDirection = (rules: string[]) => rules.filter((r) => direction.includes(r));

describe('lint: adapters do not import services', () => {
  it.each([
    ['src/aws/x.ts', "import { a } from '../reach/service';\nexport const b = a;"],
    ['src/aws/x.ts', "import type { A } from '../reach/service';\nexport type B = A;"],
    ['src/aws/x.ts', "import { a } from '../grafana';\nexport const b = a;"],
    ['src/aws/x.ts', "import { a } from './../reports/deep/cron';\nexport const b = a;"],
    ['src/aws/x.ts', "import { a } from '../../src/chaos/service';\nexport const b = a;"],
    ['src/aws/x.ts', "export { a } from '../metrics/service';"],
    ['src/aws/x.ts', "export * from '../metrics/service';"],
    ['src/aws/x.ts', "export const m = require('../reach/service');"],
    ['src/aws/x.ts', "export const m = () => import('../reach/service');"],
    ['src/aws/x.ts', "export type M = typeof import('../reach/service');"],
    ['src/store/x.ts', "import { a } from '../chaos/service';\nexport const b = a;"],
    ['src/sandbox/fis/x.ts', "import { a } from '../../chaos/service';\nexport const b = a;"],
  ])('%s: %s is refused', async (file, code) => {
    expect(firesDirection(await rulesFiring(file, code))).toHaveLength(1);
  });

  it('lets adapters import ports and shared pure pieces', async () => {
    expect(firesDirection(await rulesFiring('src/aws/x.ts', "import { a } from '../ports/reachability';\nimport { c } from '../common/cron';\nexport const b = [a, c];"))).toEqual([]);
  });
});

describe('lint: grammars do not import services', () => {
  it.each([
    "import { a } from '../reports/cron';\nexport const b = a;",
    "import type { A } from '../reports/cron';\nexport type B = A;",
    "import { a } from '../reach';\nexport const b = a;",
    "export const m = require('../reports/cron');",
    "export const m = () => import('../chaos/service');",
  ])('src/commands: %s is refused', async (code) => {
    expect(firesDirection(await rulesFiring('src/commands/x.ts', code))).toHaveLength(1);
  });

  it("lets a grammar import its siblings (commands/reach.ts shares the service's name)", async () => {
    expect(firesDirection(await rulesFiring('src/commands/x.ts', "import { a } from './reach';\nimport { c } from './tokenize';\nexport const b = [a, c];"))).toEqual([]);
  });
});

describe('lint: files over 250 lines of code', () => {
  const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n');

  it.each(['src/x.ts', 'handlers/x.ts', 'src/playground/page/x.js'])('%s: 251 lines are refused, 250 pass', async (file) => {
    const line = (i: number) => `export const v${i} = ${i};`;
    expect(await rulesFiring(file, lines(251, line))).toContain('max-lines');
    expect(await rulesFiring(file, lines(250, line))).not.toContain('max-lines');
  });

  it('an inline eslint-disable cannot switch the limit off', async () => {
    const code = `/* eslint-disable max-lines */\n${lines(251, (i) => `export const v${i} = ${i};`)}`;
    expect(await rulesFiring('src/x.ts', code)).toContain('max-lines');
  });
});
