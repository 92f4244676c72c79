/** Turns a finished analysis into the domain outcome the views render: hops, or explained issues with fixes. */
import type { AnalysisOutcome, ComponentRef, Explanation, ExplainedIssue, Hop, Analysis, ReachQuestion } from './model';
import { ADDITIONAL_DETAILS, describeExplanation } from './explanations';
import { buildFixHint } from './fix-hints';

/** Only for analyses whose status is 'succeeded': `pathFound` means nothing on a failed one. */
export function interpretAnalysis(analysis: Analysis, question: ReachQuestion): AnalysisOutcome {
  const notes = collectNotes(analysis);
  const warning = analysis.warningMessage ? { warning: analysis.warningMessage } : {};
  if (analysis.pathFound) {
    return { reachable: true, hops: analysis.forward, returnHops: analysis.returnPath, notes, ...warning };
  }
  const explanations = dedupe([...analysis.explanations, ...analysis.forward.flatMap((h) => h.explanations ?? [])]);
  const issues = explanations.map((ex) => explainIssue(ex, { question, hops: analysis.forward }));
  return { reachable: false, hops: analysis.forward, issues, notes, ...warning };
}

export function explainIssue(ex: Explanation, ctx: { question: ReachQuestion; hops: Hop[] }): ExplainedIssue {
  const info = describeExplanation(ex.code);
  const issue: ExplainedIssue = { code: ex.code, group: info?.group ?? 'unknown', explanation: ex };
  if (info) issue.meaning = info.meaning;
  const blocking = blockingComponent(ex);
  if (blocking) issue.blocking = blocking;
  const fix = buildFixHint(ex, ctx);
  if (fix) issue.fix = fix;
  return issue;
}

/** Most specific first: the rule-bearing component is what someone has to change. */
const BLOCKING_ORDER = [
  'securityGroup',
  'acl',
  'routeTable',
  'subnetRouteTable',
  'ingressRouteTable',
  'internetGateway',
  'natGateway',
  'vpcPeeringConnection',
  'transitGatewayRouteTable',
  'transitGatewayAttachment',
  'transitGateway',
  'vpcEndpoint',
  'vpnConnection',
  'vpnGateway',
  'customerGateway',
  'prefixList',
  'loadBalancerTargetGroup',
  'elasticLoadBalancerListener',
  'component',
  'networkInterface',
  'attachedTo',
  'destination',
  'subnet',
  'vpc',
  'sourceVpc',
  'destinationVpc',
];

function blockingComponent(ex: Explanation): ComponentRef | undefined {
  if (!ex.components.securityGroup && ex.securityGroups?.length) return ex.securityGroups[0];
  for (const role of BLOCKING_ORDER) if (ex.components[role]) return ex.components[role];
  return Object.values(ex.components)[0];
}

function dedupe(list: Explanation[]): Explanation[] {
  const seen = new Set<string>();
  return list.filter((ex) => {
    const key = JSON.stringify(ex);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function collectNotes(analysis: Analysis): string[] {
  const codes = new Set([...analysis.forward, ...analysis.returnPath].flatMap((h) => h.details ?? []));
  return [...codes].map((c) => ADDITIONAL_DETAILS[c] ?? c);
}
