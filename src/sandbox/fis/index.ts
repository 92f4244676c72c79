import { randomUUID } from 'node:crypto';
import { beforeAwsChange, noteAwsRequestId } from '../../aws-request-ids';
import { LookoutError } from '../../errors';
import { inlineCode } from '../../text';
import type { AwsTarget } from '../../ports/aws';
import type { Clock } from '../../ports/clock';
import { type Experiments } from '../../ports/experiments';
import { isTerminal, type ResolvedTarget, type TemplateTarget } from '../../chaos/model';
import { SANDBOX_RESOURCES, sandboxTemplates, type SandboxResource, type SandboxTemplate } from './templates';
import { experimentAt, faultWindow, targetsResolved, type SandboxRun } from './timeline';

export { SANDBOX_TIMING } from './timeline';
export { SANDBOX_ACCOUNT_ID, sandboxTemplates } from './templates';

export interface SandboxFisOptions {
  clock: Clock;
  templates?: SandboxTemplate[];
  /** A few finished experiments in the past, so `/chaos history` has something to show. Default true. */
  seedHistory?: boolean;
  /** FIS's default quota of active experiments per account and Region. */
  maxActive?: number;
}

/** Sandbox state plus the port over it; `forTarget` is what createChaosService's `experiments` dependency wants. */
export interface SandboxFis {
  experiments: Experiments;
  forTarget(target: AwsTarget): Experiments;
  /** Every StartExperiment call received (tests count them). */
  startCalls(): number;
  /** When each run injected (or will inject) its faults, by template Name tag: what the sandbox metrics react to. */
  faults(): SandboxFault[];
}

export interface SandboxFault {
  template: string; // the template's Name tag, or its id
  start: number;
  end: number;
}

/**
 * The playground's simulated FIS: templates over a fixed set of resources, and experiments that move through
 * real states as the injected clock advances (pending → initiating → running → completed, or failed mid-way, or
 * stopping → stopped). Behaves like the SDK adapter, errors included (test/contract/experiments.test.ts).
 */
export function createSandboxFis(opts: SandboxFisOptions): SandboxFis {
  const { clock } = opts;
  const templates = new Map((opts.templates ?? sandboxTemplates()).map((t) => [t.template.id, t]));
  const runs = new Map<string, SandboxRun>();
  const byToken = new Map<string, string>();
  let counter = 0;
  let starts = 0;
  const newId = () => `EXPsbx${(++counter).toString(36).padStart(10, '0')}`;

  const run = (id: string): SandboxRun => {
    const r = runs.get(id);
    if (!r) throw new LookoutError('not_found', `No experiment ${inlineCode(id)} in the sandbox account.`);
    return r;
  };
  const templateOf = (id: string): SandboxTemplate => {
    const t = templates.get(id);
    if (!t) throw new LookoutError('not_found', `No experiment template ${inlineCode(id)} in the sandbox account.`);
    return t;
  };

  if (opts.seedHistory !== false) seed(runs, templates, clock.now(), newId);

  const experiments: Experiments = {
    listTemplates: async () => [...templates.values()].map(({ template: { id, name, description, tags, createdAt, updatedAt } }) => ({ id, name, description, tags: { ...tags }, createdAt, updatedAt })),
    getTemplate: async (id) => structuredClone(templateOf(id).template),
    async start(input) {
      await beforeAwsChange();
      starts++;
      const existing = byToken.get(input.clientToken);
      if (existing) {
        const r = run(existing);
        if (r.template.id !== input.templateId) throw new LookoutError('conflict', 'This client token was already used for another template.');
        noteRequestId();
        return experimentAt(r, clock.now());
      }
      const t = templateOf(input.templateId);
      const now = clock.now();
      const active = [...runs.values()].filter((r) => !isTerminal(experimentAt(r, now).status)).length;
      if (active >= (opts.maxActive ?? 5)) {
        throw new LookoutError('quota', `At most ${opts.maxActive ?? 5} experiments may be active in the sandbox account.`);
      }
      const r: SandboxRun = {
        id: newId(),
        template: structuredClone(t.template),
        behaviour: t.behaviour,
        clientToken: input.clientToken,
        tags: { ...input.tags },
        actionsMode: input.actionsMode ?? 'run-all',
        createdAt: now,
      };
      runs.set(r.id, r);
      byToken.set(input.clientToken, r.id);
      noteRequestId();
      return experimentAt(r, now);
    },
    get: async (id) => experimentAt(run(id), clock.now()),
    list: async (o = {}) =>
      [...runs.values()]
        .filter((r) => !o.templateId || r.template.id === o.templateId)
        .map((r) => experimentAt(r, clock.now()))
        .map(({ id, templateId, status, reason, createdAt, tags }) => ({ id, templateId, status, ...(reason ? { reason } : {}), createdAt, tags }))
        .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0)),
    async stop(id) {
      await beforeAwsChange();
      const r = run(id);
      const now = clock.now();
      const current = experimentAt(r, now);
      if (isTerminal(current.status)) throw new LookoutError('invalid_input', `Experiment \`${id}\` already ended (${current.status}).`);
      if (r.stopRequestedAt === undefined) r.stopRequestedAt = now;
      noteRequestId();
      return experimentAt(r, now);
    },
    async tag(id, tags) {
      await beforeAwsChange();
      Object.assign(run(id).tags, tags);
      noteRequestId();
    },
    async resolvedTargets(id) {
      const r = run(id);
      return targetsResolved(r, clock.now()) ? r.template.targets.flatMap((t) => resolve(t)) : [];
    },
  };
  const faults = (): SandboxFault[] =>
    [...runs.values()].flatMap((r) => {
      const w = faultWindow(r);
      return w ? [{ template: r.template.tags.Name ?? r.template.id, ...w }] : [];
    });
  return { experiments, forTarget: () => experiments, startCalls: () => starts, faults };
}

// Like FIS, every call that changes something answers with a request id (the audit row keeps it).
const noteRequestId = () => noteAwsRequestId({ $metadata: { requestId: `sandbox-${randomUUID()}` } });

/** Tag match plus selection mode, deterministically (real FIS samples COUNT/PERCENT at random). */
function resolve(t: TemplateTarget): ResolvedTarget[] {
  const matching = SANDBOX_RESOURCES.filter(
    (r) => r.resourceType === t.resourceType && (t.resourceArns.length ? t.resourceArns.includes(r.arn) : Object.entries(t.resourceTags).every(([k, v]) => r.tags[k] === v)),
  );
  const m = /^(?:COUNT\((\d+)\)|PERCENT\((\d+)\))$/.exec(t.selectionMode);
  const n = m?.[1] ? Number(m[1]) : m?.[2] ? Math.ceil((matching.length * Number(m[2])) / 100) : matching.length;
  return matching.slice(0, n).map((r: SandboxResource) => ({ targetName: t.name, resourceType: r.resourceType, info: { arn: r.arn, id: r.id, ...(r.tags.Name ? { name: r.tags.Name } : {}) } }));
}

function seed(runs: Map<string, SandboxRun>, templates: Map<string, SandboxTemplate>, now: number, newId: () => string): void {
  const day = 86_400_000;
  const past: [string, number, number | undefined][] = [
    ['EXTsbxcpuweb0001', 3 * day, undefined],
    ['EXTsbxnetlat0001', 2 * day, 90_000],
    ['EXTsbxapitask001', day, undefined],
  ];
  for (const [templateId, ago, stopAfter] of past) {
    const t = templates.get(templateId);
    if (!t) continue;
    const createdAt = now - ago;
    const id = newId();
    runs.set(id, {
      id,
      template: structuredClone(t.template),
      behaviour: t.behaviour,
      clientToken: `seed-${id}`,
      tags: { 'lookout:requested-by': 'U0SANDBOX' },
      actionsMode: 'run-all',
      createdAt,
      ...(stopAfter !== undefined ? { stopRequestedAt: createdAt + stopAfter } : {}),
    });
  }
}
