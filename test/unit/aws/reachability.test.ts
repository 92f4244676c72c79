import {
  CreateNetworkInsightsPathCommand,
  DeleteNetworkInsightsAnalysisCommand,
  DeleteNetworkInsightsPathCommand,
  DescribeInstancesCommand,
  DescribeNetworkInsightsAnalysesCommand,
  DescribeNetworkInsightsPathsCommand,
  EC2Client,
  StartNetworkInsightsAnalysisCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { createReachabilityAdapter } from '../../../src/aws/reachability';
import { ManualClock } from '../../helpers/manual-clock';
import { createReachService } from '../../../src/reach';
import { openStore } from '../../../src/store';
import { drive } from '../reach/fixtures/drive';
import { ec2Error, playSandboxVpc } from '../reach/fixtures/ec2-vpc-mock';

const target = { accountName: 'prod', accountId: '111111111111', region: 'eu-west-1' };
const MANAGED = [{ ResourceType: 'network-insights-path', Tags: [{ Key: 'lookout:managed', Value: 'true' }] }];

describe('reachability adapter: SDK inputs', () => {
  const ec2 = mockClient(EC2Client);
  const clock = new ManualClock();
  const port = () => createReachabilityAdapter(target, clock);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  test('createPath to an instance pins Source, Destination, Protocol, DestinationPort, the managed tag and the token', async () => {
    ec2.on(CreateNetworkInsightsPathCommand).resolves({ NetworkInsightsPath: { NetworkInsightsPathId: 'nip-0123456789abcdef0', Source: 'i-aaa', Destination: 'i-bbb', Protocol: 'tcp', DestinationPort: 5432 } });
    const path = await port().createPath({ source: 'i-aaa', destination: 'i-bbb', protocol: 'tcp', port: 5432 }, 'lookout-abc');
    expect(ec2.commandCalls(CreateNetworkInsightsPathCommand)[0].args[0].input).toEqual({
      Source: 'i-aaa',
      Destination: 'i-bbb',
      Protocol: 'tcp',
      DestinationPort: 5432,
      TagSpecifications: MANAGED,
      ClientToken: 'lookout-abc',
    });
    expect(path).toMatchObject({ id: 'nip-0123456789abcdef0', managed: true, port: 5432 });
  });

  test('createPath to an IP uses DestinationIp, no Destination and no FilterAtDestination', async () => {
    ec2.on(CreateNetworkInsightsPathCommand).resolves({ NetworkInsightsPath: { NetworkInsightsPathId: 'nip-1', Source: 'i-aaa', DestinationIp: '8.8.8.8', Protocol: 'udp', DestinationPort: 53 } });
    await port().createPath({ source: 'i-aaa', destinationIp: '8.8.8.8', protocol: 'udp', port: 53 }, 't');
    const input = ec2.commandCalls(CreateNetworkInsightsPathCommand)[0].args[0].input;
    expect(input).toEqual({ Source: 'i-aaa', DestinationIp: '8.8.8.8', Protocol: 'udp', DestinationPort: 53, TagSpecifications: MANAGED, ClientToken: 't' });
    expect(input).not.toHaveProperty('FilterAtDestination');
  });

  test('an ENI destination with a specific address sends both Destination and DestinationIp; no port means any', async () => {
    ec2.on(CreateNetworkInsightsPathCommand).resolves({ NetworkInsightsPath: { NetworkInsightsPathId: 'nip-2', Source: 'i-aaa' } });
    await port().createPath({ source: 'i-aaa', destination: 'eni-bbb', destinationIp: '10.0.2.21', protocol: 'tcp' }, 't');
    expect(ec2.commandCalls(CreateNetworkInsightsPathCommand)[0].args[0].input).toEqual({
      Source: 'i-aaa',
      Destination: 'eni-bbb',
      DestinationIp: '10.0.2.21',
      Protocol: 'tcp',
      TagSpecifications: MANAGED,
      ClientToken: 't',
    });
  });

  test('findManagedPaths filters source/destination/protocol server-side, pages, and keeps only managed paths', async () => {
    ec2
      .on(DescribeNetworkInsightsPathsCommand)
      .resolvesOnce({ NetworkInsightsPaths: [{ NetworkInsightsPathId: 'nip-a', Source: 'i-aaa', Destination: 'i-bbb', Protocol: 'tcp', DestinationPort: 5432, Tags: [{ Key: 'lookout:managed', Value: 'true' }] }], NextToken: 'p2' })
      .resolvesOnce({ NetworkInsightsPaths: [{ NetworkInsightsPathId: 'nip-b', Source: 'i-aaa', Destination: 'i-bbb', Protocol: 'tcp', DestinationPort: 22, Tags: [{ Key: 'team', Value: 'x' }] }] });
    const found = await port().findManagedPaths({ source: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-aaa', destination: 'i-bbb', protocol: 'tcp' });
    const calls = ec2.commandCalls(DescribeNetworkInsightsPathsCommand).map((c) => c.args[0].input);
    expect(calls[0]).toEqual({
      Filters: [
        { Name: 'source', Values: ['i-aaa'] },
        { Name: 'destination', Values: ['i-bbb'] },
        { Name: 'protocol', Values: ['tcp'] },
      ],
      MaxResults: 100,
      NextToken: undefined,
    });
    expect(calls[1].NextToken).toBe('p2');
    expect(found.map((p) => p.id)).toEqual(['nip-a']);
  });

  test('findInstancesByName matches the Name literally (wildcards escaped, exact compare)', async () => {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceId: 'i-1', Tags: [{ Key: 'Name', Value: 'web*1' }] }, { InstanceId: 'i-2', Tags: [{ Key: 'Name', Value: 'webX1' }] }] }],
    });
    const found = await port().findInstancesByName('web*1');
    expect(ec2.commandCalls(DescribeInstancesCommand)[0].args[0].input.Filters).toEqual([
      { Name: 'tag:Name', Values: ['web\\*1'] },
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ]);
    expect(found).toEqual([{ id: 'i-1', name: 'web*1' }]);
  });

  test('startAnalysis sends the path, the token and tags the analysis', async () => {
    ec2.on(StartNetworkInsightsAnalysisCommand).resolves({ NetworkInsightsAnalysis: { NetworkInsightsAnalysisId: 'nia-1', NetworkInsightsPathId: 'nip-1', Status: 'running' } });
    const a = await port().startAnalysis('nip-1', 'run-token');
    expect(ec2.commandCalls(StartNetworkInsightsAnalysisCommand)[0].args[0].input).toEqual({
      NetworkInsightsPathId: 'nip-1',
      TagSpecifications: [{ ResourceType: 'network-insights-analysis', Tags: [{ Key: 'lookout:managed', Value: 'true' }] }],
      ClientToken: 'run-token',
    });
    expect(a).toMatchObject({ id: 'nia-1', status: 'running', startedAt: clock.now() });
    expect(a.pathFound).toBeUndefined();
  });

  test('a failed analysis keeps its StatusMessage and is never "path not found"', async () => {
    ec2.on(DescribeNetworkInsightsAnalysesCommand).resolves({
      NetworkInsightsAnalyses: [{ NetworkInsightsAnalysisId: 'nia-1', NetworkInsightsPathId: 'nip-1', Status: 'failed', StatusMessage: 'Insufficient permissions: tiros:CreateQuery', NetworkPathFound: false }],
    });
    const a = await port().getAnalysis('nia-1');
    expect(a).toMatchObject({ status: 'failed', statusMessage: 'Insufficient permissions: tiros:CreateQuery' });
    expect(a.pathFound).toBeUndefined();
  });

  test('maps hops: protocol numbers, rules, routes, detail codes, hop explanations', async () => {
    ec2.on(DescribeNetworkInsightsAnalysesCommand).resolves({
      NetworkInsightsAnalyses: [
        {
          NetworkInsightsAnalysisId: 'nia-1',
          NetworkInsightsPathId: 'nip-1',
          Status: 'succeeded',
          NetworkPathFound: true,
          ForwardPathComponents: [
            { SequenceNumber: 2, Component: { Id: 'acl-1' }, AclRule: { Egress: true, Protocol: '6', RuleAction: 'allow', RuleNumber: 100, PortRange: { From: 443, To: 443 }, Cidr: '0.0.0.0/0' } },
            {
              SequenceNumber: 1,
              Component: { Id: 'rtb-1', Name: 'main' },
              RouteTableRoute: { DestinationCidr: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' },
              OutboundHeader: { Protocol: '17', DestinationPortRanges: [{ From: 53, To: 53 }] },
              AdditionalDetails: [{ AdditionalDetailType: 'UNIDIRECTIONAL_PATH_ANALYSIS_ONLY' }],
              Explanations: [{ ExplanationCode: 'REMAP_EPHEMERAL_PORT', NatGateway: { Id: 'nat-1' } }],
            },
          ],
        },
      ],
    });
    const a = await port().getAnalysis('nia-1');
    expect(a.forward.map((h) => h.seq)).toEqual([1, 2]);
    expect(a.forward[0]).toEqual({
      seq: 1,
      component: { id: 'rtb-1', name: 'main' },
      route: { destination: '0.0.0.0/0', target: 'igw-1', state: 'active' },
      outbound: { protocol: 'udp', destinationPorts: [{ from: 53, to: 53 }] },
      details: ['UNIDIRECTIONAL_PATH_ANALYSIS_ONLY'],
      explanations: [{ code: 'REMAP_EPHEMERAL_PORT', components: { natGateway: { id: 'nat-1' } } }],
    });
    expect(a.forward[1].aclRule).toEqual({ egress: true, ruleNumber: 100, action: 'allow', protocol: 'tcp', portRange: { from: 443, to: 443 }, cidr: '0.0.0.0/0' });
  });

  test('deletePath deletes every analysis first, then the path', async () => {
    ec2.on(DescribeNetworkInsightsAnalysesCommand).resolves({ NetworkInsightsAnalyses: [{ NetworkInsightsAnalysisId: 'nia-1' }, { NetworkInsightsAnalysisId: 'nia-2' }] });
    ec2.on(DeleteNetworkInsightsAnalysisCommand, { NetworkInsightsAnalysisId: 'nia-2' }).rejects(ec2Error('InvalidNetworkInsightsAnalysisId.NotFound', 'gone'));
    ec2.on(DeleteNetworkInsightsAnalysisCommand, { NetworkInsightsAnalysisId: 'nia-1' }).resolves({});
    ec2.on(DeleteNetworkInsightsPathCommand).resolves({});
    expect(await port().deletePath('nip-1')).toEqual({ analysesDeleted: 1 });
    expect(ec2.commandCalls(DescribeNetworkInsightsAnalysesCommand)[0].args[0].input).toMatchObject({ NetworkInsightsPathId: 'nip-1' });
    expect(ec2.commandCalls(DeleteNetworkInsightsPathCommand)[0].args[0].input).toEqual({ NetworkInsightsPathId: 'nip-1' });
    const order = ec2.calls().map((c) => c.args[0].constructor.name);
    expect(order.at(-1)).toBe('DeleteNetworkInsightsPathCommand');
  });
});

describe('reachability adapter: errors', () => {
  const ec2 = mockClient(EC2Client);
  const clock = new ManualClock();
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());
  const create = () => createReachabilityAdapter(target, clock).createPath({ source: 'i-aaa', destination: 'i-bbb', protocol: 'tcp', port: 5432 }, 't');
  const failWith = async (err: Error) => {
    ec2.on(CreateNetworkInsightsPathCommand).rejects(err);
    return create().then(
      () => {
        throw new Error('expected a failure');
      },
      (e) => e,
    );
  };

  const cases: [string, Error, string, RegExp][] = [
    ['not found', ec2Error('NetworkInsightsSource.NotFound', "The source 'i-aaa' does not exist."), 'not_found', /could not find.*NetworkInsightsSource\.NotFound.*i-aaa/],
    ['access denied', ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation. User: arn:aws:sts::1:assumed-role/lookout is not authorized to perform: ec2:CreateNetworkInsightsPath on resource', 403), 'access_denied', /refused.*missing `ec2:CreateNetworkInsightsPath`/],
    ['throttled', ec2Error('RequestLimitExceeded', 'Request limit exceeded.', 503), 'throttled', /rate-limiting Lookout/],
    ['path quota', ec2Error('NetworkInsightsPath.LimitExceeded', 'You have reached the limit of 1000 paths.'), 'quota', /quota was reached.*NetworkInsightsPath\.LimitExceeded/],
    ['bad input', ec2Error('InvalidParameterCombination', 'FilterAtSource <b>and</b> DestinationPort'), 'invalid_input', /rejected.*&lt;b&gt;and&lt;\/b&gt;/],
    ['token reuse', ec2Error('IdempotentParameterMismatch', 'token reused'), 'conflict', /conflict/],
    ['AWS failure', ec2Error('InternalError', 'boom', 500), 'upstream', /AWS failed/],
    ['no credentials', Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }), 'config', /no usable AWS credentials/],
  ];

  test.each(cases)('%s', async (_label, err, code, message) => {
    const e = await failWith(err);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.message).toContain('in eu-west-1 (account prod)');
    expect(e.cause).toBe(err);
    if ((err as any).$metadata) expect(e.requestIds).toEqual([(err as any).$metadata.requestId]);
  });

  test('every class reads differently, and quota and permission errors say what to do', async () => {
    const messages = new Set<string>();
    for (const [, err] of cases) messages.add((await failWith(err)).message.replace(/AWS says:.*$/, ''));
    expect(messages.size).toBe(cases.length);
    expect((await failWith(cases[3][1])).hint).toMatch(/\/reach forget/);
    expect((await failWith(cases[1][1])).hint).toMatch(/ec2:CreateNetworkInsightsPath/);
  });
});

describe('reachability adapter: reuse and polling through the service', () => {
  test('a repeated question reuses the path; polling backs off on the injected clock', async () => {
    const clock = new ManualClock();
    const mock = playSandboxVpc(clock, { analysisMs: 8_000 });
    const store = await openStore('sqlite::memory:', { clock });
    try {
      const service = createReachService({ reachability: (t) => createReachabilityAdapter(t, clock), store, clock });
      const question = { source: 'web-1', destination: 'cache-1', protocol: 'tcp' as const, port: 6379 };
      const first = await drive(service.check(question, target), clock);
      expect(first).toMatchObject({ kind: 'fresh', outcome: { reachable: true } });
      // Polls at +1 s, then every 1.5 s (POLL_DEFAULTS): +2.5, +4, +5.5, +7, +8.5 — six describes, the last finds the
      // 8-second analysis done, at most 1.5 s after it finished (issue 15's freshness budget).
      expect(mock.commandCalls(DescribeNetworkInsightsAnalysesCommand)).toHaveLength(6);
      expect(first.kind === 'fresh' && first.durationMs).toBe(8_500);

      await clock.advance(11 * 60_000); // past the 10-minute cache
      const second = await drive(service.check(question, target), clock);
      expect(second.pathId).toBe(first.pathId);
      expect(mock.commandCalls(CreateNetworkInsightsPathCommand)).toHaveLength(1);
      expect(mock.commandCalls(StartNetworkInsightsAnalysisCommand)).toHaveLength(2);
      // The older analysis is deleted once the new one succeeded (analysis quota).
      expect(mock.commandCalls(DeleteNetworkInsightsAnalysisCommand).map((c) => c.args[0].input.NetworkInsightsAnalysisId)).toEqual([first.analysisId]);
    } finally {
      mock.restore();
      await store.close();
    }
  });
});
