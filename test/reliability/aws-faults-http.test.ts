import { mockClient } from 'aws-sdk-client-mock';
import { AmpClient, DescribeWorkspaceCommand as DescribeAmpWorkspace } from '@aws-sdk/client-amp';
import {
  CreateWorkspaceServiceAccountTokenCommand,
  DeleteWorkspaceServiceAccountTokenCommand,
  DescribeWorkspaceCommand as DescribeAmgWorkspace,
  GrafanaClient,
} from '@aws-sdk/client-grafana';
import { createAmpPromQuery } from '../../src/aws/amp';
import { createAmgDashboards, createGrafanaUrlDashboards } from '../../src/aws/grafana';
import { isLookoutError, type ErrorCode } from '../../src/errors';
import { DEFAULT_OUTBOUND, MAX_RETRY_AFTER_MS, type OutboundPolicy } from '../../src/outbound';
import { recordingClock, startFaultServer, type Fault, type FaultServer } from '../helpers/fault-http';
import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually } from '../helpers/fast-clock';

/**
 * Issue 13 item 3 for the adapters that speak HTTP themselves: AMP queries (SigV4-signed Prometheus API) and
 * Grafana's HTTP API (with a token from the environment, and with AMG's short-lived tokens). Each fault is played
 * by a real HTTP server on loopback. Per row: the error code, a message that says what happened and what to do
 * (a hint) without raw exception or backend text, the number of attempts the server saw (retries only where they
 * help), bounded time (the adapters' own timeout set to 1 s; retry waits recorded by the clock, not spent),
 * the AWS request id when AWS sent one, no unhandled rejection, and no AMG token left behind.
 */
const TIMEOUT_MS = 1_000;
const LIMIT = 256 * 1024;
const outbound: OutboundPolicy = {
  ...DEFAULT_OUTBOUND,
  prometheus: { requestMs: TIMEOUT_MS },
  grafana: { requestMs: TIMEOUT_MS },
  maxBytes: { ...DEFAULT_OUTBOUND.maxBytes, instant: LIMIT, search: LIMIT, dashboard: LIMIT },
};
const RAW = 'RAW-TEXT <!channel> at Object.<anonymous> (/srv/x.js:1:1)';
const RID = 'rid-amp-0001';
const aws = (type: string, status: number, message: string, extra: Record<string, string> = {}): Fault => ({
  kind: 'status',
  status,
  body: JSON.stringify({ message }),
  headers: { 'x-amzn-errortype': type, 'x-amzn-requestid': RID, ...extra },
});

interface Row {
  fault: string;
  play: Fault;
  /** How many requests get the fault; the rest are answered normally. Default: all. */
  times?: number;
  /** The error code, or 'ok' when the retries helped. */
  code: ErrorCode | 'ok';
  attempts: number;
  /** The message must say this (what happened, in the person's terms). */
  says: RegExp;
  /** Waits before the retries, when the server asked for them. */
  waits?: number[];
}

const HUGE: Fault = { kind: 'huge', bytes: 4 * LIMIT, headers: { 'x-amzn-requestid': RID } };
const COMMON: Row[] = [
  { fault: 'throttling (429, Retry-After: 2)', play: aws('ThrottlingException', 429, `Rate exceeded ${RAW}`, { 'retry-after': '2' }), code: 'throttled', attempts: 3, says: /rate-limiting/, waits: [2000, 2000] },
  { fault: 'throttling, then it answers', play: aws('ThrottlingException', 429, RAW, { 'retry-after': '1' }), times: 1, code: 'ok', attempts: 2, says: /./, waits: [1000] },
  { fault: '5xx (503)', play: aws('InternalServerException', 503, RAW), code: 'upstream', attempts: 3, says: /HTTP 503/ },
  { fault: '5xx twice, then it answers', play: aws('InternalServerException', 502, RAW), times: 2, code: 'ok', attempts: 3, says: /./ },
  { fault: 'connection reset', play: { kind: 'reset' }, code: 'upstream', attempts: 3, says: /connection|reach/ },
  { fault: 'connection reset once, then it answers', play: { kind: 'reset' }, times: 1, code: 'ok', attempts: 2, says: /./ },
  { fault: 'never answers', play: { kind: 'hang' }, code: 'timeout', attempts: 1, says: /(No answer|did not answer)/ },
  { fault: 'huge answer (1 MiB, limit 256 KiB)', play: HUGE, code: 'quota', attempts: 1, says: /larger than 256 KiB|more than 256 KiB/ },
];

const AMP_ROWS: Row[] = [
  ...COMMON,
  { fault: 'access denied (403)', play: aws('AccessDeniedException', 403, `User is not authorized to perform: aps:QueryMetrics ${RAW}`), code: 'access_denied', attempts: 1, says: /refused Lookout's credentials/ },
  { fault: 'expired assumed-role credentials (403)', play: aws('ExpiredTokenException', 403, `The security token included in the request is expired ${RAW}`), code: 'access_denied', attempts: 1, says: /expired/ },
  {
    fault: 'quota exceeded (422, samples limit)',
    play: { kind: 'status', status: 422, body: JSON.stringify({ status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory in query execution' }), headers: { 'x-amzn-requestid': RID } },
    code: 'quota',
    attempts: 1,
    says: /too expensive/,
  },
  { fault: 'malformed JSON (200)', play: { kind: 'status', status: 200, body: '{"status":"success","data":{"resultType":', headers: { 'x-amzn-requestid': RID } }, code: 'upstream', attempts: 1, says: /not understand|did not answer like/ },
];

const GRAFANA_ROWS: Row[] = [
  ...COMMON,
  { fault: 'access denied (403)', play: { kind: 'status', status: 403, body: JSON.stringify({ message: 'Permissions needed: dashboards:read <!channel>' }) }, code: 'access_denied', attempts: 1, says: /refused Lookout's token/ },
  { fault: 'expired token (401)', play: { kind: 'status', status: 401, body: JSON.stringify({ message: 'token expired' }) }, code: 'access_denied', attempts: 1, says: /refused Lookout's token/ },
  { fault: 'malformed JSON (200)', play: { kind: 'status', status: 200, body: '[{"uid":"abc","title":' }, code: 'upstream', attempts: 1, says: /not JSON/ },
];

const amp = mockClient(AmpClient);
const amg = mockClient(GrafanaClient);
const target = { accountName: 'prod', accountId: '111111111111', region: 'eu-west-1', credentials: async () => ({ accessKeyId: 'AKIAFAULTS0000000000', secretAccessKey: 'faults-secret' }) };
// AMG endpoints are https hosts; the stand-in speaks plain http on loopback.
const viaHttp: typeof fetch = (url, init) => fetch(String(url).replace(/^https:/, 'http:'), init);

let server: FaultServer;
const promOk: Fault = { kind: 'status', status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }), headers: { 'x-amzn-requestid': 'rid-ok' } };
const grafanaOk: Fault = { kind: 'status', status: 200, body: '[]' };
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  server = await startFaultServer((req) => (req.url?.includes('/api/v1/') ? promOk : grafanaOk));
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.close();
  amp.restore();
  amg.restore();
});
beforeEach(() => {
  amp.reset();
  amg.reset();
  amp.on(DescribeAmpWorkspace).resolves({ workspace: { status: { statusCode: 'ACTIVE' }, prometheusEndpoint: `${server.url}/workspaces/ws-fault1/` } as any, $metadata: {} });
  let n = 0;
  amg.on(DescribeAmgWorkspace).resolves({ workspace: { endpoint: new URL(server.url).host, grafanaVersion: '11.2.0', status: 'ACTIVE' } as any });
  amg.on(CreateWorkspaceServiceAccountTokenCommand).callsFake(() => ({ serviceAccountToken: { id: `tok-${++n}`, name: 'n', key: `glsa_${n}` } }));
  amg.on(DeleteWorkspaceServiceAccountTokenCommand).resolves({});
});

type Adapter = [string, Row[], (clock: ReturnType<typeof recordingClock>) => Promise<unknown>, { awsIds: boolean; where: RegExp }];
const ADAPTERS: Adapter[] = [
  [
    'AMP query (SigV4)',
    AMP_ROWS,
    (clock) => createAmpPromQuery({ workspaceId: 'ws-fault1', target, client: new AmpClient({ region: 'eu-west-1' }), clock, outbound }).instant('up'),
    { awsIds: true, where: /AMP ws-fault1 \(eu-west-1\)/ },
  ],
  [
    'Grafana HTTP API (token from env)',
    GRAFANA_ROWS,
    (clock) => createGrafanaUrlDashboards({ url: server.url, tokenEnv: 'GF_TOKEN', env: { GF_TOKEN: 'glsa_env' }, clock, outbound }).search('checkout'),
    { awsIds: false, where: /Grafana at `127\.0\.0\.1:\d+`/ },
  ],
  [
    'Grafana HTTP API (AMG short-lived token)',
    GRAFANA_ROWS,
    (clock) =>
      createAmgDashboards({ workspaceId: 'g-fault1', serviceAccountId: '5', target, clock, client: new GrafanaClient({ region: 'eu-west-1' }), fetch: viaHttp, outbound }).search('checkout'),
    { awsIds: false, where: /Grafana at `127\.0\.0\.1:\d+`/ },
  ],
];

const RAW_EXCEPTION = /TypeError|SyntaxError|fetch failed|Unexpected token|This operation was aborted|AbortError|\(\/srv\/x\.js|<!channel>/;

describe('reliability: AWS faults on the HTTP adapters (AMP queries, Grafana HTTP API)', () => {
  const cases = ADAPTERS.flatMap(([adapter, rows, call, meta]) => rows.map((row) => [adapter, row.fault, row, call, meta] as const));
  it.each(cases)('%s: %s', async (_adapter, _fault, row, call, meta) => {
    const clock = recordingClock();
    server.requests.length = 0;
    server.clear();
    server.script(row.play, row.times);
    const started = Date.now();
    const outcome = await call(clock).then(
      () => ({ ok: true as const }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    const elapsed = Date.now() - started;
    server.clear();
    await new Promise((r) => setImmediate(r));

    // Retries only where they help, each wait the server asked for, and a bound on both.
    expect(server.requests.length).toBe(row.attempts);
    if (row.waits) expect(clock.slept).toEqual(row.waits);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual((row.attempts - 1) * MAX_RETRY_AFTER_MS);
    expect(elapsed).toBeLessThan(row.attempts * TIMEOUT_MS + 5_000);
    expect(unhandled).toEqual([]);
    // AMG: every token minted was deleted, fault or not.
    expect(amg.commandCalls(DeleteWorkspaceServiceAccountTokenCommand).length).toBe(amg.commandCalls(CreateWorkspaceServiceAccountTokenCommand).length);

    if (row.code === 'ok') {
      expect(outcome.ok).toBe(true);
      return;
    }
    expect(outcome.ok).toBe(false);
    const e = (outcome as { e: unknown }).e;
    expect(isLookoutError(e) ? e.code : String(e)).toBe(row.code);
    if (!isLookoutError(e)) return;
    expect(e.message).toMatch(row.says);
    expect(e.message).toMatch(meta.where);
    expect(e.message).not.toMatch(RAW_EXCEPTION);
    expect(e.hint ?? '').not.toBe('');
    expect(e.hint ?? '').not.toMatch(RAW_EXCEPTION);
    const awsSentId = meta.awsIds && row.play.kind !== 'reset' && row.play.kind !== 'hang';
    expect(e.requestIds).toEqual(awsSentId ? expect.arrayContaining([RID]) : []);
  });
});

/**
 * The same faults end to end, once each where the audit row matters: `/metrics up` against an AMP workspace whose
 * data plane is the fault server. The person gets the clear message; the audit row keeps AWS's request id.
 */
describe('reliability: an AMP fault reaches the person as a clear message and the audit row keeps the request id', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench({ yaml: 'channels:\n  default: { allow: ["*"] }\nmetrics:\n  amp: { workspaceId: ws-fault1, region: eu-west-1 }\n' });
  });
  afterAll(() => bench?.stop());
  beforeEach(() => server.clear());

  it.each([
    ['access denied', 'C0AMPF001', aws('AccessDeniedException', 403, `User is not authorized to perform: aps:QueryMetrics ${RAW}`), /refused Lookout's credentials/, 1],
    ['expired credentials', 'C0AMPF002', aws('ExpiredTokenException', 403, `The security token included in the request is expired ${RAW}`), /have expired/, 1],
    ['throttling (Retry-After: 0)', 'C0AMPF003', aws('ThrottlingException', 429, RAW, { 'retry-after': '0' }), /rate-limiting/, 3],
  ] as const)('%s', async (_name, channel, fault, says, attempts) => {
    server.requests.length = 0;
    const since = bench.slack.calls.length;
    server.script(fault);
    await bench.driver.command('/metrics', 'up', { user: 'U0ALICE01', channel });
    const row = await eventually(async () => (await bench.app.store.listAudit({ channelId: channel, limit: 5 }))[0]);
    expect(row.outcome).not.toBe('ok');
    expect(row.awsRequestIds).toContain(RID);
    const said = await bench.slack.waitFor((c) => says.test(textOf(c.args)), { since });
    expect(textOf(said.args)).toMatch(says);
    expect(textOf(said.args)).not.toMatch(RAW_EXCEPTION);
    expect(server.requests.filter((r) => r.includes('/api/v1/query')).length).toBe(attempts);
  });
});
