import { allowedVerbs } from '../../../src/policy/permissions';
import { runVerbRefusal, runVerbs } from '../../../src/policy/chaos-run';
import { configFrom } from './config';

const config = configFrom(`
channels:
  C1: { allow: ["chaos:run"], approvers: [U9] }
  C2: { allow: ["chaos:run", metrics], approvers: [U9] }
  C3: { allow: [metrics] }
`);
const verbsIn = (channelId: string) => allowedVerbs(config, { channelId, userId: 'U1', userGroupIds: [] });
const guard = { expr: 'up == 0', forMs: 0 };

describe('runVerbs / runVerbRefusal', () => {
  it('a plain run needs chaos:run; a run with --guard needs metrics too', () => {
    expect(runVerbs({})).toEqual(['chaos:run']);
    expect(runVerbs({ guard })).toEqual(['chaos:run', 'metrics']);
  });

  it.each([
    ['C1', false, null],
    ['C1', true, /needs the `metrics` permission here as well as `chaos:run`/],
    ['C2', true, null],
    ['C3', false, /may not run chaos experiments/],
    ['C3', true, /may not run chaos experiments/],
  ])('in %s, with guard %s', (channel, withGuard, want) => {
    const refusal = runVerbRefusal(withGuard ? { guard } : {}, verbsIn(channel));
    if (want === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(want);
  });
});
