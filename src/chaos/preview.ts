import { randomBytes } from 'node:crypto';
import { isLookoutError } from '../errors';
import type { Clock } from '../ports/clock';
import { type Experiments } from '../ports/experiments';
import { LOOKOUT_TAGS, isTerminal, type Experiment, type TargetPreview } from './model';
import { escapeText, inlineCode } from '../text';

export interface PreviewOptions {
  clock: Clock;
  pollMs?: number;
  timeoutMs?: number;
  tags?: Record<string, string>;
}

// Before target resolution finishes there is nothing to list yet.
const RESOLVING = new Set(['pending', 'initiating']);

/**
 * Which resources a template would hit now, from a FIS target preview (`actionsMode: skip-all`). A preview is only
 * called verified when the start answer AND a later GetExperiment both say skip-all (aws-apis.md §0: client-fis
 * 3.523.0 silently drops the option). Anything else stops the experiment at once and says "preview unavailable".
 * Never throws.
 */
export async function previewTargets(experiments: Experiments, templateId: string, opts: PreviewOptions): Promise<TargetPreview> {
  const { clock } = opts;
  const pollMs = opts.pollMs ?? 2000;
  const deadline = clock.now() + (opts.timeoutMs ?? 60_000);
  let exp: Experiment;
  try {
    exp = await experiments.start({
      templateId,
      clientToken: `lookout-preview-${randomBytes(12).toString('hex')}`,
      tags: { ...opts.tags, [LOOKOUT_TAGS.preview]: 'true' },
      actionsMode: 'skip-all',
    });
  } catch (err) {
    return unavailable(`the dry run could not start (${describe(err)})`);
  }
  if (exp.actionsMode !== 'skip-all') return abort(experiments, exp.id, 'AWS did not confirm the dry-run mode when it started');
  // At least one GetExperiment must confirm skip-all, whatever the start answer said.
  let confirmed = false;
  try {
    while (!confirmed || RESOLVING.has(exp.status)) {
      if (confirmed) {
        if (clock.now() >= deadline) {
          await experiments.stop(exp.id).catch(() => undefined);
          return unavailable('the dry run did not resolve its targets in time');
        }
        await clock.sleep(pollMs);
      }
      exp = await experiments.get(exp.id);
      if (exp.actionsMode !== 'skip-all') return abort(experiments, exp.id, 'GetExperiment did not confirm the dry-run mode');
      confirmed = true;
    }
    if (isTerminal(exp.status) && exp.status !== 'completed') {
      const why = exp.reason ? `: ${escapeText(exp.reason)}` : '';
      return unavailable(`the dry run ended ${exp.status}${why}`);
    }
    const targets = await experiments.resolvedTargets(exp.id);
    return { status: 'verified', experimentId: exp.id, targets, at: clock.now() };
  } catch (err) {
    return unavailable(`the dry run could not be read back (${describe(err)})`);
  }
}

// Not verified as a dry run: it may be a real experiment, so stop it before anything else and say so plainly.
async function abort(experiments: Experiments, id: string, why: string): Promise<TargetPreview> {
  try {
    await experiments.stop(id);
    return unavailable(`${why}, so experiment ${inlineCode(id)} was stopped at once`);
  } catch (err) {
    return unavailable(`${why}, and stopping experiment ${inlineCode(id)} failed (${describe(err)}): stop it in the FIS console now`);
  }
}

function unavailable(reason: string): TargetPreview {
  return { status: 'unavailable', reason };
}

function describe(err: unknown): string {
  return isLookoutError(err) ? err.message : 'unexpected error';
}
