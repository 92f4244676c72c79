import {
  approvalRefusal,
  checkApprovers,
  checkRunPolicy,
  describeFreeze,
  effectiveMinApprovals,
  runPolicyProblems,
  type RunPolicyInput,
} from '../../../src/chaos/run-policy';
import type { Template } from '../../../src/chaos/model';

const template: Template = {
  id: 'EXT1',
  name: 'cpu-stress-web',
  tags: { Name: 'cpu-stress-web', 'lookout:allowed': 'true' },
  targets: [],
  actions: [],
  stopConditions: [{ source: 'aws:cloudwatch:alarm', value: 'arn:alarm' }],
};

const ok: RunPolicyInput = {
  template,
  requesterId: 'U0CAROL',
  approvers: ['U0ALICE'],
  minApprovals: 1,
  allowSelfApproval: false,
  freeze: null,
  timezone: 'Europe/Berlin',
  requireStopConditions: true,
  maxRunning: 1,
  running: [],
  templateTag: { key: 'lookout:allowed', value: 'true' },
};

describe('checkRunPolicy', () => {
  it('allows a compliant request', () => {
    expect(checkRunPolicy(ok)).toBeNull();
  });

  it.each<[string, Partial<RunPolicyInput>, RegExp]>([
    ['no approvers', { approvers: [] }, /No one may approve/],
    ['only the requester can approve', { approvers: ['U0CAROL'] }, /needs 1 approval, but only 0 people other than you/],
    ['quorum larger than the approvers', { approvers: ['U0ALICE', 'U0BOB'], minApprovals: 3 }, /needs 3 approvals, but only 2 people/],
    ['template lacks the tag', { template: { ...template, tags: {} } }, /lacks the tag `lookout:allowed=true`/],
    ['freeze window', { freeze: { from: '2026-12-20', to: '2027-01-03', reason: 'Holiday freeze' } }, /frozen right now: Holiday freeze \(2026-12-20 to 2027-01-03, Europe\/Berlin\)/],
    ['no stop conditions', { template: { ...template, stopConditions: [{ source: 'none' }] } }, /has no stop conditions/],
    ['max running reached', { running: [{ id: 'EXPa', templateId: 'EXT9', status: 'running', tags: {} }] }, /1 experiment is already running in this account \(`EXPa`\); at most 1/],
  ])('refuses: %s', (_name, change, message) => {
    const err = checkRunPolicy({ ...ok, ...change });
    expect(err?.code).toBe('forbidden');
    expect(err?.message).toMatch(message);
    expect(err?.hint).toBeTruthy();
  });

  it('lets user groups stand in for an unknown head count', () => {
    expect(checkApprovers({ approvers: ['S0SRE'], minApprovals: 5, requesterId: 'U0CAROL', allowSelfApproval: false })).toBeNull();
  });

  it('counts the requester when self-approval is allowed', () => {
    expect(checkApprovers({ approvers: ['U0CAROL'], minApprovals: 1, requesterId: 'U0CAROL', allowSelfApproval: true })).toBeNull();
  });

  it('does not require stop conditions or tags when not configured', () => {
    const lax = { ...ok, requireStopConditions: false, templateTag: undefined, template: { ...template, tags: {}, stopConditions: [] } };
    expect(checkRunPolicy(lax)).toBeNull();
  });

  it('lists every problem at once, in fixing order', () => {
    const all = runPolicyProblems({ ...ok, approvers: [], template: { ...template, tags: {}, stopConditions: [] }, running: ok.running.concat({ id: 'E', templateId: 'T', status: 'running', tags: {} }) });
    expect(all.map((e) => e.message.slice(0, 12))).toEqual(['No one may a', 'Template `cp', 'Template `cp', '1 experiment']);
  });

  it('escapes a freeze reason from the configuration', () => {
    expect(describeFreeze({ days: ['sat', 'sun'], reason: '<!here> weekend' }, 'UTC')).toBe('&lt;!here&gt; weekend (on sat, sun, UTC)');
    expect(describeFreeze({ days: ['sat'] }, 'UTC')).toBe('freeze window on sat, UTC');
  });

  it.each([
    [undefined, 1],
    [0, 1],
    [-3, 1],
    [2, 2],
    [2.7, 2],
    [Number.NaN, 1],
  ])('effectiveMinApprovals(%p) = %p', (n, want) => {
    expect(effectiveMinApprovals(n as number | undefined)).toBe(want);
  });
});

describe('approvalRefusal', () => {
  const base = { requesterId: 'U0CAROL', approvers: ['U0ALICE', 'S0SRE'], allowSelfApproval: false, approverGroups: [] as string[] };
  it('accepts listed users and members of listed groups', () => {
    expect(approvalRefusal({ ...base, userId: 'U0ALICE' })).toBeNull();
    expect(approvalRefusal({ ...base, userId: 'U0DAVE', approverGroups: ['S0SRE'] })).toBeNull();
  });
  it('refuses others, naming the approvers as mentions', () => {
    expect(approvalRefusal({ ...base, userId: 'U0MALLORY' })?.message).toContain('<@U0ALICE>, <!subteam^S0SRE>');
  });
  it('refuses the requester unless self-approval is allowed', () => {
    const self = { ...base, userId: 'U0CAROL', approvers: ['U0CAROL'] };
    expect(approvalRefusal(self)?.code).toBe('forbidden');
    expect(approvalRefusal({ ...self, allowSelfApproval: true })).toBeNull();
  });
});
