import type { ChaosRequest, Experiment, Template } from '../../../src/chaos/model';
import { CHAOS_ACTIONS } from '../../../src/views/chaos-actions';
import { cardState, renderApprovalCard } from '../../../src/views/chaos-card';
import { blockKitProblems, liveTokens } from '../chaos/view-limits';

const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);
const template: Template = {
  id: 'EXTcpu0001',
  name: 'cpu-stress-web',
  description: 'CPU stress on web',
  tags: { Name: 'cpu-stress-web' },
  roleArn: 'arn:aws:iam::111111111111:role/fis',
  targets: [
    { name: 'web', resourceType: 'aws:ec2:instance', resourceArns: [], resourceTags: { Role: 'web' }, filters: [{ path: 'State.Name', values: ['running'] }], selectionMode: 'COUNT(2)', parameters: {} },
  ],
  actions: [
    { name: 'stress-cpu', actionId: 'aws:ssm:send-command', parameters: { duration: 'PT2M' }, targets: { Instances: 'web' }, startAfter: [] },
    { name: 'stress-mem', actionId: 'aws:ssm:send-command', parameters: { duration: 'PT1M' }, targets: { Instances: 'web' }, startAfter: ['stress-cpu'] },
  ],
  stopConditions: [{ source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:web-5xx' }],
};

function request(o: Partial<ChaosRequest> = {}): ChaosRequest {
  return {
    id: 'chq-0123456789abcdef',
    state: 'pending',
    version: 1,
    teamId: 'T0TEAM',
    channelId: 'C0CHAOS',
    requesterId: 'U0CAROL',
    reason: 'Game day: check autoscaling',
    account: { name: 'prod', id: '111111111111', region: 'us-east-1' },
    template,
    preview: {
      status: 'verified',
      experimentId: 'EXPpreview1',
      at: T0,
      targets: [
        { targetName: 'web', resourceType: 'aws:ec2:instance', info: { arn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-01', name: 'web-1' } },
        { targetName: 'web', resourceType: 'aws:ec2:instance', info: { arn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-02' } },
      ],
    },
    approvers: ['U0ALICE', 'S0SRELEADS'],
    minApprovals: 2,
    allowSelfApproval: false,
    approvals: [],
    createdAt: T0,
    expiresAt: T0 + 30 * 60_000,
    ...o,
  };
}

const experiment = (status: Experiment['status'], actions: [string, Experiment['actions'][number]['status']][], o: Partial<Experiment> = {}): Experiment => ({
  id: 'EXPreal0001',
  templateId: template.id,
  status,
  tags: {},
  startedAt: T0 + 60_000,
  actions: actions.map(([name, s]) => ({ name, actionId: 'aws:ssm:send-command', status: s, parameters: {} })),
  ...o,
});

const approvals = [{ userId: 'U0ALICE', at: T0 + 1000 }];
const STATES: [string, ChaosRequest, number][] = [
  ['pending', request(), T0],
  ['approved-partially', request({ approvals }), T0],
  ['starting', request({ state: 'starting', approvals: [...approvals, { userId: 'U0DAVE', at: T0 + 2000 }] }), T0],
  ['running', request({ state: 'running', experimentId: 'EXPreal0001', experiment: experiment('running', [['stress-cpu', 'running'], ['stress-mem', 'pending']]) }), T0],
  ['completed', request({ state: 'done', experimentId: 'EXPreal0001', experiment: experiment('completed', [['stress-cpu', 'completed'], ['stress-mem', 'completed']], { endedAt: T0 + 240_000, reason: 'Experiment completed.' }) }), T0],
  ['stopped', request({ state: 'done', experimentId: 'EXPreal0001', stoppedBy: 'U0BOB', experiment: experiment('stopped', [['stress-cpu', 'stopped'], ['stress-mem', 'cancelled']], { endedAt: T0 + 90_000 }) }), T0],
  ['failed', request({ state: 'done', experimentId: 'EXPreal0001', experiment: experiment('failed', [['stress-cpu', 'failed']], { reason: 'Action stress-cpu failed' }) }), T0],
  ['start failed', request({ state: 'failed', error: { code: 'quota', message: 'An FIS quota was reached.' } }), T0],
  ['denied', request({ state: 'denied', deniedBy: { userId: 'U0ALICE', at: T0 + 5000 } }), T0],
  ['expired', request({ state: 'expired' }), T0 + 31 * 60_000],
];

describe('renderApprovalCard', () => {
  it.each(STATES)('%s', (_name, r, now) => {
    const m = renderApprovalCard(r, now);
    expect(blockKitProblems(m)).toEqual([]);
    expect(m).toMatchSnapshot();
  });

  it('maps requests to the card states', () => {
    expect(STATES.map(([, r, now]) => cardState(r, now))).toEqual([
      'pending',
      'approved-partially',
      'starting',
      'running',
      'completed',
      'stopped',
      'failed',
      'failed',
      'denied',
      'expired',
    ]);
  });

  it('shows Approve and Deny with confirmation dialogs and the request id while pending', () => {
    const m = renderApprovalCard(request(), T0);
    const actions = m.blocks.find((b) => b.type === 'actions') as any;
    expect(actions.elements.map((e: any) => [e.action_id, e.value, e.style, !!e.confirm])).toEqual([
      [CHAOS_ACTIONS.approve, 'chq-0123456789abcdef', 'primary', true],
      [CHAOS_ACTIONS.deny, 'chq-0123456789abcdef', 'danger', true],
    ]);
  });

  it('mentions approvers (users and user groups) so they are notified', () => {
    const m = renderApprovalCard(request(), T0);
    expect(liveTokens(m)).toEqual(expect.arrayContaining(['@U0ALICE', '!subteam^S0SRELEADS', '@U0CAROL']));
    expect(m.text).toContain('<!subteam^S0SRELEADS>');
  });

  it('shows only a Stop button while running, and no buttons once closed', () => {
    const buttonsOf = (r: ChaosRequest, now = T0) => (renderApprovalCard(r, now).blocks.filter((b) => b.type === 'actions') as any[]).flatMap((b) => b.elements.map((e: any) => e.action_id));
    expect(buttonsOf(STATES[3][1])).toEqual([CHAOS_ACTIONS.stop]);
    for (const [name, r, now] of STATES.filter(([n]) => !['pending', 'approved-partially', 'running'].includes(n))) {
      expect([name, buttonsOf(r, now)]).toEqual([name, []]);
    }
  });

  it('shows a halt in force on a card waiting for approval (Approve kept: the click is refused then), and not once it is closed', () => {
    const halt = { by: 'U0ALICE', at: T0 - 60_000, reason: 'incident <42>' };
    for (const [name, r, now] of STATES.filter(([n]) => ['pending', 'approved-partially'].includes(n))) {
      const m = renderApprovalCard(r, now, { halt });
      const text = JSON.stringify(m.blocks);
      expect([name, text]).toEqual([name, expect.stringContaining('Chaos experiments are *halted* by <@U0ALICE>')]);
      expect(text).toContain('incident &lt;42&gt;');
      expect(text).toContain('Approving this request while the halt lasts refuses it.');
      expect(m.blocks.some((b) => b.type === 'actions' && JSON.stringify(b).includes(CHAOS_ACTIONS.approve))).toBe(true);
    }
    for (const [name, r, now] of STATES.filter(([n]) => !['pending', 'approved-partially'].includes(n))) {
      expect([name, JSON.stringify(renderApprovalCard(r, now, { halt }).blocks)]).toEqual([name, expect.not.stringContaining('halted')]);
    }
    expect(JSON.stringify(renderApprovalCard(request(), T0, { halt: null }).blocks)).not.toContain('halted');
  });

  it('removes the buttons of a pending request whose time is up even before the sweep', () => {
    const m = renderApprovalCard(request(), T0 + 30 * 60_000);
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(m)).toContain('Expired');
  });

  it('warns loudly without stop conditions, and says "preview unavailable" without a verified dry run', () => {
    const r = request({ template: { ...template, stopConditions: [{ source: 'none' }] }, preview: { status: 'unavailable', reason: 'dry-run previews are turned off' } });
    const json = JSON.stringify(renderApprovalCard(r, T0));
    expect(json).toContain(':warning: *No stop conditions.*');
    expect(json).toContain('preview unavailable — dry-run previews are turned off');
    expect(json).not.toContain('i-01');
  });

  it('escapes hostile text from the requester and from AWS', () => {
    const evil = '<!channel> <@U0BOSS> <https://evil.example|click me> & more';
    const r = request({
      reason: evil,
      template: { ...template, name: evil, description: evil, actions: [{ ...template.actions[0], name: evil }], targets: [{ ...template.targets[0], resourceTags: { [evil]: evil } }] },
      preview: { status: 'verified', experimentId: 'EXP1', at: T0, targets: [{ targetName: evil, resourceType: 'x', info: { name: evil } }] },
    });
    const m = renderApprovalCard(r, T0);
    const live = liveTokens(m);
    expect(live.filter((t) => /channel|BOSS|evil/.test(t))).toEqual([]);
    expect(JSON.stringify(m)).toContain('&lt;!channel&gt;');
    expect(blockKitProblems(m)).toEqual([]);
  });

  it('stays within Block Kit limits with a huge template and a long reason', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ ...template.actions[0], name: `action-${i}-${'x'.repeat(200)}`, startAfter: [`action-${i - 1}`] }));
    const targets = Array.from({ length: 20 }, (_, i) => ({ ...template.targets[0], name: `t${i}`, resourceTags: Object.fromEntries(Array.from({ length: 50 }, (_, k) => [`k${k}`, 'v'.repeat(100)])) }));
    const r = request({
      reason: 'r'.repeat(500),
      template: { ...template, description: 'd'.repeat(512), actions: many, targets },
      preview: { status: 'verified', experimentId: 'EXP1', at: T0, targets: Array.from({ length: 300 }, (_, i) => ({ targetName: 't', resourceType: 'aws:ec2:instance', info: { arn: `arn:${'a'.repeat(100)}:${i}` } })) },
      approvers: Array.from({ length: 40 }, (_, i) => `U0APPROVER${i}`),
      approvals: Array.from({ length: 39 }, (_, i) => ({ userId: `U0APPROVER${i}`, at: T0 })),
      minApprovals: 40,
    });
    expect(blockKitProblems(renderApprovalCard(r, T0))).toEqual([]);
  });
});
