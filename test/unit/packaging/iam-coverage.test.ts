import fs from 'node:fs';
import path from 'node:path';
import { actionsOf, loadPolicy, policyFiles } from './iam-files';

const root = path.join(__dirname, '..', '..', '..');
const srcAws = path.join(root, 'src', 'aws');

// The IAM service prefix of each SDK client package Lookout uses (aws-apis.md §0: AMP signs as `aps`).
const PREFIX: Record<string, string> = { ec2: 'ec2', fis: 'fis', amp: 'aps', grafana: 'grafana', sts: 'sts' };

/**
 * Actions granted although no SDK command calls them, each with the reason and the code that needs it
 * (`file` must contain `needs`, so an entry goes stale when that code goes). docs/iam.md says the same.
 */
const ALLOWED_WITHOUT_A_COMMAND: { actions: string[]; reason: string; file: string; needs: RegExp }[] = [
  {
    actions: ['sts:SetSourceIdentity', 'sts:TagSession'],
    reason: 'permission-only: AssumeRole with a SourceIdentity (the person) needs sts:SetSourceIdentity; sts:TagSession lets it pass session tags',
    file: 'accounts.ts',
    needs: /SourceIdentity: sourceIdentity\(actor\)/,
  },
  { actions: ['aps:QueryMetrics'], reason: 'PromQL over SigV4-signed HTTP: /api/v1/query and /query_range', file: 'prometheus.ts', needs: /call\('query_range'/ },
  { actions: ['aps:GetSeries'], reason: 'signed HTTP: /api/v1/series', file: 'prometheus.ts', needs: /call\('series'/ },
  { actions: ['aps:GetLabels'], reason: 'signed HTTP: /api/v1/labels and /label/NAME/values', file: 'prometheus.ts', needs: /call\('labels'/ },
  {
    actions: [
      ...['DescribeSecurityGroups', 'DescribeSecurityGroupRules', 'DescribeNetworkAcls', 'DescribeRouteTables', 'DescribeSubnets', 'DescribeVpcs'].map((a) => `ec2:${a}`),
      ...['DescribeInternetGateways', 'DescribeNatGateways', 'DescribeVpcEndpoints', 'DescribeVpcPeeringConnections', 'DescribeVpnGateways'].map((a) => `ec2:${a}`),
      ...['DescribeTransitGateways', 'DescribeTransitGatewayAttachments', 'DescribeTransitGatewayRouteTables', 'GetTransitGatewayRouteTablePropagations', 'SearchTransitGatewayRoutes'].map((a) => `ec2:${a}`),
      ...['DescribePrefixLists', 'DescribeManagedPrefixLists', 'GetManagedPrefixListEntries'].map((a) => `ec2:${a}`),
      ...['DescribeListeners', 'DescribeLoadBalancers', 'DescribeLoadBalancerAttributes', 'DescribeRules', 'DescribeTags', 'DescribeTargetGroups', 'DescribeTargetHealth'].map((a) => `elasticloadbalancing:${a}`),
      ...['DescribeConnections', 'DescribeDirectConnectGateways', 'DescribeVirtualInterfaces'].map((a) => `directconnect:${a}`),
      'tiros:CreateQuery',
      'tiros:GetQueryAnswer',
      'tiros:GetQueryExplanation',
    ],
    reason: 'Reachability Analyzer reads the network with the caller’s permissions while an analysis runs (aws-apis.md §1.10)',
    file: 'reachability.ts',
    needs: /new StartNetworkInsightsAnalysisCommand\(/,
  },
  { actions: ['ec2:CreateTags'], reason: 'tag-on-create: TagSpecifications on CreateNetworkInsightsPath and StartNetworkInsightsAnalysis', file: 'reachability.ts', needs: /TagSpecifications:/ },
  { actions: ['fis:TagResource'], reason: 'tag-on-create: StartExperiment with tags (requester, approvers, request id)', file: 'fis.ts', needs: /tags: input\.tags/ },
];

/** Every SDK command src/aws constructs, as an IAM action: `new DescribeVpcsCommand(` from client-ec2 → ec2:DescribeVpcs. */
function actionsCalledBy(files: { name: string; text: string }[]): { action: string; file: string }[] {
  const out: { action: string; file: string }[] = [];
  for (const { name, text } of files) {
    for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'@aws-sdk\/client-([\w-]+)'/g)) {
      if (m[1]) continue; // type-only imports construct nothing
      const prefix = PREFIX[m[3]];
      for (const imported of m[2].split(',').map((s) => s.trim().replace(/^type\s+/, ''))) {
        if (!imported.endsWith('Command') || !text.includes(`new ${imported}(`)) continue;
        if (!prefix) throw new Error(`${name}: no IAM prefix known for @aws-sdk/client-${m[3]}; add it to PREFIX`);
        out.push({ action: `${prefix}:${imported.replace(/Command$/, '')}`, file: name });
      }
    }
    // Clients loaded on first use: `const stsSdk = lazy(() => require('@aws-sdk/client-sts') …)` then `new (stsSdk().AssumeRoleCommand)(`.
    for (const m of text.matchAll(/const\s+(\w+)\s*=\s*lazy\(\(\)\s*=>\s*require\('@aws-sdk\/client-([\w-]+)'\)/g)) {
      const prefix = PREFIX[m[2]];
      if (!prefix) throw new Error(`${name}: no IAM prefix known for @aws-sdk/client-${m[2]}; add it to PREFIX`);
      for (const c of text.matchAll(new RegExp(`new \\(${m[1]}\\(\\)\\.(\\w+)Command\\)\\(`, 'g'))) out.push({ action: `${prefix}:${c[1]}`, file: name });
    }
  }
  return out;
}

/** What the coverage rules find wrong: commands no policy grants, and grants no command or allow-list entry needs. */
function coverageProblems(called: string[], granted: string[], allowed: string[]): { notGranted: string[]; notCalled: string[]; staleAllowance: string[] } {
  return {
    notGranted: [...new Set(called.filter((a) => !granted.includes(a)))].sort(),
    notCalled: [...new Set(granted.filter((a) => !called.includes(a) && !allowed.includes(a)))].sort(),
    staleAllowance: allowed.filter((a) => !granted.includes(a)).sort(),
  };
}

const sources = fs
  .readdirSync(srcAws)
  .filter((f) => f.endsWith('.ts'))
  .map((name) => ({ name, text: fs.readFileSync(path.join(srcAws, name), 'utf8') }));
const called = actionsCalledBy(sources).map((c) => c.action);
const granted = policyFiles()
  .filter((f) => f !== 'trust-policy.json') // a trust policy grants nothing to Lookout; it names who may assume
  .flatMap((f) => actionsOf(loadPolicy(f)));
const allowed = ALLOWED_WITHOUT_A_COMMAND.flatMap((e) => e.actions);

describe('IAM policy coverage: every call is granted, every grant is called', () => {
  it('finds the SDK commands Lookout sends (the scan itself works)', () => {
    expect(called).toEqual(expect.arrayContaining(['ec2:CreateNetworkInsightsPath', 'fis:StartExperiment', 'aps:DescribeWorkspace', 'grafana:DescribeWorkspace', 'sts:AssumeRole']));
    expect(called.length).toBeGreaterThanOrEqual(20);
  });

  it('every SDK command in src/aws is allowed by some policy, and every granted action is called or allow-listed', () => {
    expect(coverageProblems(called, granted, allowed)).toEqual({ notGranted: [], notCalled: [], staleAllowance: [] });
  });

  it('each allow-list entry still points at the code that needs it', () => {
    for (const e of ALLOWED_WITHOUT_A_COMMAND) {
      const text = fs.readFileSync(path.join(srcAws, e.file), 'utf8');
      expect({ actions: e.actions, stillNeeded: e.needs.test(text) }).toEqual({ actions: e.actions, stillNeeded: true });
    }
  });

  it('fails both ways: a command without a grant, a grant without a command, an allowance granting nothing', () => {
    const code = "import { GetExperimentCommand, ListActionsCommand } from '@aws-sdk/client-fis';\nnew GetExperimentCommand({});\nnew ListActionsCommand({});";
    const calls = actionsCalledBy([{ name: 'x.ts', text: code }]).map((c) => c.action);
    expect(calls).toEqual(['fis:GetExperiment', 'fis:ListActions']);
    expect(coverageProblems(calls, ['fis:GetExperiment'], []).notGranted).toEqual(['fis:ListActions']);
    expect(coverageProblems(['fis:GetExperiment'], ['fis:GetExperiment', 'aps:GetMetricMetadata'], []).notCalled).toEqual(['aps:GetMetricMetadata']);
    expect(coverageProblems([], ['aps:QueryMetrics'], ['aps:QueryMetrics', 'fis:ListTagsForResource']).staleAllowance).toEqual(['fis:ListTagsForResource']);
  });

  it('docs/iam.md maps every granted action to a feature', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'iam.md'), 'utf8');
    const missing = [...new Set(granted)].filter((a) => !doc.includes(`\`${a}\``));
    expect(missing).toEqual([]);
  });
});
