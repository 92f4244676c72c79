import fs from 'node:fs';
import { findCanaries, scanRegistry, type ScanTally } from './canaries';

/**
 * Issue 13 item 8 for Lookouts that run in a child process (load-child, flood-child, footprint-child through
 * startBench; crash-child directly). In the child, with `LOOKOUT_CHILD_LOG=<file>` its log goes there at debug
 * level (synchronous writes, so a `kill -9` loses nothing already logged), and with `LOOKOUT_CHILD_SCAN=<file>` each
 * app appends what it posted and stored when it stops: every Slack call and message of its stand-in, its audit
 * rows and a /metrics body. The parent scans those files and the child's stdout/stderr (`scanChildOutput`), adds
 * the counts and hits to the file's tally (so test/helpers/secret-scan-setup.ts fails the file on a hit) and
 * returns them for the test to assert.
 */
type Dump = { calls: unknown[]; messages: unknown[]; audit: unknown[]; metrics?: string };

/** Parent side: scans a child's log file, its scan dump and any captured text (stdout, stderr). */
export function scanChildOutput(o: { log?: string; dump?: string; text?: Record<string, string> }): ScanTally {
  const mine: ScanTally = { logLines: 0, messages: 0, auditRows: 0, metricsBodies: 0, hits: [] };
  const read = (f?: string) => (f && fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  const lines = read(o.log).split('\n').filter(Boolean);
  for (const line of lines) mine.hits.push(...findCanaries('a child log line', line));
  mine.logLines += lines.length;
  for (const [where, text] of Object.entries(o.text ?? {})) {
    const out = text.split('\n').filter(Boolean);
    for (const line of out) mine.hits.push(...findCanaries(`the child's ${where}`, line));
    mine.logLines += out.length;
  }
  for (const line of read(o.dump).split('\n').filter(Boolean)) {
    const d = JSON.parse(line) as Dump;
    for (const c of d.calls) mine.hits.push(...findCanaries('a Slack call of a child', JSON.stringify(c)));
    for (const m of d.messages) mine.hits.push(...findCanaries('a Slack message of a child', JSON.stringify(m)));
    for (const r of d.audit) mine.hits.push(...findCanaries('an audit row of a child', JSON.stringify(r)));
    mine.messages += d.calls.length + d.messages.length;
    mine.auditRows += d.audit.length;
    if (d.metrics !== undefined) {
      mine.metricsBodies++;
      mine.hits.push(...findCanaries('/metrics of a child', d.metrics));
    }
  }
  const { tally } = scanRegistry();
  tally.logLines += mine.logLines;
  tally.messages += mine.messages;
  tally.auditRows += mine.auditRows;
  tally.metricsBodies += mine.metricsBodies;
  tally.hits.push(...mine.hits);
  return mine;
}
