import fs from 'node:fs';
import path from 'node:path';

const dir = path.join(__dirname, '..', '..', '..', 'iam');
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { Statement: { Action: string | string[]; Resource: string | string[]; Condition?: unknown }[] };
const actions = (p: ReturnType<typeof load>) => p.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('IAM policies we ship', () => {
  it('lookout-query reads, creates only tagged reachability paths, and can neither start nor stop experiments', () => {
    const p = load('lookout-query.json');
    const a = actions(p);
    expect(a).toEqual(expect.arrayContaining(['ec2:CreateNetworkInsightsPath', 'ec2:StartNetworkInsightsAnalysis', 'fis:GetExperiment', 'aps:QueryMetrics', 'grafana:CreateWorkspaceServiceAccountToken', 'grafana:DeleteWorkspaceServiceAccountToken']));
    expect(a).not.toEqual(expect.arrayContaining(['fis:StartExperiment']));
    expect(a).not.toEqual(expect.arrayContaining(['fis:StopExperiment']));
    const create = p.Statement.find((s) => ([] as string[]).concat(s.Action).includes('ec2:CreateNetworkInsightsPath'));
    expect(JSON.stringify(create?.Condition)).toContain('aws:RequestTag/lookout:managed');
    const del = p.Statement.find((s) => ([] as string[]).concat(s.Action).includes('ec2:DeleteNetworkInsightsPath'));
    expect(JSON.stringify(del?.Condition)).toContain('aws:ResourceTag/lookout:managed');
  });

  it('lookout-chaos adds only starting, tagging and stopping experiments', () => {
    expect(actions(load('lookout-chaos.json')).sort()).toEqual(['fis:StartExperiment', 'fis:StopExperiment', 'fis:TagResource']);
  });

  it('no policy grants a whole service or every action', () => {
    for (const name of fs.readdirSync(dir)) {
      for (const a of actions(load(name))) expect({ name, a, wildcard: /(^\*$|:\*$)/.test(a) }).toEqual({ name, a, wildcard: false });
    }
  });

  it('the trust policy lets Lookout set the person as SourceIdentity', () => {
    expect(actions(load('trust-policy.json'))).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity']);
  });
});
