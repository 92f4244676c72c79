/**
 * The Reachability port over EC2 Network Insights (aws-apis.md §1). One client per target; the SDK retries
 * throttling itself (adaptive mode) and honours AWS_ENDPOINT_URL_EC2.
 */
import {
  CreateNetworkInsightsPathCommand,
  DeleteNetworkInsightsAnalysisCommand,
  DeleteNetworkInsightsPathCommand,
  DescribeInstancesCommand,
  DescribeNetworkInsightsAnalysesCommand,
  DescribeNetworkInsightsPathsCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  Filter,
  Instance,
  StartNetworkInsightsAnalysisCommand,
} from '@aws-sdk/client-ec2';
import { LookoutError } from '../errors';
import { escapeText } from '../text';
import type { AwsTarget } from '../ports/aws';
import type { Clock } from '../ports/clock';
import type { Reachability } from '../ports/reachability';
import type { ManagedPath, NetworkInterfaceSummary } from '../reach/model';
import { ErrorHints, mapAwsError } from './errors';
import { classifyFailure } from '../failures';
import { sdkTimeouts } from './sdk-client';
import type { OutboundPolicy } from '../outbound';
import { MANAGED_TAG, toAnalysis, toManagedPath } from './reachability-map';
import { LIVE_STATES, collectPages, idOf, literalFilterValue, nameOf, toInstance } from './reachability-pages';
import { instrument, type AwsCallObserver } from './instrument';
import { changeAws } from '../aws-request-ids';

const HINTS: ErrorHints = {
  quota:
    'Reachability Analyzer allows 1,000 paths and 10,000 analyses per Region by default: `/reach forget` paths no longer needed, or raise the “Network Insights” quotas in Service Quotas.',
  access_denied:
    'Lookout’s role needs ec2:CreateNetworkInsightsPath, ec2:StartNetworkInsightsAnalysis, ec2:Describe*, ec2:Delete* for Network Insights and ec2:CreateTags (the lookout-query policy).',
};

export interface ReachabilityAdapterOptions {
  /** Inject a client (tests); otherwise one is built from the target. */
  client?: EC2Client;
  observe?: AwsCallObserver;
  outbound?: OutboundPolicy;
}

export function createReachabilityAdapter(target: AwsTarget, clock: Clock, opts: ReachabilityAdapterOptions = {}): Reachability {
  const ec2 =
    opts.client ??
    instrument(
      new EC2Client({
        region: target.region,
        ...(target.credentials ? { credentials: target.credentials } : {}),
        maxAttempts: 5,
        retryMode: 'adaptive',
        ...sdkTimeouts(opts.outbound),
      }),
      'ec2',
      opts.observe,
    );
  const where = `in ${target.region} (account ${escapeText(target.accountName)})`;
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw mapAwsError(err, `${what} ${where}`, HINTS);
    }
  };

  const describeInstances = (filters: Filter[]): Promise<Instance[]> =>
    collectPages(async (token) => {
      const res = await ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 1000, NextToken: token }));
      return { items: (res.Reservations ?? []).flatMap((r) => r.Instances ?? []), next: res.NextToken };
    });

  const listAnalysisIds = (pathId: string): Promise<string[]> =>
    collectPages(async (token) => {
      const res = await ec2.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsPathId: pathId, MaxResults: 100, NextToken: token }));
      return { items: (res.NetworkInsightsAnalyses ?? []).map((a) => a.NetworkInsightsAnalysisId).filter((x): x is string => !!x), next: res.NextToken };
    });

  const deleteAnalysis = async (id: string): Promise<boolean> => {
    try {
      await changeAws(() => ec2.send(new DeleteNetworkInsightsAnalysisCommand({ NetworkInsightsAnalysisId: id })));
      return true;
    } catch (err) {
      if (classifyFailure(err) === 'not_found') return false;
      throw err;
    }
  };

  return {
    findInstancesByName: (name) =>
      call('looking up instances by name', async () => {
        const found = await describeInstances([{ Name: 'tag:Name', Values: [literalFilterValue(name)] }, LIVE_STATES]);
        return found.filter((i) => nameOf(i) === name).map(toInstance);
      }),

    findInstancesById: (ids) =>
      call('looking up instances', async () => {
        try {
          const res = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
          return (res.Reservations ?? []).flatMap((r) => r.Instances ?? []).map(toInstance);
        } catch (err) {
          const name = (err as { name?: string }).name ?? '';
          if (name === 'InvalidInstanceID.NotFound' || name === 'InvalidInstanceID.Malformed') return [];
          throw err;
        }
      }),

    listInstanceNames: () =>
      call('listing instance names', async () => {
        const found = await describeInstances([{ Name: 'tag-key', Values: ['Name'] }, LIVE_STATES]);
        return [...new Set(found.map(nameOf).filter((n): n is string => !!n))];
      }),

    findNetworkInterfacesByIp: (ip) =>
      call('looking up the network interface of an address', async () => {
        const res = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'addresses.private-ip-address', Values: [ip] }] }));
        return (res.NetworkInterfaces ?? []).map(
          (n): NetworkInterfaceSummary => ({
            id: n.NetworkInterfaceId ?? '',
            privateIp: ip,
            ...(n.VpcId ? { vpcId: n.VpcId } : {}),
            ...(n.InterfaceType ? { interfaceType: n.InterfaceType } : {}),
            ...(n.Description ? { description: n.Description } : {}),
            ...(n.Attachment?.InstanceId ? { instanceId: n.Attachment.InstanceId } : {}),
          }),
        );
      }),

    findManagedPaths: ({ source, destination, protocol }) =>
      call('looking for an existing path', async () => {
        // The API filters on source/destination/protocol only (not port or IPs); the caller compares the rest.
        const filters: Filter[] = [
          { Name: 'source', Values: [idOf(source)] },
          ...(destination ? [{ Name: 'destination', Values: [idOf(destination)] }] : []),
          { Name: 'protocol', Values: [protocol] },
        ];
        return collectPages<ManagedPath>(async (token) => {
          const res = await ec2.send(new DescribeNetworkInsightsPathsCommand({ Filters: filters, MaxResults: 100, NextToken: token }));
          return { items: (res.NetworkInsightsPaths ?? []).map(toManagedPath).filter((p) => p.managed), next: res.NextToken };
        });
      }),

    createPath: (spec, clientToken) =>
      call('creating the analysis path', async () => {
        const res = await changeAws(() =>
          ec2.send(
            new CreateNetworkInsightsPathCommand({
              Source: spec.source,
              ...(spec.destination ? { Destination: spec.destination } : {}),
              ...(spec.destinationIp ? { DestinationIp: spec.destinationIp } : {}),
              Protocol: spec.protocol,
              ...(spec.port !== undefined ? { DestinationPort: spec.port } : {}),
              TagSpecifications: [{ ResourceType: 'network-insights-path', Tags: [{ ...MANAGED_TAG }] }],
              ClientToken: clientToken,
            }),
          ),
        );
        if (!res.NetworkInsightsPath?.NetworkInsightsPathId) throw new LookoutError('upstream', 'AWS created a path but did not return its id.');
        return toManagedPath({ Tags: [{ ...MANAGED_TAG }], ...res.NetworkInsightsPath });
      }),

    startAnalysis: (pathId, clientToken) =>
      call(`starting an analysis of path \`${pathId}\``, async () => {
        const res = await changeAws(() =>
          ec2.send(
            new StartNetworkInsightsAnalysisCommand({
              NetworkInsightsPathId: pathId,
              TagSpecifications: [{ ResourceType: 'network-insights-analysis', Tags: [{ ...MANAGED_TAG }] }],
              ClientToken: clientToken,
            }),
          ),
        );
        if (!res.NetworkInsightsAnalysis) throw new LookoutError('upstream', 'AWS started an analysis but did not return it.');
        return toAnalysis(res.NetworkInsightsAnalysis, clock.now());
      }),

    getAnalysis: (analysisId) =>
      call(`reading analysis \`${analysisId}\``, async () => {
        const res = await ec2.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [analysisId] }));
        const found = res.NetworkInsightsAnalyses?.[0];
        if (!found) throw new LookoutError('not_found', `Analysis \`${analysisId}\` no longer exists ${where}.`);
        return toAnalysis(found, clock.now());
      }),

    deleteAnalysis: (analysisId) => call(`deleting analysis \`${analysisId}\``, async () => void (await deleteAnalysis(analysisId))),

    deletePath: (pathId) =>
      call(`deleting path \`${pathId}\``, async () => {
        // The API refuses to delete a path that still has analyses (AnalysisExistsForNetworkInsightsPath).
        let deleted = 0;
        for (const id of await listAnalysisIds(pathId)) if (await deleteAnalysis(id)) deleted++;
        await changeAws(() => ec2.send(new DeleteNetworkInsightsPathCommand({ NetworkInsightsPathId: pathId })));
        return { analysesDeleted: deleted };
      }),
  };
}
