import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLookout, type LookoutHandle, type StartOptions } from '../../src/main';
import { startSlackStandIn, type SlackStandIn, type SlackStandInOptions } from '../../src/playground/slack-stand-in';
import { createSlackDriver, type SlackDriver } from '../../src/playground/driver';

import { CANARY, registerForScan, scannedLogging } from './canaries';

// Canaries (test/helpers/canaries.ts): every log line, Slack call, audit row and /metrics body of every e2e file
// is scanned for them.
export const BOT_TOKEN = CANARY.SLACK_BOT_TOKEN;
export const SIGNING_SECRET = CANARY.SLACK_SIGNING_SECRET;

export interface Bench {
  app: LookoutHandle;
  /**
   * Stops Lookout (SIGTERM-like) and starts it again on the same database and Slack stand-in. `abrupt`: no drain,
   * work in flight is abandoned where it stands (what a killed process leaves); `start` overrides start options.
   */
  restart(o?: { abrupt?: boolean; start?: Partial<StartOptions> }): Promise<void>;
  slack: SlackStandIn;
  driver: SlackDriver;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Boots the real Lookout app over HTTP on a free port against a Slack Web API stand-in on loopback, with a SQLite
 * store in a temp dir. `yaml` becomes lookout.yml (none by default).
 */
export async function startBench(
  o: { yaml?: string; env?: Record<string, string>; slack?: SlackStandInOptions; start?: Partial<StartOptions>; botToken?: string; signingSecret?: string } = {},
): Promise<Bench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-e2e-'));
  // Other values only where a test must recognise them (test/reliability/secrets.test.ts uses canaries).
  const botToken = o.botToken ?? BOT_TOKEN;
  const signingSecret = o.signingSecret ?? SIGNING_SECRET;
  const slack = await startSlackStandIn({ botToken, ...o.slack });
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    DATABASE_URL: `sqlite:${path.join(dir, 'lookout.db')}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    AWS_REGION: 'us-east-1',
    ...o.env,
  };
  if (o.yaml !== undefined) {
    fs.writeFileSync(path.join(dir, 'lookout.yml'), o.yaml);
    env.LOOKOUT_CONFIG = path.join(dir, 'lookout.yml');
  }
  const noDefaultFile = (p: string, enc: 'utf8') => {
    if (p === './lookout.yml') throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return fs.readFileSync(p, enc);
  };
  // Logs are captured and scanned (not printed) unless the test brings its own logger.
  const start: Partial<StartOptions> = { ...scannedLogging(), ...o.start };
  let app: LookoutHandle;
  try {
    app = await startLookout({ env, readFile: noDefaultFile, ...start });
  } catch (err) {
    await slack.close();
    throw err;
  }
  try {
    await app.ready;
  } catch (err) {
    await app.stop();
    await slack.close();
    throw err;
  }
  const bench: Bench = {
    app,
    slack,
    driver: createSlackDriver({ appUrl: `${app.url}/slack/events`, signingSecret, standIn: slack }),
    dir,
    async restart(r = {}) {
      await bench.app.stop(r.abrupt ? 0 : undefined);
      bench.app = await startLookout({ env, readFile: noDefaultFile, ...start, ...r.start });
      await bench.app.ready;
      bench.driver = createSlackDriver({ appUrl: `${bench.app.url}/slack/events`, signingSecret, standIn: slack });
    },
    async stop() {
      await scan();
      await bench.app.stop();
      await slack.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  const scan = registerForScan({
    url: () => bench.app.url,
    listAudit: () => bench.app.store.listAudit({ limit: 100_000 }),
    slackCalls: () => slack.calls as unknown as Array<Record<string, unknown>>,
    slackMessages: () => slack.allMessages(),
  });
  return bench;
}

/** Plain text of a recorded reply (text + every text field in its blocks), for assertions. */
export function textOf(args: Record<string, any>): string {
  const parts: string[] = [String(args.text ?? '')];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') parts.push(x);
        else walk(x);
      }
    }
  };
  walk(args.blocks);
  return parts.join('\n');
}
