import type { Template } from 'aws-cdk-lib/assertions';

export interface Container {
  Environment: { Name: string; Value: unknown }[];
  Secrets: { Name: string; ValueFrom: unknown }[];
}

/** The one container definition of the stack's task definition. */
export function containerOf(t: Template): Container {
  const defs = Object.values(t.findResources('AWS::ECS::TaskDefinition'));
  if (defs.length !== 1) throw new Error(`expected one task definition, found ${defs.length}`);
  const [c] = defs[0].Properties.ContainerDefinitions as Container[];
  return { Environment: c.Environment ?? [], Secrets: c.Secrets ?? [] };
}

type Doc = { Statement?: { Action?: string | string[] }[] };

/** Every action any IAM policy in the template grants: managed, inline on roles, and AWS::IAM::Policy. */
export function actionsIn(t: Template): string[] {
  const docs: Doc[] = [];
  for (const r of Object.values(t.findResources('AWS::IAM::Policy'))) docs.push(r.Properties.PolicyDocument as Doc);
  for (const r of Object.values(t.findResources('AWS::IAM::ManagedPolicy'))) docs.push(r.Properties.PolicyDocument as Doc);
  for (const r of Object.values(t.findResources('AWS::IAM::Role'))) {
    for (const p of (r.Properties.Policies ?? []) as { PolicyDocument: Doc }[]) docs.push(p.PolicyDocument);
  }
  return docs.flatMap((d) => d.Statement ?? []).flatMap((s) => (s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action]));
}
