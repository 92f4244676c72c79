import type * as fis from '@aws-sdk/client-fis';
import type { ActionsMode, ActionStatus, Experiment, ExperimentStatus, ExperimentSummary, ResolvedTarget, Template, TemplateSummary } from '../chaos/model';

// SDK shapes → port shapes. Every field is optional in the SDK; absent lists become empty ones here.

const ms = (d: Date | undefined): number | undefined => (d instanceof Date ? d.getTime() : undefined);

function nameTag(tags: Record<string, string> | undefined): string | undefined {
  return tags?.Name || undefined;
}

function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function toTemplateSummary(t: fis.ExperimentTemplateSummary): TemplateSummary {
  return defined({
    id: t.id ?? '',
    name: nameTag(t.tags),
    description: t.description || undefined,
    tags: t.tags ?? {},
    createdAt: ms(t.creationTime),
    updatedAt: ms(t.lastUpdateTime),
  });
}

export function toTemplate(t: fis.ExperimentTemplate): Template {
  return defined({
    ...toTemplateSummary(t),
    roleArn: t.roleArn,
    targets: Object.entries(t.targets ?? {}).map(([name, x]) => ({
      name,
      resourceType: x.resourceType ?? 'unknown',
      resourceArns: x.resourceArns ?? [],
      resourceTags: x.resourceTags ?? {},
      filters: (x.filters ?? []).map((f) => ({ path: f.path ?? '', values: f.values ?? [] })),
      selectionMode: x.selectionMode ?? 'ALL',
      parameters: x.parameters ?? {},
    })),
    actions: Object.entries(t.actions ?? {}).map(([name, a]) =>
      defined({
        name,
        actionId: a.actionId ?? 'unknown',
        description: a.description || undefined,
        parameters: a.parameters ?? {},
        targets: a.targets ?? {},
        startAfter: a.startAfter ?? [],
      }),
    ),
    stopConditions: (t.stopConditions ?? []).map((c) => defined({ source: c.source ?? 'none', value: c.value || undefined })),
  });
}

export function toExperimentSummary(e: fis.ExperimentSummary): ExperimentSummary {
  return defined({
    id: e.id ?? '',
    templateId: e.experimentTemplateId ?? '',
    status: (e.state?.status ?? 'pending') as ExperimentStatus,
    reason: e.state?.reason || undefined,
    createdAt: ms(e.creationTime),
    tags: e.tags ?? {},
  });
}

/**
 * 3.523.0 passes `state` and `experimentOptions` through untyped (aws-apis.md §0), so `state.error` and
 * `experimentOptions.actionsMode` are read from the raw objects when the service sends them.
 */
export function toExperiment(e: fis.Experiment): Experiment {
  const state = e.state as (fis.ExperimentState & { error?: { code?: string } }) | undefined;
  const options = e.experimentOptions as { actionsMode?: string } | undefined;
  const mode = options?.actionsMode;
  return defined({
    ...toExperimentSummary(e),
    startedAt: ms(e.startTime),
    endedAt: ms(e.endTime),
    errorCode: state?.error?.code || undefined,
    actions: Object.entries(e.actions ?? {}).map(([name, a]) =>
      defined({
        name,
        actionId: a.actionId ?? 'unknown',
        status: (a.state?.status ?? 'pending') as ActionStatus,
        reason: a.state?.reason || undefined,
        startedAt: ms(a.startTime),
        endedAt: ms(a.endTime),
        parameters: a.parameters ?? {},
      }),
    ),
    actionsMode: mode === 'skip-all' || mode === 'run-all' ? (mode as ActionsMode) : undefined,
  });
}

export function toResolvedTarget(t: fis.ResolvedTarget): ResolvedTarget {
  return { targetName: t.targetName ?? '', resourceType: t.resourceType ?? 'unknown', info: t.targetInformation ?? {} };
}
