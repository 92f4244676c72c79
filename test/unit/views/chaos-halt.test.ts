import { LookoutError } from '../../../src/errors';
import { renderHaltResult, renderResumeResult, type HaltAnswer } from '../../../src/views/chaos-halt';
import { blockKitProblems } from '../chaos/view-limits';

const at = Date.UTC(2026, 11, 3, 6, 15);
const halt = { by: 'U0ALICE', at, reason: 'incident <!channel> & more' };
const text = (m: { blocks: unknown[] }) => JSON.stringify(m.blocks);
const experiment = (i: number) => ({ id: `EXP${i}`, templateId: 'EXTcpu', status: 'stopping' as const });

describe('renderHaltResult', () => {
  it('says who halted and why (escaped), and lists what it stopped per account', () => {
    const m = renderHaltResult({ halt, newly: true, stopped: [{ account: 'prod', experiment: experiment(1) }], failed: [], unreachable: [] });
    expect(text(m)).toContain('*halted* by <@U0ALICE>');
    expect(text(m)).toContain('incident &lt;!channel&gt; &amp; more');
    expect(text(m)).toContain('Stopped 1 experiment:\\n• `EXP1` (`EXTcpu`) in *prod*');
    expect(m.text).toBe('Chaos halted; stopped 1');
    expect(blockKitProblems(m)).toEqual([]);
  });

  it('says when nothing ran, when it was halted already, and what could not be stopped or reached', () => {
    const m = renderHaltResult({
      halt,
      newly: false,
      stopped: [],
      failed: [{ account: 'staging', experimentId: 'EXP9', error: new LookoutError('access_denied', 'AWS refused fis:StopExperiment.') }],
      unreachable: ['dev'],
    });
    expect(text(m)).toContain('It was halted already');
    expect(text(m)).toContain('Nothing was running.');
    expect(text(m)).toContain('• `EXP9` in *staging*: AWS refused fis:StopExperiment.');
    expect(text(m)).toContain('• *dev*: no region is configured');
    expect(m.text).toBe('Chaos halted; 2 could not be stopped');
  });

  it('stays within Slack’s limits with very many experiments', () => {
    const many: HaltAnswer = { halt, newly: true, stopped: Array.from({ length: 500 }, (_, i) => ({ account: 'prod', experiment: experiment(i) })), failed: [], unreachable: [] };
    expect(blockKitProblems(renderHaltResult(many))).toEqual([]);
  });
});

describe('renderResumeResult', () => {
  it('names who lifted which halt, or says there was none', () => {
    expect(text(renderResumeResult(halt, 'U0BOB'))).toMatch(/<@U0BOB> lifted the halt <@U0ALICE> set .*\(incident &lt;!channel&gt; &amp; more\)/);
    expect(text(renderResumeResult(null, 'U0BOB'))).toContain('were not halted');
  });
});
