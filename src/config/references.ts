import { SLACK_USER_OR_GROUP } from './fields';

/**
 * Checks that span sections of lookout.yml: names that must refer to something defined elsewhere, and
 * approval counts that could never be reached. Runs even when other parts of the file have problems (so
 * every problem is listed at once), so it reads the raw YAML value defensively rather than zod's output:
 * zod skips refinements, even `when` ones, once a check such as `.int()` has aborted.
 */
export type Path = (string | number)[];
export interface Reference {
  path: Path;
  message: string;
}
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function checkReferences(file: unknown, env: Record<string, string | undefined>): Reference[] {
  const found: Reference[] = [];
  if (!isObj(file)) return found;
  const add = (path: Path, message: string) => found.push({ path, message });
  const names = isObj(file.accounts) ? Object.keys(file.accounts) : undefined;
  const checkName = (path: Path, name: string | undefined, required: boolean) => {
    if (name === undefined) return;
    if (names === undefined) {
      if (required) add(path, `no accounts are defined: add accounts.${name} with its roleArn`);
    } else if (!names.includes(name)) {
      add(path, `no account named ${JSON.stringify(name)} under accounts (defined: ${names.join(', ') || 'none'})`);
    }
  };

  const channels = isObj(file.channels) ? file.channels : {};
  const fallback = isObj(channels.default) ? channels.default : {};
  for (const [key, ch] of Object.entries(channels)) {
    if (!isObj(ch)) continue;
    const base = key === 'default' ? {} : fallback;
    checkName(['channels', key, 'account'], str(ch.account), false);
    strings(ch.accounts)?.forEach((n, i) => checkName(['channels', key, 'accounts', i], n, false));
    checkChannelAccount(key, ch, base, add);
    checkApprovalCount(key, ch, base, add);
  }

  const metrics = isObj(file.metrics) ? file.metrics : {};
  const grafana = isObj(file.grafana) ? file.grafana : {};
  if (isObj(metrics.amp)) checkName(['metrics', 'amp', 'account'], str(metrics.amp.account), true);
  if (isObj(grafana.amg)) checkName(['grafana', 'amg', 'account'], str(grafana.amg.account), true);

  const checkEnv = (path: Path, name: string | undefined) => {
    if (name !== undefined && !env[name]) add(path, `environment variable ${name} is not set`);
  };
  if (isObj(metrics.prometheus)) {
    for (const k of ['tokenEnv', 'usernameEnv', 'passwordEnv']) checkEnv(['metrics', 'prometheus', k], str(metrics.prometheus[k]));
  }
  // With amg, tokenEnv is itself a problem (schema.ts); its variable does not matter then.
  if (grafana.amg === undefined) checkEnv(['grafana', 'tokenEnv'], str(grafana.tokenEnv));
  return found;
}

/** The channel's account (own or inherited from default) must be one `--account` can pick. */
function checkChannelAccount(key: string, ch: Obj, base: Obj, add: (p: Path, m: string) => void): void {
  const account = str(ch.account) ?? str(base.account);
  const accounts = strings(ch.accounts) ?? strings(base.accounts);
  if (account === undefined || accounts === undefined || accounts.includes(account)) return;
  if (ch.account !== undefined) {
    add(['channels', key, 'account'], `must be one of this channel's accounts (${accounts.join(', ')})`);
  } else if (ch.accounts !== undefined) {
    add(['channels', key, 'accounts'], `does not include ${account}, the account this channel takes from default; add it or set account`);
  }
}

/**
 * minApprovals above the number of listed approvers could never be met. With a user group among the
 * approvers the group's size is unknown here, so the check is skipped.
 */
function checkApprovalCount(key: string, ch: Obj, base: Obj, add: (p: Path, m: string) => void): void {
  if (ch.approvers === undefined && ch.minApprovals === undefined) return;
  const approvers = strings(ch.approvers) ?? strings(base.approvers) ?? [];
  const min = ch.minApprovals ?? base.minApprovals;
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 1) return;
  const valid = approvers.filter((a) => SLACK_USER_OR_GROUP.test(a));
  if (valid.some((a) => a.startsWith('S'))) return;
  const users = new Set(valid);
  if (min <= users.size) return;
  const where = ch.minApprovals !== undefined ? 'minApprovals' : 'approvers';
  const listed = users.size === 0 ? 'no approvers are listed' : `only ${users.size} approver${users.size === 1 ? ' is' : 's are'} listed`;
  add(['channels', key, where], `${min} approval${min === 1 ? '' : 's'} needed but ${listed}`);
}
