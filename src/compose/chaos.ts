import { accountTarget } from '../policy/accounts';
import type { ComposeInput } from './types';
import type { MetricsBackend } from './metrics';
import { GUARD_USER } from '../chaos/guard-watch';
import { lazy } from './lazy';
import type { AwsTarget } from '../ports/aws';
import { createSandboxFis } from '../sandbox/fis';
import { createChaosService, type ChaosService } from '../chaos/service';

/** /chaos over FIS, or over the sandbox's simulated experiments in the playground. */
export function composeChaos(o: ComposeInput, metrics?: MetricsBackend): ChaosService {
  const fis = lazy(() => (require('../aws/fis') as typeof import('../aws/fis')).fisExperiments({ env: o.env, observe: o.observeAws, accountIdOf: async (t) => (await o.accounts.identity(t)).accountId }));
  const experiments = o.sandbox ? (o.sandboxFis ?? createSandboxFis({ clock: o.clock })).forTarget : (t: AwsTarget) => fis()(t);
  return createChaosService({
    store: o.store,
    clock: o.clock,
    config: o.config.lookout,
    experiments,
    // Stored requests and watched experiments reach AWS again as the person who acted (SourceIdentity).
    resolveTarget: (ref) => accountTarget(o.accounts, o.config.lookout, { name: ref.accountName, accountId: ref.accountId, region: ref.region }, ref.actor),
    membership: o.membership,
    // Guards query as themselves (SourceIdentity slack-<team>-lookout-guard where the backend assumes a role).
    ...(metrics && (o.sandbox || o.config.lookout.metrics) ? { guardQuery: (_account, teamId) => metrics.guardProm({ teamId, userId: GUARD_USER }) } : {}),
    log: o.log,
    options: o.chaosOptions,
  });
}
