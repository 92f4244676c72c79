import { absoluteUrl, parseDashboardJson, parseSearchHits } from '../../../src/common/grafana-json';
import { BASE, checkoutDashboardJson, legacyDashboardJson } from './fixtures';

describe('parseDashboardJson', () => {
  const d = parseDashboardJson(checkoutDashboardJson(), BASE);

  it('reads identity, folder, tags, time and an absolute url', () => {
    expect(d).toMatchObject({ uid: 'checkout-1', title: 'Checkout service', folder: 'Payments', tags: ['team-pay', 'prod'], time: { from: 'now-24h', to: 'now' } });
    expect(d.url).toBe('https://grafana.example.com/d/checkout-1/checkout-service');
  });

  it('flattens collapsed rows and drops the row itself', () => {
    expect(d.panels.map((p) => p.id)).toEqual([2, 3, 4, 11, 12]);
  });

  it('keeps only Prometheus targets, following datasource variables and per-target data sources', () => {
    const byId = new Map(d.panels.map((p) => [p.id, p]));
    expect(byId.get(2)!.targets.map((t) => t.refId)).toEqual(['A', 'B']);
    expect(byId.get(2)!.targets[0]).toMatchObject({ datasourceType: 'prometheus', legendFormat: '{{code}}' });
    expect(byId.get(2)!.targets[0].datasourceUid).toBeUndefined(); // a variable, not a real uid
    expect(byId.get(2)!.targets[1].hide).toBe(true);
    expect(byId.get(3)!).toMatchObject({ targets: [], otherTargets: 1 }); // Loki has `expr` too
    expect(byId.get(4)!).toMatchObject({ interval: '1m', maxDataPoints: 100, otherTargets: 1 });
    expect(byId.get(4)!.targets).toEqual([expect.objectContaining({ refId: 'A', datasourceUid: 'amp-main', interval: '5m' })]);
    expect(byId.get(11)!.targets[0].datasourceType).toBeUndefined(); // default data source: type unknown, kept
    expect(byId.get(12)!.targets).toEqual([]);
  });

  it('reads units from fieldConfig', () => {
    expect(d.panels.find((p) => p.id === 11)!.unit).toBe('s');
    expect(d.panels.find((p) => p.id === 2)!.unit).toBe('reqps');
  });

  it('reads variables with their saved values and Grafana’s fallbacks', () => {
    const v = Object.fromEntries(d.variables.map((x) => [x.name, x]));
    expect(v.env).toMatchObject({ type: 'custom', current: 'prod', default: 'staging', options: ['prod', 'staging'] });
    expect(v.service).toMatchObject({ current: ['api', 'web'], multi: true, includeAll: true });
    expect(v.cluster).toMatchObject({ current: '$__all', allValue: 'eu-.*' });
    expect(v.job).toMatchObject({ type: 'constant', default: 'checkout' });
    expect(v.job.current).toBeUndefined();
    expect(v.path).toMatchObject({ type: 'textbox', default: '/pay' });
    expect(v.win).toMatchObject({ type: 'interval', current: '$__auto_interval_win' });
  });

  it('reads legacy rows[], graph y-axis units, and treats the General folder as none', () => {
    const old = parseDashboardJson(legacyDashboardJson(), BASE);
    expect(old.panels).toEqual([expect.objectContaining({ id: 1, unit: 'bytes', targets: [expect.objectContaining({ expr: 'node_memory_MemAvailable_bytes' })] })]);
    expect(old.folder).toBeUndefined();
    expect(old.time).toBeUndefined();
  });

  it('refuses a body without a uid', () => {
    expect(() => parseDashboardJson({ dashboard: {} }, BASE)).toThrow(expect.objectContaining({ code: 'upstream' }));
    expect(() => parseDashboardJson('nonsense', BASE)).toThrow(expect.objectContaining({ code: 'upstream' }));
  });
});

describe('parseSearchHits', () => {
  it('keeps dashboards, not folders, with absolute urls', () => {
    const hits = parseSearchHits(
      [
        { uid: 'a', title: 'A', url: '/d/a/a', type: 'dash-db', tags: ['x'], folderTitle: 'F' },
        { uid: 'f', title: 'Folder', url: '/dashboards/f/f', type: 'dash-folder' },
        { title: 'no uid' },
      ],
      BASE,
    );
    expect(hits).toEqual([{ uid: 'a', title: 'A', folder: 'F', tags: ['x'], url: 'https://grafana.example.com/d/a/a' }]);
    expect(parseSearchHits({ not: 'a list' }, BASE)).toEqual([]);
  });
});

describe('absoluteUrl', () => {
  it('keeps a Grafana served under a sub-path (Grafana’s urls include it)', () => {
    expect(absoluteUrl('https://h.example/grafana', '/grafana/d/x/y')).toBe('https://h.example/grafana/d/x/y');
    expect(absoluteUrl('https://h.example/', '/d/x/y')).toBe('https://h.example/d/x/y');
  });
});
