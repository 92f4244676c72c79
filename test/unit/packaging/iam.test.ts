import { IAM_DIR, actionsOf, list, loadPolicy, policyFiles, statementsWith } from './iam-files';

describe('IAM policies we ship (deploy/iam)', () => {
  it('ships the runtime, query and chaos policies and the trust policy', () => {
    expect(policyFiles()).toEqual(['lookout-chaos.json', 'lookout-query.json', 'lookout-runtime.json', 'trust-policy.json']);
    expect(IAM_DIR).toMatch(/deploy[/\\]iam$/);
  });

  it("lookout-runtime only assumes the accounts' lookout roles, as the person (SourceIdentity)", () => {
    const p = loadPolicy('lookout-runtime.json');
    expect(actionsOf(p).sort()).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession']);
    for (const s of p.Statement) expect(list(s.Resource)).toEqual(['arn:aws:iam::*:role/lookout']);
  });

  it('lookout-query reads, creates only tagged reachability paths, and can neither start nor stop experiments', () => {
    const p = loadPolicy('lookout-query.json');
    const a = actionsOf(p);
    expect(a).toEqual(expect.arrayContaining(['ec2:CreateNetworkInsightsPath', 'ec2:StartNetworkInsightsAnalysis', 'fis:GetExperiment', 'aps:QueryMetrics', 'grafana:CreateWorkspaceServiceAccountToken', 'grafana:DeleteWorkspaceServiceAccountToken']));
    expect(a.filter((x) => /^fis:(Start|Stop|Tag)/.test(x))).toEqual([]);
    const [create] = statementsWith(p, 'ec2:CreateNetworkInsightsPath');
    expect(create.Condition).toEqual({ StringEquals: { 'aws:RequestTag/lookout:managed': 'true' } });
    const [tag] = statementsWith(p, 'ec2:CreateTags');
    expect(tag.Condition?.StringEquals).toMatchObject({ 'aws:RequestTag/lookout:managed': 'true', 'ec2:CreateAction': ['CreateNetworkInsightsPath', 'StartNetworkInsightsAnalysis'] });
  });

  it('lookout-query mints and deletes Grafana tokens only on the one Managed Grafana workspace it names', () => {
    const p = loadPolicy('lookout-query.json');
    const grafana = p.Statement.filter((s) => list(s.Action).some((a) => a.startsWith('grafana:')));
    expect(grafana.map((s) => s.Resource)).toEqual(['arn:aws:grafana:*:*:/workspaces/GRAFANA_WORKSPACE_ID']);
  });

  it('deletes only what Lookout created: both deletes need the lookout:managed tag on the resource', () => {
    const p = loadPolicy('lookout-query.json');
    for (const action of ['ec2:DeleteNetworkInsightsPath', 'ec2:DeleteNetworkInsightsAnalysis']) {
      const found = statementsWith(p, action);
      expect({ action, statements: found.length }).toEqual({ action, statements: 1 });
      expect({ action, condition: found[0].Condition }).toEqual({ action, condition: { StringEquals: { 'aws:ResourceTag/lookout:managed': 'true' } } });
    }
  });

  it('lookout-chaos: only starting is held to the template tag; the experiment side, tagging and stopping are not', () => {
    const p = loadPolicy('lookout-chaos.json');
    expect([...new Set(actionsOf(p))].sort()).toEqual(['fis:StartExperiment', 'fis:StopExperiment', 'fis:TagResource']);
    const conditioned = p.Statement.filter((s) => s.Condition);
    expect(conditioned).toHaveLength(1);
    expect(conditioned[0]).toMatchObject({
      Action: ['fis:StartExperiment'],
      Resource: 'arn:aws:fis:*:*:experiment-template/*',
      Condition: { StringEquals: { 'aws:ResourceTag/lookout:allowed': 'true' } },
    });
    const start = statementsWith(p, 'fis:StartExperiment').flatMap((s) => list(s.Resource));
    expect(start.sort()).toEqual(['arn:aws:fis:*:*:experiment-template/*', 'arn:aws:fis:*:*:experiment/*']);
    // Stopping is never harder than starting: no condition, every experiment.
    expect(statementsWith(p, 'fis:StopExperiment')).toEqual([expect.objectContaining({ Resource: 'arn:aws:fis:*:*:experiment/*' })]);
    expect(statementsWith(p, 'fis:StopExperiment')[0].Condition).toBeUndefined();
  });

  it('no policy grants a whole service or every action', () => {
    for (const name of policyFiles()) {
      for (const a of actionsOf(loadPolicy(name))) expect({ name, a, wildcard: a.includes('*') }).toEqual({ name, a, wildcard: false });
    }
  });

  it('the trust policy lets only Lookout’s role in, and only with a slack-* SourceIdentity', () => {
    const p = loadPolicy('trust-policy.json');
    expect(p.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::LOOKOUT_ACCOUNT_ID:role/lookout-runtime' },
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        Condition: { StringLike: { 'sts:SourceIdentity': 'slack-*' } },
      }),
    ]);
  });
});
