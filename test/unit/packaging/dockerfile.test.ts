import fs from 'node:fs';
import path from 'node:path';
import { instructions, parseCopy, parseDockerfile, parseEnv } from '../../helpers/dockerfile';
import { dockerIgnored } from '../../helpers/runtime-stage';

const root = path.join(__dirname, '..', '..', '..');
const stages = parseDockerfile(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const runtime = stages[stages.length - 1];

// Quick static checks; test/e2e/runtime-image.test.ts rebuilds and starts the runtime stage.
describe('Dockerfile and .dockerignore', () => {
  it('builds in stages on Node 24 and runs as an unprivileged user', () => {
    expect(stages.length).toBeGreaterThan(1);
    for (const s of stages) expect(s.base).toMatch(/^node:24[.-]/);
    const users = instructions(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1)!.args.split(':')[0]);
  });

  it('keeps local state, installs, secrets and the git history out of the build context', () => {
    const ignored = dockerIgnored();
    for (const p of ['node_modules', 'dist', 'data', 'test-artifacts', '.git', 'deploy/cdk/node_modules', 'coverage', 'lookout.log', '.env', 'test/e2e', 'lookout.yml']) expect([p, ignored(p)]).toEqual([p, true]);
    const copied = stages.flatMap((s) => instructions(s, 'COPY').map((i) => parseCopy(i.args)).filter((c) => !c.from).flatMap((c) => c.sources));
    expect(copied.filter(ignored)).toEqual([]);
  });

  it('stores data on the /data volume and ships the playground page next to the compiled server', () => {
    const env = Object.assign({}, ...instructions(runtime, 'ENV').map((i) => parseEnv(i.args)));
    expect(env).toMatchObject({ NODE_ENV: 'production' });
    expect(env.DATABASE_URL).toBeUndefined(); // the default, ./data/lookout.db, is /app/data → /data; the playground's is apart
    expect(instructions(runtime, 'VOLUME').map((i) => i.args)).toEqual(['["/data"]']);
    expect(instructions(runtime, 'COPY').map((i) => parseCopy(i.args))).toContainEqual({ sources: ['src/playground/page'], dest: './dist/src/playground/page' });
  });

  it('parses continuation lines, ENV forms and COPY flags', () => {
    const [s] = parseDockerfile('FROM node:24 AS x\n# note\nRUN a \\\n  && b\nENV A=1 B="two words"\nENV C 3\nCOPY --from=x --chown=node /app/d ./d\n');
    expect(s).toMatchObject({ name: 'x', base: 'node:24' });
    expect(s.instructions.map((i) => [i.op, i.line])).toEqual([['RUN', 3], ['ENV', 5], ['ENV', 6], ['COPY', 7]]);
    expect(s.instructions[0].args).toBe('a    && b');
    expect(parseEnv(s.instructions[1].args)).toEqual({ A: '1', B: 'two words' });
    expect(parseEnv(s.instructions[2].args)).toEqual({ C: '3' });
    expect(parseCopy(s.instructions[3].args)).toEqual({ from: 'x', sources: ['/app/d'], dest: './d' });
  });
});
