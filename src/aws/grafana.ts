import { randomBytes } from 'node:crypto';
import {
  CreateWorkspaceServiceAccountTokenCommand,
  DeleteWorkspaceServiceAccountTokenCommand,
  DescribeWorkspaceCommand,
  GrafanaClient,
} from '@aws-sdk/client-grafana';
import { LookoutError } from '../errors';
import type { AwsTarget } from '../ports/aws';
import type { Clock } from '../ports/clock';
import type { Dashboards } from '../ports/dashboards';
import { inlineCode } from '../text';
import { createGrafanaHttpDashboards, type GrafanaEndpoint, type TokenLease } from './grafana-http';
import { mapAmgError } from './grafana-errors';
import { instrument, type AwsCallObserver } from './instrument';
import { changeAws } from '../aws-request-ids';
import { sdkTimeouts } from './sdk-client';
import { classifyFailure } from '../failures';
import type { OutboundPolicy } from '../outbound';

/** The warn-level slice of a pino logger; token deletions that fail are logged, never shown in Slack. */
export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

export interface GrafanaUrlOptions {
  url: string; // https://grafana.example.com[/sub-path]
  tokenEnv: string; // name of the environment variable holding the token
  env?: Record<string, string | undefined>;
  clock: Clock;
  grafanaVersion?: string; // '11.2.0' → viewPanel=panel-<id>
  fetch?: typeof fetch;
  outbound?: OutboundPolicy;
}

/** Any Grafana with a token from the environment, read on each call so a rotated token is picked up. */
export function createGrafanaUrlDashboards(o: GrafanaUrlOptions): Dashboards {
  const env = o.env ?? process.env;
  const baseUrl = o.url.replace(/\/+$/, '');
  return createGrafanaHttpDashboards({
    describe: `Grafana ${new URL(baseUrl).origin}`,
    endpoint: async () => ({ baseUrl, grafanaVersion: o.grafanaVersion }),
    lease: async () => {
      const key = env[o.tokenEnv];
      if (!key) throw new LookoutError('config', `The Grafana token variable ${inlineCode(o.tokenEnv)} is not set.`, { hint: 'Set it to a Grafana service-account token with the Viewer role.' });
      return { key, release: async () => undefined };
    },
    clock: o.clock,
    authHint: `Check the token in ${inlineCode(o.tokenEnv)}: a service-account token with at least the Viewer role on these dashboards.`,
    fetch: o.fetch,
    outbound: o.outbound,
  });
}

export interface AmgOptions {
  workspaceId: string;
  serviceAccountId: string;
  target: AwsTarget; // region and credentials for the control plane
  clock: Clock;
  client?: GrafanaClient;
  fetch?: typeof fetch;
  /** Lifetime of each token; it is deleted after use anyway, this only bounds a crash. Default 10 min. */
  tokenTtlSeconds?: number;
  logger?: WarnLogger;
  observe?: AwsCallObserver;
  outbound?: OutboundPolicy;
  /** Tests: the client for token creation (by default one that never retries, see below). */
  createClient?: GrafanaClient;
}

/**
 * Amazon Managed Grafana: endpoint from DescribeWorkspace, and a fresh service-account token per operation
 * (CreateWorkspaceServiceAccountToken, aws-apis.md §4.2), deleted in `finally` once the HTTP calls are done.
 * A deletion that fails is retried by close(); the short TTL bounds what a crash could leave behind.
 */
export function createAmgDashboards(o: AmgOptions): Dashboards {
  const grafanaClient = (maxAttempts: number) =>
    instrument(new GrafanaClient({ region: o.target.region, credentials: o.target.credentials, maxAttempts, ...sdkTimeouts(o.outbound) }), 'grafana', o.observe);
  const client = o.client ?? grafanaClient(3);
  // Creating a token has no client token: a retry after a timeout could mint a second live token nobody deletes
  // (it would expire only after its TTL). So creation is tried once; describe and delete are safe to retry.
  const createClient = o.createClient ?? o.client ?? grafanaClient(1);
  const ws = { workspaceId: o.workspaceId, serviceAccountId: o.serviceAccountId };
  const ttl = o.tokenTtlSeconds ?? 600;
  const deleting = new Set<Promise<void>>();
  const leftovers = new Map<string, unknown>(); // token id → last deletion error
  let endpoint: Promise<GrafanaEndpoint> | undefined;

  const describeWorkspace = async (): Promise<GrafanaEndpoint> => {
    try {
      const out = await client.send(new DescribeWorkspaceCommand({ workspaceId: o.workspaceId }));
      const host: unknown = out?.workspace?.endpoint;
      if (typeof host !== 'string' || !host) throw new LookoutError('upstream', `Amazon Managed Grafana workspace ${inlineCode(o.workspaceId)} has no endpoint yet (status ${out?.workspace?.status ?? 'unknown'}).`);
      return { baseUrl: `https://${host}`, grafanaVersion: out.workspace?.grafanaVersion, orgId: 1 };
    } catch (e) {
      throw mapAmgError(e, 'describing the workspace', ws);
    }
  };

  const deleteToken = async (tokenId: string): Promise<boolean> => {
    try {
      await changeAws(() => client.send(new DeleteWorkspaceServiceAccountTokenCommand({ ...ws, tokenId })));
      leftovers.delete(tokenId);
      return true;
    } catch (e) {
      if (classifyFailure(e) === 'not_found') {
        leftovers.delete(tokenId); // already gone (expired or deleted elsewhere)
        return true;
      }
      leftovers.set(tokenId, e);
      o.logger?.warn({ err: e, tokenId, workspaceId: o.workspaceId }, 'could not delete a short-lived Grafana token; close() will retry');
      return false;
    }
  };

  const track = (p: Promise<unknown>) => {
    const done = p.then(() => undefined);
    deleting.add(done);
    return done.finally(() => deleting.delete(done));
  };

  const lease = async (): Promise<TokenLease> => {
    const name = `lookout-${o.clock.now()}-${randomBytes(4).toString('hex')}`;
    let out;
    try {
      out = await changeAws(() => createClient.send(new CreateWorkspaceServiceAccountTokenCommand({ ...ws, name, secondsToLive: ttl })));
    } catch (e) {
      throw mapAmgError(e, 'creating a short-lived Grafana token', ws);
    }
    const token = out?.serviceAccountToken;
    if (!token?.id || !token.key) {
      if (token?.id) await track(deleteToken(token.id));
      throw new LookoutError('upstream', 'Amazon Managed Grafana created a token without a key.');
    }
    const tokenId = token.id;
    let released = false;
    return {
      key: token.key,
      release: async () => {
        if (released) return;
        released = true;
        await track(deleteToken(tokenId));
      },
    };
  };

  return createGrafanaHttpDashboards({
    describe: `Amazon Managed Grafana ${o.workspaceId} (${o.target.region})`,
    endpoint: () => {
      endpoint ??= describeWorkspace().catch((e) => {
        endpoint = undefined; // try again next time
        throw e;
      });
      return endpoint;
    },
    lease,
    clock: o.clock,
    authHint: `Give service account ${inlineCode(o.serviceAccountId)} of workspace ${inlineCode(o.workspaceId)} the Viewer role (and access to the dashboard's folder).`,
    fetch: o.fetch,
    outbound: o.outbound,
    close: async () => {
      await Promise.all([...deleting]);
      await Promise.all([...leftovers.keys()].map((id) => deleteToken(id)));
    },
  });
}
