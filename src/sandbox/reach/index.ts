/**
 * The Reachability port over the sandbox VPC (product.md §9): paths, client tokens and analyses behave like
 * EC2 Network Insights — an analysis is 'running' until `analysisMs` of (injected) clock time has passed.
 */
import { LookoutError } from '../../errors';
import type { AwsTarget } from '../../ports/aws';
import type { Clock } from '../../ports/clock';
import type { Reachability } from '../../ports/reachability';
import type { Analysis, InstanceSummary, ManagedPath, PathSpec } from '../../reach/model';
import { SandboxWorld, createSandboxWorld } from '../world';
import { evaluatePath } from './evaluate';

export interface SandboxReachabilityOptions {
  clock: Clock;
  world?: SandboxWorld;
  region?: string;
  /** How long an analysis stays 'running'; default 8 s. */
  analysisMs?: number;
  /** Id counter shared between sandboxes, so path ids stay unique across accounts like real ones. */
  ids?: { next: number };
}

interface StoredAnalysis {
  id: string;
  pathId: string;
  startedAt: number;
  token: string;
}

const hex = (prefix: string, n: number) => `${prefix}-0${n.toString(16).padStart(16, '0')}`;
const where = (region: string) => `in ${region} (sandbox)`;

export function createSandboxReachability(opts: SandboxReachabilityOptions): Reachability {
  const world = opts.world ?? createSandboxWorld();
  const region = opts.region ?? 'us-east-1';
  const analysisMs = opts.analysisMs ?? 8_000;
  const paths = new Map<string, ManagedPath>();
  const pathTokens = new Map<string, string>();
  const analyses = new Map<string, StoredAnalysis>();
  const ids = opts.ids ?? { next: 0 };

  const known = (id: string) => id === world.internetGateway.id || world.instances.some((i) => i.id === id || i.eniId === id);
  const idOf = (s: string) => (s.startsWith('arn:') ? s.slice(s.lastIndexOf('/') + 1) : s);
  const sameSpec = (p: ManagedPath, s: PathSpec) =>
    p.source === s.source && p.destination === s.destination && p.destinationIp === s.destinationIp && p.protocol === s.protocol && p.port === s.port;

  const summary = (i: SandboxWorld['instances'][number]): InstanceSummary => ({
    id: i.id,
    name: i.name,
    state: i.state,
    vpcId: world.vpc.id,
    privateIp: i.privateIp,
    securityGroupIds: [...i.securityGroupIds],
  });

  const view = (a: StoredAnalysis): Analysis => {
    const base = { id: a.id, pathId: a.pathId, startedAt: a.startedAt, forward: [], returnPath: [], explanations: [], alternatePathHints: [] };
    if (opts.clock.now() - a.startedAt < analysisMs) return { ...base, status: 'running' };
    const path = paths.get(a.pathId);
    if (!path) return { ...base, status: 'failed', statusMessage: 'The path was deleted during the analysis.' };
    const result = evaluatePath(world, path, region);
    return { ...base, status: 'succeeded', pathFound: result.pathFound, forward: result.forward, returnPath: result.returnPath, explanations: result.explanations };
  };

  return {
    async findInstancesByName(name) {
      return world.instances.filter((i) => i.name === name).map(summary);
    },
    async findInstancesById(ids) {
      return world.instances.filter((i) => ids.includes(i.id)).map(summary);
    },
    async listInstanceNames() {
      return world.instances.map((i) => i.name);
    },
    async findNetworkInterfacesByIp(ip) {
      return world.instances
        .filter((i) => i.privateIp === ip)
        .map((i) => ({ id: i.eniId, privateIp: ip, vpcId: world.vpc.id, interfaceType: 'interface', description: `Primary network interface of ${i.name}`, instanceId: i.id }));
    },
    async findManagedPaths({ source, destination, protocol }) {
      return [...paths.values()].filter(
        (p) => idOf(p.source) === idOf(source) && (destination === undefined || (p.destination !== undefined && idOf(p.destination) === idOf(destination))) && p.protocol === protocol,
      );
    },
    async createPath(spec, clientToken) {
      const replay = pathTokens.get(clientToken);
      if (replay) {
        const p = paths.get(replay);
        if (p && !sameSpec(p, spec)) throw new LookoutError('conflict', 'That client token was already used for a different path (`IdempotentParameterMismatch`).');
        if (p) return p;
      }
      if (!known(idOf(spec.source))) throw new LookoutError('not_found', `The source \`${idOf(spec.source)}\` does not exist ${where(region)} (\`NetworkInsightsSource.NotFound\`).`);
      if (spec.destination && !known(idOf(spec.destination))) {
        throw new LookoutError('not_found', `The destination \`${idOf(spec.destination)}\` does not exist ${where(region)} (\`NetworkInsightsDestination.NotFound\`).`);
      }
      const path: ManagedPath = { ...spec, id: hex('nip', ++ids.next), arn: '', createdAt: opts.clock.now(), managed: true };
      path.arn = `arn:aws:ec2:${region}:${world.accountId}:network-insights-path/${path.id}`;
      paths.set(path.id, path);
      pathTokens.set(clientToken, path.id);
      return path;
    },
    async startAnalysis(pathId, clientToken) {
      if (!paths.has(pathId)) throw new LookoutError('not_found', `Path \`${pathId}\` does not exist ${where(region)} (\`InvalidNetworkInsightsPathId.NotFound\`).`);
      const replay = [...analyses.values()].find((a) => a.token === clientToken && a.pathId === pathId);
      if (replay) return view(replay);
      const a: StoredAnalysis = { id: hex('nia', ++ids.next), pathId, startedAt: opts.clock.now(), token: clientToken };
      analyses.set(a.id, a);
      return view(a);
    },
    async getAnalysis(analysisId) {
      const a = analyses.get(analysisId);
      if (!a) throw new LookoutError('not_found', `Analysis \`${analysisId}\` does not exist ${where(region)} (\`InvalidNetworkInsightsAnalysisId.NotFound\`).`);
      return view(a);
    },
    async deleteAnalysis(analysisId) {
      analyses.delete(analysisId);
    },
    async deletePath(pathId) {
      if (!paths.has(pathId)) throw new LookoutError('not_found', `Path \`${pathId}\` does not exist ${where(region)} (\`InvalidNetworkInsightsPathId.NotFound\`).`);
      const mine = [...analyses.values()].filter((a) => a.pathId === pathId);
      for (const a of mine) analyses.delete(a.id);
      paths.delete(pathId);
      for (const [token, id] of pathTokens) if (id === pathId) pathTokens.delete(token);
      return { analysesDeleted: mine.length };
    },
  };
}

/**
 * One sandbox account per (account name, region), sharing the world's layout and a single id counter: what
 * main.ts passes as `reachability` in playground mode.
 */
export function createSandboxReachabilityFactory(opts: Omit<SandboxReachabilityOptions, 'region' | 'ids'>): (target: AwsTarget) => Reachability {
  const ids = { next: 0 };
  const sandboxes = new Map<string, Reachability>();
  return (target) => {
    const key = `${target.accountName}|${target.region}`;
    let port = sandboxes.get(key);
    if (!port) sandboxes.set(key, (port = createSandboxReachability({ ...opts, region: target.region, ids })));
    return port;
  };
}
