/** "Run it yourself" for a reachability answer: the AWS CLI calls of aws-apis.md §5 for this very path. */
import type { ReachQuestion } from '../reach/model';

/** Only ids, ARNs, IPs, regions and numbers reach the shell line, and nothing else: no quoting games. */
const safe = (s: string) => (/^[A-Za-z0-9:/._-]+$/.test(s) ? s : "'invalid'");

export function reachCliCommands(q: ReachQuestion, pathId: string, analysisId?: string): string[] {
  const r = `--region ${safe(q.region)}`;
  const create = [`aws ec2 create-network-insights-path ${r} --source ${safe(q.source.id ?? q.source.input)}`];
  if (q.destination.id) create.push(`--destination ${safe(q.destination.id)}`);
  if (q.destination.ip) create.push(`--destination-ip ${safe(q.destination.ip)}`);
  create.push(`--protocol ${q.protocol}`);
  if (q.port !== undefined) create.push(`--destination-port ${q.port}`);
  const lines = [
    `aws ec2 describe-network-insights-paths ${r} --network-insights-path-ids ${safe(pathId)}`,
    `aws ec2 start-network-insights-analysis ${r} --network-insights-path-id ${safe(pathId)}`,
  ];
  if (analysisId) {
    lines.push(
      `aws ec2 describe-network-insights-analyses ${r} --network-insights-analysis-ids ${safe(analysisId)} ` +
        `--query 'NetworkInsightsAnalyses[0].{Status:Status,Found:NetworkPathFound,Codes:Explanations[].ExplanationCode,Msg:StatusMessage}'`,
    );
  }
  lines.push('# or build the same path yourself:', create.join(' '));
  return lines;
}
