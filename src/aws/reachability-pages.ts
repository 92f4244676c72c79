/** Paging and instance helpers for the Network Insights adapter. */
import type { Filter, Instance } from '@aws-sdk/client-ec2';
import type { InstanceSummary } from '../reach/model';

export const LIVE_STATES: Filter = { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] };
/** Paging guard: 20 pages (of up to 1,000 instances) is far past any VPC someone types names into. */
const MAX_PAGES = 20;

/** Follows NextToken until the last page (or the guard). */
export async function collectPages<T>(fetchPage: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, next } = await fetchPage(token);
    out.push(...items);
    token = next;
    if (!token) break;
  }
  return out;
}

/** Tag-filter values treat `*` and `?` as wildcards; a Name is matched literally. */
export function literalFilterValue(s: string): string {
  return s.replace(/[\\*?]/g, (c) => `\\${c}`);
}

export function nameOf(i: Instance): string | undefined {
  return i.Tags?.find((t) => t.Key === 'Name')?.Value;
}

export function toInstance(i: Instance): InstanceSummary {
  const name = nameOf(i);
  return {
    id: i.InstanceId ?? '',
    ...(name !== undefined ? { name } : {}),
    ...(i.State?.Name ? { state: i.State.Name } : {}),
    ...(i.VpcId ? { vpcId: i.VpcId } : {}),
    ...(i.PrivateIpAddress ? { privateIp: i.PrivateIpAddress } : {}),
    ...(i.SecurityGroups?.some((g) => g.GroupId) ? { securityGroupIds: i.SecurityGroups.flatMap((g) => (g.GroupId ? [g.GroupId] : [])) } : {}),
  };
}

/** The resource id inside an ARN; the API's filters take ids. */
export function idOf(idOrArn: string): string {
  return idOrArn.startsWith('arn:') ? idOrArn.slice(idOrArn.lastIndexOf('/') + 1) : idOrArn;
}
