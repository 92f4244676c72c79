import type { LookoutConfig, Verb } from '../config/types';
import { LookoutError } from '../errors';
import type { HealthScope } from '../ops/health';
import { channelPolicy } from './channel-policy';

const AWS_VERBS: Verb[] = ['reach', 'reach:watch', 'chaos:read', 'chaos:run', 'chaos:stop'];

/**
 * `/lookout status` needs some verb in the channel (a channel that may run nothing shows nothing), and checks only
 * what the caller could use from here: the channel's accounts when they have an AWS verb, metrics with `metrics`,
 * Grafana with `grafana`. An admin sees every account and backend.
 */
export function statusScope(cfg: LookoutConfig, channelId: string, verbs: Set<Verb>): HealthScope {
  if (verbs.has('admin')) return { accounts: 'all', aws: true, metrics: true, grafana: true };
  if (verbs.size === 0) throw new LookoutError('forbidden', 'You may not run any Lookout command in this channel, so its status is not shown here.');
  const policy = channelPolicy(cfg, channelId);
  const accounts = [...new Set([...(policy.account ? [policy.account] : []), ...policy.accounts])];
  return {
    accounts: accounts.length ? accounts : ['default'],
    aws: AWS_VERBS.some((v) => verbs.has(v)),
    metrics: verbs.has('metrics'),
    grafana: verbs.has('grafana'),
  };
}
