import type { ChaosRequest, ExperimentChange, ExperimentReport } from '../../../src/chaos/model';
import { renderChangeLines, renderReminder, renderRequesterNotice } from '../../../src/views/chaos-thread';
import { renderSummary } from '../../helpers/views';
import { blockKitProblems, liveTokens } from '../chaos/view-limits';

const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);
const EVIL = '<!channel> <https://evil.example|click>';

const changes: ExperimentChange[] = [
  { kind: 'status', from: 'initiating', to: 'running', at: T0 },
  { kind: 'action', action: 'stress-cpu', actionId: 'aws:ssm:send-command', from: 'pending', to: 'running', at: T0 },
  { kind: 'action', action: 'stress-mem', actionId: 'aws:ssm:send-command', to: 'pending', at: T0 },
];

const report: ExperimentReport = {
  experimentId: 'EXP1',
  requestId: 'chq-1',
  templateId: 'EXT1',
  templateName: 'cpu-stress-web',
  status: 'completed',
  reason: 'Experiment completed.',
  startedAt: T0,
  endedAt: T0 + 180_000,
  durationMs: 180_000,
  actions: [
    { name: 'stress-cpu', actionId: 'aws:ssm:send-command', status: 'completed', startedAt: T0, endedAt: T0 + 120_000, parameters: {} },
    { name: 'stress-mem', actionId: 'aws:ssm:send-command', status: 'completed', startedAt: T0 + 120_000, endedAt: T0 + 180_000, parameters: {} },
  ],
  resolvedTargets: [{ targetName: 'web', resourceType: 'aws:ec2:instance', info: { arn: 'arn:aws:ec2:us-east-1:1:instance/i-1', name: 'web-1' } }],
};

const request = (o: Partial<ChaosRequest>): ChaosRequest => ({
  id: 'chq-1',
  state: 'pending',
  version: 3,
  teamId: 'T0',
  channelId: 'C0',
  requesterId: 'U0CAROL',
  account: { name: 'prod', region: 'us-east-1' },
  template: { id: 'EXT1', name: 'cpu-stress-web', tags: {}, targets: [], actions: [], stopConditions: [] },
  preview: { status: 'unavailable', reason: 'off' },
  approvers: ['U0ALICE', 'S0SRE'],
  minApprovals: 2,
  allowSelfApproval: false,
  approvals: [{ userId: 'U0ALICE', at: T0 }],
  createdAt: T0,
  expiresAt: T0 + 1_800_000,
  ...o,
});

describe('thread messages', () => {
  it('change lines', () => {
    const m = renderChangeLines('EXP1', changes);
    expect(blockKitProblems(m)).toEqual([]);
    expect(m).toMatchSnapshot();
  });

  it('summary of a completed experiment, with resolved resources', () => {
    const m = renderSummary(report);
    expect(blockKitProblems(m)).toEqual([]);
    expect(m).toMatchSnapshot();
  });

  it('summary of a stopped experiment says who stopped it; a failed one shows the FIS reason and code', () => {
    expect(JSON.stringify(renderSummary({ ...report, status: 'stopped', stoppedBy: 'U0BOB', reason: undefined }))).toContain('stopped* by <@U0BOB> in 3 min');
    const failed = JSON.stringify(renderSummary({ ...report, status: 'failed', reason: 'Action stress-cpu failed', errorCode: 'AccessDenied' }));
    expect(failed).toContain('*FIS says:* Action stress-cpu failed (`AccessDenied`)');
  });

  it('says when the resolved targets could not be listed', () => {
    expect(JSON.stringify(renderSummary({ ...report, resolvedTargets: null }))).toContain('did not list the resolved targets');
    const cli = JSON.stringify(renderSummary(report, { region: 'eu-west-1' }).blocks);
    expect(cli).toContain(`aws fis get-experiment --region eu-west-1 --id ${report.experimentId}`);
    expect(cli).toContain(`aws fis list-experiment-resolved-targets --region eu-west-1 --experiment-id ${report.experimentId}`);
    expect(cli).toContain('cloudshell/home?region=eu-west-1');
  });

  it('stays within limits with hundreds of resolved targets, and escapes FIS text', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ targetName: EVIL, resourceType: 'aws:ec2:instance', info: { arn: `arn:${'x'.repeat(200)}:${i}`, [EVIL]: EVIL } }));
    const m = renderSummary({ ...report, reason: EVIL.repeat(100), resolvedTargets: many, actions: Array(40).fill({ ...report.actions[0], reason: EVIL }) });
    expect(blockKitProblems(m)).toEqual([]);
    expect(liveTokens(m).filter((t) => /channel|evil/.test(t))).toEqual([]);
    const lines = renderChangeLines('EXP1', Array(100).fill({ ...changes[1], reason: EVIL }));
    expect(blockKitProblems(lines)).toEqual([]);
    expect(liveTokens(lines).filter((t) => /channel|evil/.test(t))).toEqual([]);
  });

  it('reminder mentions the approvers again and says how many approvals are missing', () => {
    const m = renderReminder(request({}));
    expect(m).toMatchSnapshot();
    expect(liveTokens(m)).toEqual(expect.arrayContaining(['@U0ALICE', '!subteam^S0SRE']));
  });

  it.each([
    ['running', { state: 'running', experimentId: 'EXP1' }, /approved by <@U0ALICE>; experiment `EXP1` has started/],
    ['denied', { state: 'denied', deniedBy: { userId: 'U0BOB', at: T0 } }, /denied by <@U0BOB>/],
    ['expired', { state: 'expired' }, /expired with 1 of 2 approvals/],
    ['failed', { state: 'failed', error: { code: 'quota', message: 'An FIS quota was reached.' } }, /could not start: An FIS quota was reached\./],
    ['done', { state: 'done', experimentId: 'EXP1', experiment: { id: 'EXP1', templateId: 'EXT1', status: 'stopped', tags: {}, actions: [] } }, /ended: stopped/],
  ] as [string, Partial<ChaosRequest>, RegExp][])('tells the requester: %s', (_n, o, re) => {
    expect(renderRequesterNotice(request(o)).text).toMatch(re);
  });
});
