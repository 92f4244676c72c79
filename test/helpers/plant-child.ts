import { runAsChild } from './child-main';
import { CANARY } from './canaries';
import { appendChildScan, childLogging } from './child-log';

/**
 * Run in a child process by test/reliability/load.test.ts to prove the child scan (test/helpers/child-scan.ts)
 * sees a planted canary through the same channels a Lookout child uses: a debug log line into LOOKOUT_CHILD_LOG,
 * a Slack call, a stored message, an audit row and a /metrics body into LOOKOUT_CHILD_SCAN, and stdout and stderr.
 */
async function main(): Promise<void> {
  const { logger } = childLogging();
  if (!logger) throw new Error('LOOKOUT_CHILD_LOG is not set');
  logger.debug({ planted: CANARY.PROM_TOKEN }, 'planted');
  appendChildScan({
    calls: [{ method: 'chat.postMessage', args: { text: CANARY.GRAFANA_TOKEN }, token: CANARY.SLACK_BOT_TOKEN }],
    messages: [{ text: CANARY.SLACK_SIGNING_SECRET }],
    audit: [{ detail: CANARY.AWS_SESSION_TOKEN }],
    metrics: `planted ${CANARY.DB_PASSWORD}`,
  });
  process.stdout.write(`${CANARY.SLACK_APP_TOKEN}\n`);
  process.stderr.write(`${CANARY.AWS_ACCESS_KEY_ID}\n`);
}

runAsChild(main);
