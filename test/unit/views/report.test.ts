import type { KnownBlock } from '@slack/types';
import { blockTextLength, message, section, type SlackMessage } from '../../../src/views/message';
import {
  decorateReportPost,
  missedNoteText,
  renderChangeLine,
  renderReportAdded,
  renderReportEdited,
  renderReportPaused,
  renderReportRunOutcome,
  renderReportStateChanged,
} from '../../../src/views/report';
import type { ReportView } from '../../../src/reports/model';
import { describeCron } from '../../../src/views/report-cron';
import { renderReportList } from '../../../src/views/report-list';
import { LIMITS } from '../../../src/views/text';

const now = Date.UTC(2026, 10, 29, 9, 0, 0);
const report = (over: Partial<ReportView> = {}): ReportView => ({
  id: 'r-1a2b3c',
  state: 'active',
  cron: '0 9 * * 1-5',
  tz: 'Europe/Berlin',
  onChange: false,
  command: '/chaos history --limit 5',
  source: 'slack',
  createdBy: 'U0ALICE',
  nextRunAt: now + 86_400_000,
  lastRunAt: null,
  lastResult: null,
  lastError: null,
  failures: 0,
  pausedReason: null,
  ...over,
});
const evil = '/metrics up{job="<!channel> & <https://evil.example|click>"} `x`';

function expectWithinLimits(msg: SlackMessage) {
  const blocks = msg.blocks as any[];
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  expect(blockTextLength(msg.blocks)).toBeLessThanOrEqual(LIMITS.totalBlockText);
  expect(msg.text.length).toBeLessThanOrEqual(LIMITS.messageText);
  for (const b of blocks) {
    if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    if (b.type === 'context') {
      expect(b.elements.length).toBeLessThanOrEqual(LIMITS.contextElements);
      for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    }
  }
}
const allText = (msg: SlackMessage) => JSON.stringify(msg.blocks) + msg.text;

describe('confirmations', () => {
  it('add: id, schedule in words, zone, next three runs', () => {
    const monday = Date.UTC(2026, 10, 30, 8, 0, 0);
    const msg = renderReportAdded({ report: report(), nextRuns: [monday, monday + 86_400_000, monday + 2 * 86_400_000], expectedRunsPerMonth: 22, billed: false });
    expect(msg).toMatchSnapshot();
    expect(allText(msg)).toContain('every weekday at 09:00 (Europe/Berlin)');
    expect(allText(msg)).not.toContain('analyses a month');
    expectWithinLimits(msg);
  });

  it('add of a watch: on-change wording and the monthly analysis count', () => {
    const msg = renderReportAdded({
      report: report({ cron: '*/15 * * * *', tz: 'UTC', onChange: true, watch: true, command: '/reach web-1 -> db-1:5432' }),
      nextRuns: [now + 900_000, now + 1_800_000, now + 2_700_000],
      expectedRunsPerMonth: 2880,
      billed: true,
    });
    expect(msg).toMatchSnapshot();
    expect(allText(msg)).toContain('about *2,880 analyses a month*');
    expect(allText(msg)).toContain('only when the answer changes');
    expect(allText(msg)).toContain('/reach web-1 -&gt; db-1:5432');
  });

  it('escapes the command and shows an unusual cron as is', () => {
    const msg = renderReportAdded({ report: report({ command: evil, cron: '5 4 1-7 * 1' }), nextRuns: [], expectedRunsPerMonth: 1, billed: false });
    const text = allText(msg);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(text).toContain('on the schedule `5 4 1-7 * 1`');
    expect(msg).toMatchSnapshot();
  });

  it('a very long command is cut short', () => {
    const msg = renderReportAdded({ report: report({ command: `/metrics ${'a'.repeat(5000)}` }), nextRuns: [], expectedRunsPerMonth: 1, billed: false });
    expectWithinLimits(msg);
    expect(allText(msg).length).toBeLessThan(1500);
  });

  it('edit, pause, resume, remove', () => {
    const day = 86_400_000;
    expect(renderReportEdited({ report: report({ cron: '30 8 * * *' }), nextRuns: [now + day - 1_800_000, now + 2 * day - 1_800_000, now + 3 * day - 1_800_000], expectedRunsPerMonth: 30, billed: false })).toMatchSnapshot();
    expect(renderReportEdited({ report: report({ state: 'paused' }), nextRuns: [], expectedRunsPerMonth: 30, billed: false }).text).toBe('Report r-1a2b3c rescheduled');
    expect(renderReportStateChanged('paused', { report: report({ state: 'paused', command: evil }) })).toMatchSnapshot();
    expect(renderReportStateChanged('resumed', { report: report(), nextRuns: [now + 86_400_000] })).toMatchSnapshot();
    expect(renderReportStateChanged('removed', { report: report() })).toMatchSnapshot();
  });

  it('the outcome of /report run', () => {
    expect(renderReportRunOutcome('r-1a2b3c', { status: 'posted' })).toMatchSnapshot();
    expect(JSON.stringify(renderReportRunOutcome('r-1a2b3c', { status: 'failed', error: 'No dashboard `ops` in Grafana.' }))).toContain('ran and failed: No dashboard `ops` in Grafana.');
    expect(JSON.stringify(renderReportRunOutcome('r-1a2b3c', { status: 'lost' }))).toContain('removed or changed while it ran');
  });

  it('paused after failures: reason, last error, how to resume', () => {
    const msg = renderReportPaused(report({ state: 'paused', failures: 5, lastError: 'Prometheus answered 503.' }), 'it failed 5 times in a row');
    expect(msg).toMatchSnapshot();
    expect(allText(msg)).toContain('`/report resume r-1a2b3c`');
  });
});

describe('list', () => {
  it('empty', () => {
    expect(renderReportList([])).toMatchSnapshot();
  });

  it('one of each state and result', () => {
    const msg = renderReportList([
      report({ lastRunAt: now - 3_600_000, lastResult: 'posted' }),
      report({ id: 'r-watch1', cron: '*/15 * * * *', tz: 'UTC', onChange: true, command: '/reach web-1 -> db-1:5432', lastRunAt: now - 60_000, lastResult: 'unchanged' }),
      report({ id: 'r-fail01', command: evil, lastRunAt: now - 60_000, lastResult: 'failed', failures: 3, lastError: 'No dashboard `ops` in Grafana.' }),
      report({ id: 'r-paused', state: 'paused', pausedReason: 'paused by <@U0BOB>', nextRunAt: null }),
      report({ id: 'weekday-chaos', source: 'config', createdBy: null }),
    ]);
    expect(msg).toMatchSnapshot();
    expect(allText(msg)).not.toContain('<!channel>');
    expect(allText(msg)).toContain('paused (paused by <@U0BOB>)');
    expectWithinLimits(msg);
  });

  it('many: cut with "and N more", within Slack limits', () => {
    const many = Array.from({ length: 120 }, (_, i) => report({ id: `r-${String(i).padStart(6, '0')}`, command: `/metrics ${'sum(rate(http_requests_total[5m])) by (job) '.repeat(6)}`, lastRunAt: now, lastResult: 'failed', lastError: 'x'.repeat(400) }));
    const msg = renderReportList(many);
    expectWithinLimits(msg);
    const more = (msg.blocks[msg.blocks.length - 2] as any).elements[0].text as string;
    const shown = (JSON.stringify(msg.blocks).match(/• `r-/g) ?? []).length;
    expect(shown).toBeGreaterThan(5);
    expect(more).toBe(`…and ${120 - shown} more reports (next due first).`);
  });
});

describe('what decorates a scheduled post', () => {
  const answer = message([section(':white_check_mark: reachable')], 'db-1 is reachable from web-1');

  it('missed-run notes', () => {
    expect(missedNoteText({ skipped: 1, firstAt: now, lastAt: now })).toBe(':warning: the run due <!date^1795942800^{date_short_pretty} {time}|2026-11-29T09:00:00Z> was skipped: Lookout was not running at the time.');
    expect(missedNoteText({ skipped: 3, firstAt: now, lastAt: now + 7_200_000 })).toMatch(/^:warning: 3 scheduled runs \(<!date\^1795942800.*to <!date\^1795950000.*\) were skipped/);
    expect(missedNoteText({ skipped: 1001, firstAt: now, lastAt: now + 1, atLeast: true })).toMatch(/more than 1,001 scheduled runs/);
  });

  it('the change line is escaped', () => {
    expect(JSON.stringify(renderChangeLine('<!here> db-1 is now reachable from web-1'))).toContain('&lt;!here&gt; db-1 is now reachable');
  });

  it('a late scheduled run with a change and skipped runs', () => {
    const msg = decorateReportPost(answer, {
      report: report({ command: '/reach web-1 -> db-1:5432', onChange: true }),
      trigger: 'schedule',
      occurrence: now,
      lateByMs: 45 * 60_000,
      missed: { skipped: 2, firstAt: now - 7_200_000, lastAt: now - 3_600_000 },
      changeLine: 'db-1 is now reachable from web-1',
    });
    expect(msg).toMatchSnapshot();
    expect(msg.text).toBe('db-1 is now reachable from web-1 — db-1 is reachable from web-1');
  });

  it('a manual run on time: just the report context', () => {
    const msg = decorateReportPost(answer, { report: report(), trigger: 'manual', occurrence: now, lateByMs: 0, missed: null });
    expect(msg.blocks).toHaveLength(2);
    expect(JSON.stringify(msg.blocks[1])).toContain('run on request');
  });

  it('stays within 50 blocks when the answer is already full', () => {
    const full = message(Array.from({ length: 50 }, (_, i) => section(`row ${i}`)) as KnownBlock[], 't');
    const msg = decorateReportPost(full, { report: report(), trigger: 'schedule', occurrence: now, lateByMs: 0, missed: null, changeLine: 'x changed' });
    expect(msg.blocks).toHaveLength(50);
    expect(JSON.stringify(msg.blocks[0])).toContain('x changed');
    expect(JSON.stringify(msg.blocks[48])).toContain('more blocks not shown');
    expect(JSON.stringify(msg.blocks[49])).toContain('Report `r-1a2b3c`');
  });
});

describe('describeCron', () => {
  it.each([
    ['* * * * *', 'every minute'],
    ['*/15 * * * *', 'every 15 minutes'],
    ['*/7 * * * *', null],
    ['5 * * * *', 'every hour at :05'],
    ['0 */6 * * *', 'every 6 hours at :00'],
    ['0 */5 * * *', null],
    ['30 2 * * *', 'every day at 02:30'],
    ['0 9,17 * * *', 'every day at 09:00 and 17:00'],
    ['0 9 * * 1-5', 'every weekday at 09:00'],
    ['0 9 * * MON-FRI', 'every weekday at 09:00'],
    ['0 10 * * 0,6', 'every Saturday and Sunday at 10:00'],
    ['0 9 * * 1', 'every Monday at 09:00'],
    ['0 9 * * 7', 'every Sunday at 09:00'],
    ['0 9 * * mon,wed,fri', 'on Mondays, Wednesdays and Fridays at 09:00'],
    ['0 6 1 * *', 'on the 1st of every month at 06:00'],
    ['0 6 22 * *', 'on the 22nd of every month at 06:00'],
    ['0 6 13 * *', 'on the 13th of every month at 06:00'],
    ['@daily', 'every day at 00:00'],
    ['@hourly', 'every hour, on the hour'],
    ['0 9 1 1 *', null],
    ['0 9 L * *', null],
    ['0 9-17 * * *', null],
    ['0 0 9 * * *', null],
  ])('%j → %j', (cron, words) => {
    expect(describeCron(cron)).toBe(words);
  });
});
