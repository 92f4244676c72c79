import fs from 'node:fs';
import { scanRegistry } from './canaries';

/**
 * Issue 13 item 8, for every test file (jest setupFilesAfterEnv): after the file's tests, scan what is still running
 * (apps the file did not stop), then fail the file on any canary found in a log line, a Slack call or message, an
 * audit row or a /metrics body. With LOOKOUT_SECRET_REPORT=<file> the counts are appended there as JSON lines
 * (the figures in docs/reliability.md).
 */
afterAll(async () => {
  const registry = scanRegistry();
  for (const scan of [...registry.pending]) await scan();
  const { tally } = registry;
  const scanned = tally.logLines + tally.messages + tally.auditRows + tally.metricsBodies;
  if (scanned > 0 && process.env.LOOKOUT_SECRET_REPORT) {
    fs.appendFileSync(process.env.LOOKOUT_SECRET_REPORT, `${JSON.stringify({ file: expect.getState().testPath, ...tally, hits: tally.hits.length })}\n`);
  }
  if (tally.hits.length > 0) {
    throw new Error(`secret canaries leaked (${tally.hits.length}):\n${[...new Set(tally.hits)].slice(0, 20).join('\n')}`);
  }
});
