/**
 * Just enough of the Dockerfile syntax for the tests that rebuild the image's runtime stage without a container
 * engine: stages, continuation lines, COPY (with --from), ENV, USER, WORKDIR, RUN and exec-form CMD.
 */
export interface Instruction {
  op: string;
  args: string;
  line: number;
}

export interface Stage {
  name?: string;
  base: string;
  instructions: Instruction[];
}

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) return;
    if (pending === '') start = i + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const [, op = '', args = ''] = /^\s*(\S+)\s*([\s\S]*)$/.exec(pending + line) ?? [];
    pending = '';
    if (op.toUpperCase() === 'FROM') {
      const [base, as, name] = args.split(/\s+/);
      stages.push({ base, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`Dockerfile line ${start}: ${op} before FROM`);
      stages[stages.length - 1].instructions.push({ op: op.toUpperCase(), args: args.trim(), line: start });
    }
  });
  return stages;
}

export function parseCopy(args: string): Copy {
  const words = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  if (paths.length < 2) throw new Error(`COPY needs a source and a destination: ${args}`);
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), dest: paths[paths.length - 1] };
}

/** `ENV A=1 B="two words"` (and the legacy `ENV A 1`). */
export function parseEnv(args: string): Record<string, string> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const [key, ...rest] = args.split(/\s+/);
    return { [key]: rest.join(' ') };
  }
  const env: Record<string, string> = {};
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    env[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
  }
  return env;
}

/** Only the exec form: the shell form would put /bin/sh between the signals and node. */
export function parseExecForm(args: string): string[] {
  if (!args.startsWith('[')) throw new Error(`expected the exec form ["node", …], got ${args}`);
  return JSON.parse(args) as string[];
}

export function instructions(stage: Stage, op: string): Instruction[] {
  return stage.instructions.filter((i) => i.op === op);
}

export function stageNamed(stages: Stage[], name: string): Stage {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage named ${name}`);
  return stage;
}
