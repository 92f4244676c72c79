import type { Experiment, ExperimentSummary } from '../../../src/chaos/model';
import { renderStopAllConfirmation, renderStopConfirmation } from '../../../src/views/chaos-stop';
import { renderHistory, renderStatus, renderStopAllResult, renderStopped } from '../../helpers/views';
import { CHAOS_ACTIONS } from '../../../src/views/chaos-actions';
import { LookoutError } from '../../../src/errors';
import { blockKitProblems, liveTokens } from '../chaos/view-limits';

const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);
const ctx = { userId: 'U0CAROL', account: { name: 'prod', id: '111111111111' }, region: 'us-east-1', durationMs: 800 };
const names = { EXT1: 'cpu-stress-web' };
const EVIL = '<!channel> <https://evil.example|x>';

const running: Experiment = {
  id: 'EXP1',
  templateId: 'EXT1',
  status: 'running',
  tags: { 'lookout:requested-by': 'U0CAROL', 'lookout:request': 'chq-1' },
  createdAt: T0 - 60_000,
  startedAt: T0 - 55_000,
  actions: [
    { name: 'stress-cpu', actionId: 'aws:ssm:send-command', status: 'running', parameters: {} },
    { name: 'stress-mem', actionId: 'aws:ssm:send-command', status: 'pending', parameters: {} },
  ],
};
const summary = (id: string, status: ExperimentSummary['status'], o: Partial<ExperimentSummary> = {}): ExperimentSummary => ({ id, templateId: 'EXT1', status, tags: {}, createdAt: T0, ...o });

describe('/chaos status', () => {
  it('one running experiment with its action states', () => {
    const m = renderStatus({ experiments: [running], more: 0, templateNames: names }, ctx, T0);
    expect(blockKitProblems(m)).toEqual([]);
    expect(m).toMatchSnapshot();
  });

  it('nothing running', () => {
    expect(JSON.stringify(renderStatus({ experiments: [], more: 0, templateNames: {} }, ctx, T0))).toContain('No experiments are running');
  });

  it('many running, with hostile reasons, within limits', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ ...running, id: `EXP${i}`, reason: EVIL, actions: Array(20).fill({ ...running.actions[0], reason: EVIL }) }));
    const m = renderStatus({ experiments: many, more: 7, templateNames: names }, ctx, T0);
    expect(blockKitProblems(m)).toEqual([]);
    expect(liveTokens(m).filter((t) => /channel|evil/.test(t))).toEqual([]);
    expect(JSON.stringify(m)).toContain('and 7 more running');
  });
});

describe('/chaos history', () => {
  it('recent experiments and how they ended', () => {
    const m = renderHistory(
      {
        experiments: [summary('EXP3', 'failed', { reason: 'Action failed' }), summary('EXP2', 'stopped', { tags: { 'lookout:requested-by': 'U0BOB' } }), summary('EXP1', 'completed', { templateId: 'EXTother' })],
        more: 4,
        templateNames: names,
      },
      ctx,
    );
    expect(blockKitProblems(m)).toEqual([]);
    expect(m).toMatchSnapshot();
  });

  it('50 entries stay within limits', () => {
    const m = renderHistory({ experiments: Array.from({ length: 50 }, (_, i) => summary(`EXP${i}`, 'failed', { reason: EVIL.repeat(5) })), more: 0, templateNames: names }, ctx);
    expect(blockKitProblems(m)).toEqual([]);
    expect(liveTokens(m).filter((t) => /channel|evil/.test(t))).toEqual([]);
  });
});

describe('/chaos stop', () => {
  it('asks for confirmation with the experiment id in the button value', () => {
    const m = renderStopConfirmation(running, names);
    expect(blockKitProblems(m)).toEqual([]);
    expect(m).toMatchSnapshot();
  });

  it('has nothing to confirm for an ended experiment', () => {
    const m = renderStopConfirmation(summary('EXP9', 'completed'), names);
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('--all lists what would stop and carries the account in the button value', () => {
    const m = renderStopAllConfirmation([summary('EXP1', 'running'), summary('EXP2', 'initiating', { templateId: 'EXTx' })], 'prod', names);
    expect(blockKitProblems(m)).toEqual([]);
    const actions = m.blocks.find((b) => b.type === 'actions') as any;
    expect(actions.elements.map((e: any) => [e.action_id, e.value])).toEqual([
      [CHAOS_ACTIONS.confirmStopAll, 'prod'],
      [CHAOS_ACTIONS.cancelStop, 'cancel'],
    ]);
    expect(renderStopAllConfirmation([], 'prod').blocks).toHaveLength(1);
  });

  it('reports results, including failures', () => {
    expect(renderStopped({ ...running, status: 'stopping' }, 'U0BOB').text).toBe('Experiment EXP1 stopped');
    // "Run it yourself" (product.md §2) for the region the experiment ran in.
    const stopped = JSON.stringify(renderStopped({ ...running, status: 'stopping' }, 'U0BOB', 'eu-west-1').blocks);
    expect(stopped).toContain('aws fis get-experiment --region eu-west-1 --id EXP1');
    expect(stopped).toContain('cloudshell/home?region=eu-west-1');
    expect(JSON.stringify(renderStopAllResult({ stopped: [], failed: [] }, 'U0BOB', 'eu-west-1').blocks)).toContain('aws fis list-experiments --region eu-west-1');
    const m = renderStopAllResult({ stopped: [{ ...running, status: 'stopping' }], failed: [{ experimentId: 'EXP2', error: new LookoutError('access_denied', 'Lookout may not call `fis:StopExperiment`.') }] }, 'U0BOB');
    expect(blockKitProblems(m)).toEqual([]);
    expect(m).toMatchSnapshot();
  });
});
