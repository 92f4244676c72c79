/** Why a path is not reachable: each explanation in plain words, the blocking component, and a fix. */
import type { ExplainedIssue, FixHint } from '../reach/model';
import { componentLabel, componentWithLink } from './reach-console';
import { aclRuleText, portText } from './reach-hops';
import { code, escapeText, truncate } from './text';

const MAX_RAW_COMPONENTS = 6;

export function fixText(fix: FixHint): string {
  switch (fix.kind) {
    case 'sg-rule': {
      const what = `${fix.protocol}/${fix.port ?? 'all ports'}`;
      const inbound = fix.direction === 'inbound';
      const peer = fix.peer ? code(fix.peer) : inbound ? 'the source' : 'the destination';
      return `add an ${fix.direction} rule to ${componentLabel(fix.group)} allowing ${what} ${inbound ? 'from' : 'to'} ${peer}`;
    }
    case 'nacl-rule': {
      const what = `${fix.protocol}/${fix.port ?? 'all ports'}`;
      const peer = fix.cidr ? code(fix.cidr) : fix.direction === 'inbound' ? 'the source' : 'the destination';
      return (
        `add an ${fix.direction} allow rule to ${componentLabel(fix.acl)} for ${what} ${fix.direction === 'inbound' ? 'from' : 'to'} ${peer}, ` +
        'numbered below the rule that denies it (network ACLs are stateless: allow the replies on ports 1024–65535 too)'
      );
    }
    case 'route':
      return `add a route for ${code(fix.destination)} to ${componentLabel(fix.routeTable)} (through a gateway, peering connection or transit gateway)`;
    case 'advice':
      return escapeText(fix.text);
  }
}

function details(issue: ExplainedIssue): string[] {
  const ex = issue.explanation;
  const lines: string[] = [];
  if (ex.aclRule) lines.push(`Matching NACL ${escapeText(aclRuleText(ex.aclRule))}`);
  if (ex.securityGroups && ex.securityGroups.length > 1) lines.push(`Security groups checked: ${ex.securityGroups.map(componentLabel).join(', ')}`);
  if (ex.route) lines.push(`Route ${code(`${ex.route.destination ?? '?'} → ${ex.route.target ?? '?'}`)}${ex.route.state ? ` (${escapeText(ex.route.state)})` : ''}`);
  const facts: string[] = [];
  if (ex.packetField) facts.push(`field ${code(ex.packetField)}`);
  if (ex.port !== undefined) facts.push(`port ${ex.port}`);
  if (ex.portRanges?.length) facts.push(`ports ${ex.portRanges.map(portText).join(', ')}`);
  if (ex.protocols?.length) facts.push(`protocols ${escapeText(ex.protocols.join(', '))}`);
  if (ex.addresses?.length) facts.push(`addresses ${ex.addresses.slice(0, 5).map(code).join(', ')}`);
  if (ex.cidrs?.length) facts.push(`CIDRs ${ex.cidrs.slice(0, 5).map(code).join(', ')}`);
  if (ex.state) facts.push(`state ${code(ex.state)}`);
  if (ex.missingComponent) facts.push(`missing ${code(ex.missingComponent)}`);
  if (facts.length) lines.push(facts.join(' · '));
  return lines;
}

/** Unknown codes: show every component AWS attached, by role, so there is still something to go on. */
function rawComponents(issue: ExplainedIssue, region: string): string {
  const entries = Object.entries(issue.explanation.components);
  const groups = (issue.explanation.securityGroups ?? []).map((g) => ['securityGroups', g] as const);
  const all = [...entries, ...groups];
  if (!all.length) return 'AWS named no component.';
  const shown = all.slice(0, MAX_RAW_COMPONENTS).map(([role, c]) => `${escapeText(role)}: ${componentWithLink(c, region)}`);
  const more = all.length > MAX_RAW_COMPONENTS ? ` and ${all.length - MAX_RAW_COMPONENTS} more` : '';
  return `Components: ${shown.join(', ')}${more}`;
}

/** One issue as mrkdwn (fits well inside a section; the caller packs several per section). */
export function issueText(issue: ExplainedIssue, n: number, region: string): string {
  const dir = issue.explanation.direction ? `, ${issue.explanation.direction === 'ingress' ? 'inbound' : 'outbound'}` : '';
  const title = issue.meaning ? escapeText(issue.meaning) : 'An explanation Lookout does not know yet.';
  const lines = [`*${n}. ${title}* (${code(issue.code)}${dir})`];
  if (issue.group === 'unknown') lines.push(rawComponents(issue, region));
  else if (issue.blocking) lines.push(`Blocked at ${componentWithLink(issue.blocking, region)}`);
  lines.push(...details(issue));
  if (issue.fix) lines.push(`*Fix:* ${fixText(issue.fix)}`);
  return truncate(lines.join('\n'), 1200);
}
