// First, for their effects: the modules below load from Node's compile cache (start time), and the young
// generation does not grow while they load (RSS idle).
import { compileCacheDir, saveCompileCache } from './ops/compile-cache';
import { releaseYoungGeneration } from './ops/start-heap';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { readConfig, formatProblems } from './config';
import type { Config } from './config/types';
import { createLogger, type Logger } from './log/logger';
import { boltLogger } from './log/bolt-logger';
import { openStore } from './store';
import type { Store } from './ports/store';
import { sleepFor, storeClock, systemClock } from './clock';
import type { Clock } from './ports/clock';
import { createAwsAccounts } from './aws/accounts';
import { createRateLimiter } from './policy/rate-limit';
import { createOpsMetrics } from './ops/metrics';
import { createHttpServer, MAX_BODY_BYTES, type SlackListener } from './ops/http-server';
import { installProcessGuards, newReferenceId } from './ops/process-guards';
import { createWorkTracker } from './ops/work-tracker';
import { verifySlackAuth, type SlackIdentity } from './ops/slack-auth';
import { createHealthChecks } from './ops/health';
import { measuredFetch } from './ops/slack-fetch';
import { gateSlackCalls } from './ops/slack-gate';
import { backendChecks } from './ops/backend-checks';
import { composeBackends } from './compose';
import { slackClientOptions, type OutboundPolicy } from './outbound';
import type { AwsAccounts } from './ports/aws';
import type { AwsCall } from './aws/instrument';
import type { SandboxFis } from './sandbox/fis';
import { chooseStartMode } from './playground/mode';
import type { ChaosOptions } from './chaos/context';
import { registerHandlers } from '../handlers';
import { configuredGroupIds, createSlackDirectory } from '../handlers/directory';
import type { HandlerDeps } from '../handlers/types';

/** How long /readyz waits for the store to answer before it says "not ready". */
const READY_PING_MS = 2_000;

/** Start-up failed in a way a person must fix (configuration, token): message printed, process exits 1. */
export class StartupError extends Error {}

export interface LookoutHandle {
  port: number;
  url: string;
  config: Config;
  store: Store;
  /** Resolves once Slack auth succeeded and the app takes requests. */
  ready: Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  readFile?: (path: string, enc: 'utf8') => string;
  clock?: Clock;
  /** The host's wall clock the database's is compared with (default Date.now); tests skew it to play a skewed host. */
  wallClock?: () => number;
  logger?: Logger;
  /** Playground: the simulated AWS account instead of the SDK adapters. */
  sandbox?: boolean;
  /** Playground and tests: keep the simulated FIS across restarts in one process. */
  sandboxFis?: SandboxFis;
  accounts?: AwsAccounts;
  /** Chaos timings and this replica's name on start leases (a restart with the same name finishes its starts). */
  chaos?: Partial<ChaosOptions>;
  /** Tests: the Slack clients' timeouts (default DEFAULT_OUTBOUND), so a Slack call that never answers ends fast. */
  outbound?: OutboundPolicy;
}

/**
 * Composition root: config → logger → store → adapters → services → Bolt app → handlers. Wiring only.
 * Throws StartupError (before any connection to Slack) when the configuration is invalid.
 */
export async function startLookout(opts: StartOptions = {}): Promise<LookoutHandle> {
  const env = opts.env ?? process.env;
  const loaded = readConfig(env, opts.readFile);
  if (!loaded.ok) throw new StartupError(formatProblems(loaded.problems));
  const config = loaded.config;
  if (!config.env.slackBotToken) {
    throw new StartupError(
      'Lookout needs SLACK_BOT_TOKEN (xoxb-…) and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) to connect to Slack. ' +
        'See README.md "Create the Slack app". Without any Slack variables, `npm start` opens the local playground instead.',
    );
  }
  const hostClock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger({ level: config.env.logLevel });
  const store = await openStore(config.env.databaseUrl, { logger, clock: hostClock, wallClock: opts.wallClock });
  // Everything that keeps leases and due times (chaos, reports, watches) reads the store's clock; Slack and AWS
  // credentials keep the host's.
  const clock = storeClock(store, hostClock);
  const metrics = createOpsMetrics({ defaultMetrics: true });
  const tracker = createWorkTracker();
  // Every Slack call has a timeout; one that timed out or lost its connection is not retried (it may have posted).
  // A 429 is handled per channel by the gate under the client, never by pausing the client's whole queue.
  const measured = measuredFetch(metrics);
  const clientOptions = {
    slackApiUrl: config.env.slackApiUrl,
    ...slackClientOptions({ retries: 3, factor: 2, minTimeout: 500 }, opts.outbound),
    rejectRateLimitedCalls: true,
    maxRequestConcurrency: 300,
    fetch: gateSlackCalls(measured, { log: logger }),
  };
  const web = new WebClient(config.env.slackBotToken, { ...clientOptions, logger: boltLogger(logger) });

  let slackListener: SlackListener | undefined;
  let identity: SlackIdentity | undefined;
  const server = createHttpServer({
    registry: metrics.registry,
    ackLatency: metrics.ackLatency,
    slack: () => slackListener,
    draining: () => tracker.draining,
    onError: (err, where) => logger.error({ err, ref: newReferenceId(), where }, 'request failed inside the HTTP server; answered 500'),
    ready: async () => {
      // Bounded: /readyz is reachable from outside the process, and a stuck store must read as "not ready", not hang.
      const giveUp = new AbortController();
      const storeOk = await Promise.race([store.ping().then(() => true, () => false), sleepFor(READY_PING_MS, giveUp.signal).then(() => false, () => false)]);
      giveUp.abort();
      return { ok: storeOk && identity !== undefined, checks: { store: storeOk ? 'ok' : 'unreachable', slack: identity ? 'ok' : 'connecting' } };
    },
  });
  await listen(server, config.env.port);
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, mode: config.env.slackAppToken ? 'socket' : 'http', compileCache: compileCacheDir }, 'Lookout listening');

  let app: App | undefined;
  const background: { stop(): Promise<void> }[] = [];
  const stopping = new AbortController();
  const ready = (async () => {
    identity = await verifySlackAuth(web, { clock: hostClock, logger, signal: stopping.signal });
    const observeAws = (c: AwsCall) => metrics.awsCalls.observe({ service: c.service, operation: c.operation, outcome: c.outcome }, c.seconds);
    const accounts = opts.accounts ?? createAwsAccounts({ clock: hostClock, observe: observeAws });
    const directory = createSlackDirectory(web, hostClock, logger);
    const sandbox = opts.sandbox ?? false;
    const backends = composeBackends({
      config,
      accounts,
      clock,
      store,
      env,
      sandbox,
      sandboxFis: opts.sandboxFis,
      chaosOptions: opts.chaos,
      observeAws,
      membership: { userGroupsOf: (userId) => directory.groupsOf(userId, configuredGroupIds(config.lookout)) },
      log: logger.child({ component: 'chaos' }),
    });
    const deps: HandlerDeps = {
      config,
      store,
      clock,
      logger,
      metrics,
      tracker,
      accounts,
      rateLimiter: createRateLimiter(config.lookout.limits, clock),
      directory,
      health: createHealthChecks({ web, store, config, clock, log: logger, backends: backendChecks({ config, accounts, metrics: backends.metrics, grafana: backends.grafana, sandbox }) }),
      newRequestId: newReferenceId,
      backends,
      replicaId: opts.chaos?.replicaId ?? hostname(), // the chaos default too (src/chaos/context.ts)
    };
    // Scheduled posts use a client of their own that hands every 429 to the reports pacer (no gate under it).
    const reportsWeb = new WebClient(config.env.slackBotToken, { ...clientOptions, fetch: measured, retryConfig: { retries: 0 }, logger: boltLogger(logger) });
    const io = { web, reportsWeb, teamId: () => identity?.teamId ?? '' };
    // No Bolt conversation store (unused): its lookup builds an Error with a stack per request (docs/performance.md).
    const common = { token: config.env.slackBotToken, botId: identity.botId, botUserId: identity.userId, logger: boltLogger(logger), logLevel: LogLevel.INFO, clientOptions, convoStore: false as const };
    if (config.env.slackAppToken) {
      app = new App({ ...common, appToken: config.env.slackAppToken, socketMode: true });
      background.push(...(await registerHandlers(app, deps, io)).background);
      await app.start();
    } else {
      const receiver = new HTTPReceiver({ signingSecret: config.env.slackSigningSecret ?? '', endpoints: '/slack/events', bodyLimit: MAX_BODY_BYTES, logger: common.logger });
      app = new App({ ...common, receiver });
      background.push(...(await registerHandlers(app, deps, io)).background);
      slackListener = receiver.requestListener;
    }
    logger.info({ botUserId: identity.userId, team: identity.teamId }, 'Lookout connected to Slack');
  })();
  ready.catch(() => undefined); // observed by main() or the caller; never an unhandled rejection
  void ready.finally(releaseYoungGeneration).then(saveCompileCache).catch(() => undefined);

  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    config,
    store,
    ready,
    stop(timeoutMs = 25_000) {
      stopped ??= (async () => {
        stopping.abort(new Error('stopping'));
        const closed = new Promise<void>((r) => server.close(() => r()));
        await Promise.all(background.map((b) => b.stop().catch((err) => logger.warn({ err }, 'background work did not stop cleanly'))));
        const drained = await tracker.drain(timeoutMs);
        if (!drained) logger.warn({ inFlight: tracker.inFlight }, 'stopped before all work finished');
        server.closeAllConnections?.();
        await closed;
        await ready.catch(() => undefined);
        if (config.env.slackAppToken) await app?.stop().catch(() => undefined);
        await store.close();
        logger.info('Lookout stopped');
      })();
      return stopped;
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * CLI entry: `npm start` and the image's CMD (playground/mode.ts decides what runs). Exits 1 with one clear message
 * on configuration or token problems.
 */
export async function main(): Promise<void> {
  let handle: Pick<LookoutHandle, 'stop'>;
  try {
    const mode = chooseStartMode(process.env);
    if (mode.kind === 'refuse') throw new StartupError(mode.message);
    if (mode.kind === 'playground') {
      const { runPlayground } = await import('./playground/run');
      const playground = await runPlayground(process.env, { host: mode.host });
      process.stdout.write(`Lookout playground (no Slack, sandbox AWS account): ${playground.url}\n`);
      handle = playground;
    } else {
      const lookout = await startLookout();
      await lookout.ready;
      handle = lookout;
    }
  } catch (err) {
    process.stderr.write(`${err instanceof StartupError ? err.message : `Lookout could not start: ${(err as Error).message}`}\n`);
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    process.stderr.write(`${signal} received: finishing work in flight, then stopping.\n`);
    handle.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  installProcessGuards({ logger: createLogger({ level: process.env.LOG_LEVEL ?? 'info' }), stop: () => handle.stop() });
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) void main();
