import {
  type Experiment as FisExperiment,
  FisClient,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  ListExperimentResolvedTargetsCommand,
  ListExperimentsCommand,
  ListExperimentTemplatesCommand,
  StartExperimentCommand,
  StopExperimentCommand,
  TagResourceCommand,
} from '@aws-sdk/client-fis';
import { LookoutError } from '../errors';
import type { AwsTarget } from '../ports/aws';
import type { Experiments } from '../ports/experiments';
import type { Experiment } from '../chaos/model';
import { sendActionsMode } from './fis-dry-run';
import { fisError, type FisCallContext } from './fis-errors';
import { toExperiment, toExperimentSummary, toResolvedTarget, toTemplate, toTemplateSummary } from './fis-map';
import { escapeText } from '../text';
import { instrument, type AwsCallObserver } from './instrument';
import { changeAws } from '../aws-request-ids';
import { sdkTimeouts } from './sdk-client';
import type { OutboundPolicy } from '../outbound';

export interface FisAdapterOptions {
  /** Where AWS_ENDPOINT_URL_FIS / AWS_ENDPOINT_URL are read from (the 3.523.0 client does not read them itself). */
  env?: Record<string, string | undefined>;
  /** Tests: a client of their own (aws-sdk-client-mock, or one with a capturing request handler). */
  clientFor?: (target: AwsTarget) => FisClient;
  observe?: AwsCallObserver;
  outbound?: OutboundPolicy;
  /** The account id when lookout.yml does not give one (STS GetCallerIdentity as the target, cached per account). */
  accountIdOf?: (target: AwsTarget) => Promise<string>;
}

// Every list is paged to the end, with a ceiling so a runaway nextToken cannot loop forever.
const MAX_PAGES = 50;

/**
 * A FIS client for one account and region: adaptive retries (aws-apis.md §6.1) and the outbound timeouts. The SDK's
 * retries are safe here: StartExperiment carries the request's clientToken, so a retried start is the same start.
 */
export function createFisClient(target: AwsTarget, env: Record<string, string | undefined> = process.env, outbound?: OutboundPolicy): FisClient {
  const endpoint = env.AWS_ENDPOINT_URL_FIS ?? env.AWS_ENDPOINT_URL;
  return new FisClient({
    region: target.region,
    ...(target.credentials ? { credentials: target.credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 5,
    retryMode: 'adaptive',
    ...sdkTimeouts(outbound),
  });
}

/** The Experiments port factory main.ts passes to createChaosService. One client per target object. */
export function fisExperiments(opts: FisAdapterOptions = {}): (target: AwsTarget) => Experiments {
  const clients = new WeakMap<AwsTarget, FisClient>();
  return (target) => {
    let client = clients.get(target);
    if (!client) {
      client = opts.clientFor?.(target) ?? instrument(createFisClient(target, opts.env, opts.outbound), 'fis', opts.observe);
      clients.set(target, client);
    }
    return createFisExperiments(client, target, opts.accountIdOf && (() => opts.accountIdOf!(target)));
  };
}

/** The port over one FIS client. Every failure is a LookoutError (fis-errors.ts). */
export function createFisExperiments(client: FisClient, target: Pick<AwsTarget, 'accountName' | 'accountId' | 'region'>, accountIdOf?: () => Promise<string>): Experiments {
  const where = `account ${escape(target.accountName)} (${target.accountId ? `${target.accountId}, ` : ''}${escape(target.region)})`;
  const call = async <T>(action: string, subject: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw fisError(err, { action, subject, where } satisfies FisCallContext);
    }
  };
  const exp = (id: string) => `experiment \`${escape(id)}\``;
  const tpl = (id: string) => `experiment template \`${escape(id)}\``;
  /** GetExperiment and StopExperiment answer with the experiment, or nothing when there is no such experiment. */
  const found = (id: string, experiment: FisExperiment | undefined): Experiment => {
    if (!experiment) throw new LookoutError('not_found', `No ${exp(id)} in ${where}.`);
    return toExperiment(experiment);
  };

  const experiments: Experiments = {
    listTemplates: () =>
      call('fis:ListExperimentTemplates', 'experiment templates', () =>
        allPages(async (nextToken) => {
          const r = await client.send(new ListExperimentTemplatesCommand({ maxResults: 100, nextToken }));
          return { items: (r.experimentTemplates ?? []).map(toTemplateSummary), nextToken: r.nextToken };
        }),
      ),
    getTemplate: (id) =>
      call('fis:GetExperimentTemplate', tpl(id), async () => {
        const r = await client.send(new GetExperimentTemplateCommand({ id }));
        if (!r.experimentTemplate) throw new LookoutError('not_found', `No ${tpl(id)} in ${where}.`);
        return toTemplate(r.experimentTemplate);
      }),
    start: async (input) => {
      const started = await call('fis:StartExperiment', tpl(input.templateId), async () => {
        const command = new StartExperimentCommand({
          clientToken: input.clientToken,
          experimentTemplateId: input.templateId,
          tags: input.tags,
          // Typed out of this client version but kept, so a newer serializer sends it too.
          ...(input.actionsMode ? { experimentOptions: { actionsMode: input.actionsMode } } : {}),
        } as ConstructorParameters<typeof StartExperimentCommand>[0]);
        if (input.actionsMode) sendActionsMode(command, input.actionsMode);
        const r = await changeAws(() => client.send(command));
        if (!r.experiment?.id) throw new LookoutError('upstream', `FIS started no experiment for ${tpl(input.templateId)} in ${where}.`);
        return toExperiment(r.experiment);
      });
      if (input.actionsMode === 'skip-all' && started.actionsMode !== 'skip-all') await refuseUnconfirmedDryRun(experiments, started);
      return started;
    },
    get: (id) => call('fis:GetExperiment', exp(id), async () => found(id, (await client.send(new GetExperimentCommand({ id }))).experiment)),
    list: (opts = {}) =>
      call('fis:ListExperiments', 'experiments', async () => {
        const out = await allPages(async (nextToken) => {
          const r = await client.send(new ListExperimentsCommand({ maxResults: 100, nextToken }));
          return { items: (r.experiments ?? []).map(toExperimentSummary), nextToken: r.nextToken };
        });
        // 3.523.0 has no server-side template filter, and newest-first order is not documented: both done here.
        return out.filter((e) => !opts.templateId || e.templateId === opts.templateId).sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
      }),
    stop: (id) =>
      call('fis:StopExperiment', exp(id), async () => {
        const r = await changeAws(() => client.send(new StopExperimentCommand({ id })));
        return found(id, r.experiment);
      }),
    async tag(id, tags) {
      // TagResource takes the ARN; GetExperiment does not return one in this SDK, so it is built from the account.
      const accountId = target.accountId ?? (accountIdOf ? await call('sts:GetCallerIdentity', exp(id), accountIdOf) : undefined);
      if (!accountId) throw new LookoutError('config', `Cannot tag ${exp(id)}: the account id of ${where} is not configured.`);
      const resourceArn = `arn:aws:fis:${target.region}:${accountId}:experiment/${id}`;
      await call('fis:TagResource', exp(id), async () => void (await changeAws(() => client.send(new TagResourceCommand({ resourceArn, tags })))));
    },
    resolvedTargets: (experimentId) =>
      call('fis:ListExperimentResolvedTargets', exp(experimentId), () =>
        allPages(async (nextToken) => {
          const r = await client.send(new ListExperimentResolvedTargetsCommand({ experimentId, maxResults: 100, nextToken }));
          return { items: (r.resolvedTargets ?? []).map(toResolvedTarget), nextToken: r.nextToken };
        }),
      ),
  };
  return experiments;
}

/** Every page of a FIS list, up to MAX_PAGES (a runaway nextToken cannot loop forever). */
async function allPages<T>(page: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string }>): Promise<T[]> {
  const out: T[] = [];
  let nextToken: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const r = await page(nextToken);
    out.push(...r.items);
    nextToken = r.nextToken;
    if (!nextToken) break;
  }
  return out;
}

// A dry run FIS did not confirm may be a real experiment: stop it before anything else, then refuse.
async function refuseUnconfirmedDryRun(experiments: Experiments, started: Experiment): Promise<never> {
  const stopped = await experiments.stop(started.id).then(
    () => 'was stopped at once',
    () => 'could not be stopped: stop it in the FIS console now',
  );
  throw new LookoutError('upstream', `FIS did not confirm the dry-run mode for experiment \`${escape(started.id)}\`, so it ${stopped}.`);
}

const escape = (s: string) => escapeText(s).replace(/`/g, 'ˋ');
