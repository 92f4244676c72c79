import type { LookoutConfig } from '../../../src/config/types';
import { createChaosService, type ChaosServiceDeps } from '../../../src/chaos/service';
import type { ChaosEvent } from '../../../src/chaos/service';
import type { AwsTarget } from '../../../src/ports/aws';
import { ManualClock } from '../../helpers/manual-clock';
import type { Experiments } from '../../../src/ports/experiments';
import type { Store } from '../../../src/ports/store';
import { SANDBOX_ACCOUNT_ID, createSandboxFis, type SandboxFis } from '../../../src/sandbox/fis';

export const CHANNEL = 'C0CHAOS';
export const TEAM = 'T0TEAM';
export const target: AwsTarget = { accountName: 'sandbox', accountId: SANDBOX_ACCOUNT_ID, region: 'us-east-1' };
export const actor = (userId: string) => ({ teamId: TEAM, userId });

/** A configuration with one chaos channel; `chaos` and channel keys override the defaults. */
export function chaosConfig(o: { chaos?: Partial<LookoutConfig['chaos']>; channel?: Partial<LookoutConfig['channels'][string]> } = {}): LookoutConfig {
  return {
    present: true,
    aws: { region: 'us-east-1' },
    accounts: {},
    admins: [],
    chaos: {
      approvalTtlMs: 30 * 60_000,
      allowSelfApproval: false,
      requireStopConditions: true,
      maxRunning: 1,
      timezone: 'UTC',
      freeze: [],
      guards: [],
      guardIntervalMs: 15_000,
      guardFailures: 3,
      watchMetrics: [],
      ...o.chaos,
    },
    reach: { minWatchIntervalMs: 15 * 60_000 },
    limits: { perUserPerMinute: 20, perChannelPerMinute: 60 },
    channels: { [CHANNEL]: { allow: ['*'], approvers: ['U0ALICE', 'U0BOB', 'S0SRE'], minApprovals: 1, ...o.channel } },
    reports: [],
  };
}

/** Counts StartExperiment calls on the port (what "exactly one experiment" is measured by). */
export function countingStarts(inner: Experiments): { experiments: Experiments; starts: () => number } {
  let n = 0;
  return {
    experiments: { ...inner, start: (input) => (n++, inner.start(input)) },
    starts: () => n,
  };
}

export interface Harness {
  clock: ManualClock;
  sandbox: SandboxFis;
  events: ChaosEvent[];
  starts: () => number;
  service: ReturnType<typeof createChaosService>;
}

/** A chaos service on the sandbox FIS and the given store; previews off unless asked for. */
export function makeService(
  store: Store,
  o: { clock?: ManualClock; sandbox?: SandboxFis; config?: LookoutConfig; deps?: Partial<ChaosServiceDeps> } = {},
): Harness {
  const clock = o.clock ?? new ManualClock();
  const sandbox = o.sandbox ?? createSandboxFis({ clock, seedHistory: false });
  const counted = countingStarts(sandbox.experiments);
  const events: ChaosEvent[] = [];
  let ids = 0;
  const service = createChaosService({
    store,
    clock,
    config: o.config ?? chaosConfig(),
    experiments: () => counted.experiments,
    resolveTarget: async () => target,
    newId: () => `chq-test-${++ids}-${Math.random().toString(36).slice(2, 8)}`,
    options: { dryRunPreview: false, pollMs: 1000 },
    ...o.deps,
  });
  service.subscribe((e) => void events.push(e));
  return { clock, sandbox, events, starts: counted.starts, service };
}

/** Advances a ManualClock in steps until the promise settles (for code that polls with clock.sleep). */
export async function driveClock<T>(clock: ManualClock, p: Promise<T>, stepMs = 1000, maxSteps = 600): Promise<T> {
  let done = false;
  const settled = p.finally(() => {
    done = true;
  });
  for (let i = 0; i < maxSteps && !done; i++) {
    // Let the code under test reach its next sleep before time moves (or finish without one).
    for (let w = 0; w < 200 && clock.pending === 0 && !done; w++) await new Promise((r) => setTimeout(r, 1));
    if (!done) await clock.advance(stepMs);
  }
  return settled;
}

/** Advances the clock step by step (letting real I/O finish in between) until `done()` holds. */
export async function advanceUntil(clock: ManualClock, done: () => boolean, stepMs = 1000, maxSteps = 1000): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (done()) return;
    // Advance only while something sleeps on the clock, so no poll is skipped while it is busy with I/O.
    for (let w = 0; w < 200 && clock.pending === 0 && !done(); w++) await new Promise((r) => setTimeout(r, 5));
    if (done()) return;
    await clock.advance(stepMs);
  }
  if (!done()) throw new Error(`condition not reached after ${maxSteps} steps of ${stepMs} ms`);
}
