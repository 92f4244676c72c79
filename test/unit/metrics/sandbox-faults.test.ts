import { ManualClock } from '../../helpers/manual-clock';
import { createSandboxFis } from '../../../src/sandbox/fis';
import { createSandboxPromQuery } from '../../../src/sandbox/metrics';
import { PLAYGROUND_CONFIG } from '../../../src/playground/world';
import { configFrom } from '../policy/config';

// The playground's suggested guard: the web tier's 5xx rate above 5/s.
const guard = configFrom(PLAYGROUND_CONFIG).chaos.guards.find((g) => g.name === 'web-5xx')!;
const S = 1000;

function world() {
  const clock = new ManualClock();
  const fis = createSandboxFis({ clock, seedHistory: false });
  const prom = createSandboxPromQuery({ clock, faults: fis.faults });
  const seriesOf = async (q: string, at?: number) => {
    const { result } = await prom.instant(q, at);
    if (result.type !== 'vector') throw new Error(result.type);
    return result.samples;
  };
  return { clock, fis, prom, seriesOf };
}

describe('sandbox metrics react to the sandbox experiment', () => {
  it('the playground configuration suggests a guard on the web tier’s error rate', () => {
    expect(guard).toMatchObject({ expr: 'sum(rate(http_requests_total{service="web",code="500"}[1m])) > 5', templates: ['cpu-stress-web'] });
  });

  it('the guard returns series while cpu-stress-web runs, and none before or after', async () => {
    const { clock, fis, seriesOf } = world();
    const started = await fis.experiments.start({ templateId: 'EXTsbxcpuweb0001', clientToken: 'c1', tags: {} });
    const [fault] = fis.faults();
    expect(fault).toEqual({ template: 'cpu-stress-web', start: started.createdAt! + 5 * S, end: started.createdAt! + 5 * S + 3 * 60 * S });

    expect(await seriesOf(guard.expr, fault.start - 1)).toEqual([]); // pending/initiating: no fault yet
    const during = await seriesOf(guard.expr, fault.start + 60 * S);
    expect(during).toHaveLength(1);
    expect(during[0].value).toBeGreaterThan(25);
    const value = await seriesOf(guard.value!, fault.start + 60 * S);
    expect(value[0].value).toBe(during[0].value);
    expect(await seriesOf(guard.expr, fault.end + 2 * 60 * S)).toEqual([]); // ended, and out of the 1m window
    await clock.advance(10 * 60 * S);
    expect(await seriesOf(guard.expr)).toEqual([]);
  });

  it('a stop ends the fault early, and so the errors', async () => {
    const { clock, fis, seriesOf } = world();
    const started = await fis.experiments.start({ templateId: 'EXTsbxcpuweb0001', clientToken: 'c2', tags: {} });
    await clock.advance(65 * S);
    expect(await seriesOf(guard.expr)).toHaveLength(1);
    await fis.experiments.stop(started.id);
    expect(fis.faults()[0].end).toBe(clock.now());
    await clock.advance(2 * 60 * S);
    expect(await seriesOf(guard.expr)).toEqual([]);
  });

  it('other templates, dry runs and other services leave the error rate alone', async () => {
    const { clock, fis, seriesOf } = world();
    await fis.experiments.start({ templateId: 'EXTsbxnetlat0001', clientToken: 'n1', tags: {} });
    await fis.experiments.start({ templateId: 'EXTsbxcpuweb0001', clientToken: 'p1', tags: {}, actionsMode: 'skip-all' });
    await clock.advance(60 * S);
    expect(await seriesOf(guard.expr)).toEqual([]);
    expect(fis.faults().map((f) => f.template)).not.toContain('cpu-stress-web');
  });

  it('without faults (no FIS attached) the series are as before', async () => {
    const { clock, fis } = world();
    const plain = createSandboxPromQuery({ clock });
    const reacting = createSandboxPromQuery({ clock, faults: fis.faults });
    expect(await reacting.instant('http_requests_total')).toEqual(await plain.instant('http_requests_total'));
  });
});

describe('sandbox comparisons filter like PromQL', () => {
  it.each([
    ['up == 0', ['batch']],
    ['up != 0', ['app', 'app', 'node']],
    ['up >= 1', ['app', 'app', 'node']],
    ['up < 1', ['batch']],
    ['up <= 0.5', ['batch']],
    ['up > 1', []],
  ])('%s', async (q, jobs) => {
    const { seriesOf } = world();
    expect((await seriesOf(q)).map((s) => s.labels.job).sort()).toEqual(jobs);
  });

  it.each(['up >', 'up > x', 'up[5m] > 1', 'up > 1 > 2'])('%s is refused', async (q) => {
    const { prom } = world();
    await expect(prom.instant(q)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
