import { AmpClient, DescribeWorkspaceCommand } from '@aws-sdk/client-amp';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { LookoutError } from '../errors';
import type { AwsTarget } from '../ports/aws';
import type { Clock } from '../ports/clock';
import type { PromQuery } from '../ports/prom-query';
import { createPrometheusClient, type RequestAuth } from './prometheus';
import { escapeMrkdwn } from './prometheus-errors';
import { instrument, type AwsCallObserver } from './instrument';
import { classifyFailure } from '../failures';
import { failureError } from './errors';
import { sdkTimeouts } from './sdk-client';
import type { OutboundPolicy } from '../outbound';

/**
 * PromQuery for an Amazon Managed Service for Prometheus workspace (aws-apis.md §3): the endpoint comes from
 * DescribeWorkspace (once, on first use), every request is SigV4-signed for service `aps`, and every query carries
 * a samples-processed ceiling so a runaway query is refused by AMP without charge.
 */
export interface AmpPromQueryOptions {
  workspaceId: string;
  observe?: AwsCallObserver;
  /** The account of `metrics.amp.account` (or Lookout's own: credentials undefined → the default chain). */
  target: AwsTarget;
  /** `metrics.amp.region` when it differs from the target's. */
  region?: string;
  /** AMP's max_samples_processed_error_threshold for query and query_range. */
  maxSamplesProcessed?: number;
  timeoutMs?: number;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Tests inject a client; otherwise one is built for the target. */
  client?: AmpClient;
  /** Timeouts and byte limits (defaults: DEFAULT_OUTBOUND). */
  outbound?: OutboundPolicy;
  /** Query attempts (default 3); chaos guards use 1: their next interval is the retry. */
  maxAttempts?: number;
}

export const DEFAULT_MAX_SAMPLES_PROCESSED = 10_000_000;

export function createAmpPromQuery(o: AmpPromQueryOptions): PromQuery {
  const region = o.region ?? o.target.region;
  const label = `AMP ${o.workspaceId} (${region})`;
  const credentials = o.target.credentials ?? fromNodeProviderChain();
  const client = o.client ?? instrument(new AmpClient({ region, credentials: o.target.credentials, maxAttempts: 5, retryMode: 'adaptive', ...sdkTimeouts(o.outbound) }), 'aps', o.observe);
  let inner: Promise<PromQuery> | undefined;
  const resolve = (): Promise<PromQuery> => {
    inner ??= describeEndpoint(client, o, region).then((baseUrl) =>
      createPrometheusClient({
        baseUrl,
        label,
        auth: apsSigner(region, credentials),
        timeoutMs: o.timeoutMs,
        ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
        outbound: o.outbound,
        clock: o.clock,
        fetch: o.fetch,
        queryParams: { max_samples_processed_error_threshold: String(o.maxSamplesProcessed ?? DEFAULT_MAX_SAMPLES_PROCESSED) },
        hints: {
          accessDenied: `Lookout's role in account *${escapeMrkdwn(o.target.accountName)}* needs \`aps:QueryMetrics\`, \`aps:GetSeries\` and \`aps:GetLabels\` on workspace \`${escapeMrkdwn(o.workspaceId)}\`; a skewed server clock also fails signatures.`,
          notFound: `Check \`metrics.amp.workspaceId\` and its region (${escapeMrkdwn(region)}).`,
        },
      }),
    );
    // A failed lookup is not cached: the next command tries again.
    inner.catch(() => (inner = undefined));
    return inner;
  };
  return {
    describe: () => label,
    instant: async (query, at, signal) => (await resolve()).instant(query, at, signal),
    range: async (query, range, signal) => (await resolve()).range(query, range, signal),
    series: async (selector, range) => (await resolve()).series(selector, range),
    labels: async (metric) => (await resolve()).labels(metric),
    labelValues: async (label, metric) => (await resolve()).labelValues(label, metric),
  };
}

/** SigV4 for the workspace data plane. The signer does not add Host itself, so it is signed explicitly and dropped. */
export function apsSigner(region: string, credentials: NonNullable<AwsTarget['credentials']>): RequestAuth {
  const signer = new SignatureV4({ service: 'aps', region, credentials, sha256: Sha256 });
  return async (req) => {
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of req.url.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : ([] as string[]).concat(prev, v);
    }
    const signed = await signer.sign({
      method: req.method,
      protocol: req.url.protocol,
      hostname: req.url.hostname,
      port: req.url.port ? Number(req.url.port) : undefined,
      path: req.url.pathname,
      query,
      headers: { ...req.headers, host: req.url.host },
      body: req.body,
    });
    const { host: _host, ...headers } = signed.headers as Record<string, string>;
    return { ...req, headers };
  };
}

async function describeEndpoint(client: AmpClient, o: AmpPromQueryOptions, region: string): Promise<string> {
  const ws = `\`${escapeMrkdwn(o.workspaceId)}\``;
  const where = `${escapeMrkdwn(region)}, account *${escapeMrkdwn(o.target.accountName)}*`;
  try {
    const { workspace } = await client.send(new DescribeWorkspaceCommand({ workspaceId: o.workspaceId }));
    const status = workspace?.status?.statusCode;
    if (status && status !== 'ACTIVE' && status !== 'UPDATING') {
      throw new LookoutError('upstream', `AMP workspace ${ws} is ${escapeMrkdwn(status)}, not ACTIVE.`, {
        hint: 'Try again once the workspace is active.',
      });
    }
    const endpoint: unknown = workspace?.prometheusEndpoint ?? `https://aps-workspaces.${region}.amazonaws.com/workspaces/${o.workspaceId}/`;
    if (typeof endpoint !== 'string' || !URL.canParse(endpoint)) {
      throw new LookoutError('upstream', `AMP described workspace ${ws} in ${where} without a usable endpoint.`, { hint: 'Try again in a minute.' });
    }
    return endpoint;
  } catch (err) {
    if (err instanceof LookoutError) throw err;
    throw mapDescribeError(err, ws, where);
  }
}

/** AMP's control-plane message table over the one classifier (errors.ts). */
function mapDescribeError(err: unknown, ws: string, where: string): LookoutError {
  return failureError(classifyFailure(err), {
    not_found: { message: `AMP workspace ${ws} does not exist in ${where}.`, hint: 'Check `metrics.amp.workspaceId` and `region`; `aws amp list-workspaces` lists the workspaces.', code: 'config' },
    access_denied: { message: `Lookout may not describe AMP workspace ${ws} in ${where}.`, hint: 'Its role needs `aps:DescribeWorkspace` (and `aps:QueryMetrics`, `aps:GetSeries`, `aps:GetLabels`).' },
    throttled: { message: `AWS is rate-limiting AMP calls in ${where}.`, hint: 'Try again in a minute.' },
    timeout: { message: `AMP did not answer in time while describing workspace ${ws} in ${where}.`, hint: 'Try again in a minute.' },
    expired: { message: `The AWS credentials Lookout used for AMP in ${where} have expired.`, hint: 'Run the command again: Lookout fetches fresh credentials. If it persists, check the server clock and the role’s maximum session duration.' },
    quota: { message: `An AWS quota was reached while describing AMP workspace ${ws} in ${where}.`, hint: 'Wait a minute and try again; Service Quotas shows the AMP limits.' },
    fallback: { message: `AMP could not describe workspace ${ws} in ${where}.`, hint: 'This is usually temporary; try again shortly.' },
  }, { cause: err });
}
