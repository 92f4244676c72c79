import { isLookoutError, type ErrorCode } from '../../../src/errors';
import { resolveAccount } from '../../../src/policy/permissions';
import { configuredAccounts } from '../../../src/policy/accounts';
import { PRODUCT_EXAMPLE } from '../config/example';
import { configFrom } from './config';

const example = configFrom(PRODUCT_EXAMPLE);
const noEnvRegion = { awsRegion: undefined };

function failure(fn: () => unknown): { code: ErrorCode; message: string } {
  try {
    fn();
  } catch (e) {
    if (isLookoutError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a LookoutError');
}

describe('resolveAccount', () => {
  it('the channel’s account, with its role, id and region', () => {
    expect(resolveAccount(example, noEnvRegion, 'C0123ABCDEF')).toEqual({
      name: 'prod',
      roleArn: 'arn:aws:iam::111111111111:role/lookout',
      accountId: '111111111111',
      region: 'us-east-1',
    });
  });

  it('an unlisted channel takes default’s account', () => {
    expect(resolveAccount(example, noEnvRegion, 'C0OTHER')).toMatchObject({ name: 'staging', accountId: '222222222222', region: 'eu-west-1' });
  });

  it('--account picks among the channel’s accounts', () => {
    expect(resolveAccount(example, noEnvRegion, 'C0123ABCDEF', { account: 'staging' })).toMatchObject({ name: 'staging', region: 'eu-west-1' });
  });

  it('--account outside the channel’s accounts is forbidden, naming the choices', () => {
    const f = failure(() => resolveAccount(example, noEnvRegion, 'C0OTHER', { account: 'prod' }));
    expect(f.code).toBe('forbidden');
    expect(f.message).toContain('`staging`');
  });

  it('--account naming no account is a usage error', () => {
    const f = failure(() => resolveAccount(example, noEnvRegion, 'C0123ABCDEF', { account: '<!here>' }));
    expect(f.code).toBe('usage');
    expect(f.message).toContain('`prod`, `staging`');
    expect(f.message).not.toContain('<!here>');
  });

  it.each<[string, string | null, { account?: string; region?: string }, string | undefined, string]>([
    ['--region beats everything', PRODUCT_EXAMPLE, { region: 'ap-south-1' }, 'sa-east-1', 'ap-south-1'],
    ['account region beats aws.region', PRODUCT_EXAMPLE, { account: 'staging' }, 'sa-east-1', 'eu-west-1'],
    ['aws.region beats AWS_REGION', 'aws: { region: us-west-2 }\naccounts: { a: {} }\nchannels: { default: { account: a, allow: [] } }', {}, 'sa-east-1', 'us-west-2'],
    ['AWS_REGION last', 'channels: { default: { allow: [] } }', {}, 'sa-east-1', 'sa-east-1'],
    ['no configuration: AWS_REGION', null, {}, 'eu-north-1', 'eu-north-1'],
  ])('region: %s', (_name, yaml, requested, envRegion, region) => {
    const channelId = 'C0123ABCDEF';
    expect(resolveAccount(configFrom(yaml), { awsRegion: envRegion }, channelId, requested).region).toBe(region);
  });

  it('no region anywhere is a configuration problem saying how to set one', () => {
    const f = failure(() => resolveAccount(configFrom(null), noEnvRegion, 'C1'));
    expect(f.code).toBe('config');
    expect(f.message).toMatch(/--region.*aws\.region.*AWS_REGION/s);
  });

  it('a --region that is not a region name is a usage error', () => {
    expect(failure(() => resolveAccount(example, noEnvRegion, 'C0123ABCDEF', { region: 'us-est' })).code).toBe('usage');
  });

  it('without accounts, Lookout’s own credentials under the name default', () => {
    expect(resolveAccount(configFrom(null), { awsRegion: 'us-east-1' }, 'C1')).toEqual({ name: 'default', region: 'us-east-1' });
    const f = failure(() => resolveAccount(configFrom(null), { awsRegion: 'us-east-1' }, 'C1', { account: 'prod' }));
    expect(f.code).toBe('usage');
  });

  it('a channel account label without an accounts section uses own credentials under that name', () => {
    const c = configFrom('channels: { C1: { account: prod, allow: [] } }');
    expect(resolveAccount(c, { awsRegion: 'us-east-1' }, 'C1')).toEqual({ name: 'prod', region: 'us-east-1' });
    expect(resolveAccount(c, { awsRegion: 'us-east-1' }, 'C1', { account: 'prod' }).name).toBe('prod');
  });

  it('a channel with accounts but no account uses the first listed', () => {
    const c = configFrom('accounts: { a: { region: eu-west-1 }, b: {} }\nchannels: { C1: { accounts: [b, a], allow: [] } }');
    expect(resolveAccount(c, { awsRegion: 'us-east-1' }, 'C1')).toEqual({ name: 'b', region: 'us-east-1' });
  });
});

describe('configuredAccounts', () => {
  it('every account under accounts, with its role and region', () => {
    expect(configuredAccounts(example, noEnvRegion)).toEqual({
      accounts: [
        { name: 'prod', roleArn: 'arn:aws:iam::111111111111:role/lookout', accountId: '111111111111', region: 'us-east-1' },
        { name: 'staging', roleArn: 'arn:aws:iam::222222222222:role/lookout', accountId: '222222222222', region: 'eu-west-1' },
      ],
      withoutRegion: [],
    });
  });

  it('channel account labels without an accounts section, and `default` when nothing is named', () => {
    const labels = configFrom('channels: { C1: { account: sbx, allow: [] }, C2: { accounts: [a, b], allow: [] } }');
    expect(configuredAccounts(labels, { awsRegion: 'eu-west-1' }).accounts.map((a) => `${a.name}@${a.region}`)).toEqual(['a@eu-west-1', 'b@eu-west-1', 'sbx@eu-west-1']);
    expect(configuredAccounts(configFrom(null), { awsRegion: 'us-west-2' }).accounts).toEqual([{ name: 'default', region: 'us-west-2' }]);
  });

  it('sets apart accounts no region can be found for', () => {
    const cfg = configFrom('accounts: { a: { region: us-east-1 }, b: {} }');
    expect(configuredAccounts(cfg, noEnvRegion)).toEqual({ accounts: [{ name: 'a', region: 'us-east-1' }], withoutRegion: ['b'] });
  });
});
