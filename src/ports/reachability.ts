/**
 * VPC Reachability Analyzer port (implemented by src/aws/reachability and src/sandbox/reach), and the domain
 * answer the reach service returns to the views. Domain words only: no SDK shapes cross this line.
 */
import type { Analysis, InstanceSummary, ManagedPath, NetworkInterfaceSummary, PathSpec, Protocol } from '../reach/model';

/** The calls the reach service needs, in one account and region (bound when the port is created). */
export interface Reachability {
  /** Instances whose `Name` tag is exactly `name` (pending, running, stopping, stopped). */
  findInstancesByName(name: string): Promise<InstanceSummary[]>;
  /** Unknown ids yield no entry rather than an error. */
  findInstancesById(ids: string[]): Promise<InstanceSummary[]>;
  /** Every instance `Name` tag, for "closest names" suggestions. */
  listInstanceNames(): Promise<string[]>;
  findNetworkInterfacesByIp(ip: string): Promise<NetworkInterfaceSummary[]>;
  /** Paths tagged `lookout:managed=true` with this source/destination/protocol; callers compare the rest. */
  findManagedPaths(query: { source: string; destination?: string; protocol: Protocol }): Promise<ManagedPath[]>;
  /** Creates a path tagged `lookout:managed=true`; the same token returns the same path. */
  createPath(spec: PathSpec, clientToken: string): Promise<ManagedPath>;
  startAnalysis(pathId: string, clientToken: string): Promise<Analysis>;
  getAnalysis(analysisId: string): Promise<Analysis>;
  deleteAnalysis(analysisId: string): Promise<void>;
  /** Deletes the path's analyses first (the API refuses otherwise), then the path. Returns the analyses deleted. */
  deletePath(pathId: string): Promise<{ analysesDeleted: number }>;
}
