/** A resolved question's identity: the path it needs, the key the cache uses, and idempotency tokens. */
import { createHash } from 'node:crypto';
import type { ManagedPath, PathSpec, ReachQuestion } from './model';

export function pathSpecOf(q: ReachQuestion): PathSpec {
  const spec: PathSpec = { source: q.source.id ?? q.source.input, protocol: q.protocol };
  if (q.destination.id) spec.destination = q.destination.id;
  if (q.destination.ip) spec.destinationIp = q.destination.ip;
  if (q.port !== undefined) spec.port = q.port;
  return spec;
}

/** The resource id inside an ARN (`…:instance/i-0abc` → `i-0abc`); ids pass through. */
export function idOf(idOrArn: string): string {
  return idOrArn.startsWith('arn:') ? idOrArn.slice(idOrArn.lastIndexOf('/') + 1) : idOrArn;
}

/** Same account, region, endpoints, addresses, protocol and port: the same question, whoever typed it how. */
export function questionKey(q: ReachQuestion): string {
  const spec = pathSpecOf(q);
  return ['v1', q.accountName, q.region, idOf(spec.source), spec.destination ? idOf(spec.destination) : '', spec.destinationIp ?? '', spec.protocol, spec.port ?? ''].join('|');
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/**
 * CreateNetworkInsightsPath token: the same question always asks for the same path, so concurrent askers (or a
 * second replica) get one path. `generation` changes it after the path was deleted behind our back.
 */
export function pathClientToken(q: ReachQuestion, generation = 0): string {
  return `lookout-${sha256(`${questionKey(q)}#${generation}`).slice(0, 48)}`;
}

/** StartNetworkInsightsAnalysis token: one per run (a retried send reuses it; a new run gets a new one). */
export function analysisClientToken(pathId: string, runId: string): string {
  return `lookout-${sha256(`${pathId}|${runId}`).slice(0, 48)}`;
}

/** Whether an existing path asks exactly this (the API cannot filter on port or IPs). */
export function pathMatches(p: ManagedPath, spec: PathSpec): boolean {
  return (
    p.managed &&
    idOf(p.source) === idOf(spec.source) &&
    (p.destination ? idOf(p.destination) : undefined) === (spec.destination ? idOf(spec.destination) : undefined) &&
    (p.destinationIp ?? undefined) === (spec.destinationIp ?? undefined) &&
    p.protocol === spec.protocol &&
    (p.port ?? undefined) === (spec.port ?? undefined)
  );
}
