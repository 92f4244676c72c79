import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createAwsAccounts, sourceIdentity } from '../../../src/aws/accounts';
import { ManualClock } from '../../helpers/manual-clock';
import { LookoutError } from '../../../src/errors';

const sts = mockClient(STSClient);
const ROLE = 'arn:aws:iam::111111111111:role/lookout';
const actor = { teamId: 'T0TEAM', userId: 'U0ALICE01' };
const account = { name: 'prod', roleArn: ROLE, accountId: '111111111111', region: 'us-east-1' };

describe('AWS accounts (STS)', () => {
  let clock: ManualClock;
  beforeEach(() => {
    sts.reset();
    clock = new ManualClock();
    sts.on(AssumeRoleCommand).callsFake(() => ({
      Credentials: { AccessKeyId: 'ASIA0000000000000001', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(clock.now() + 3600_000) },
    }));
  });

  it("assumes the channel account's role with the person's SourceIdentity", async () => {
    const accounts = createAwsAccounts({ clock });
    const target = await accounts.target(account, actor);
    expect(target).toMatchObject({ accountName: 'prod', accountId: '111111111111', region: 'us-east-1' });
    const creds = await target.credentials!();
    expect(creds.accessKeyId).toBe('ASIA0000000000000001');
    const input = sts.commandCalls(AssumeRoleCommand)[0].args[0].input;
    expect(input).toEqual({ RoleArn: ROLE, RoleSessionName: 'lookout-U0ALICE01', SourceIdentity: 'slack-T0TEAM-U0ALICE01', DurationSeconds: 3600 });
  });

  it('caches credentials per role and person until shortly before they expire', async () => {
    const accounts = createAwsAccounts({ clock });
    const target = await accounts.target(account, actor);
    await target.credentials!();
    await accounts.target(account, actor);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    await accounts.target(account, { ...actor, userId: 'U0BOB0001' });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    await clock.advance(56 * 60_000); // within 5 minutes of expiry: refreshed
    await target.credentials!();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(3);
  });

  it("uses Lookout's own credentials when the account has no role", async () => {
    const accounts = createAwsAccounts({ clock });
    const target = await accounts.target({ name: 'default', region: 'eu-west-1' }, actor);
    expect(target.credentials).toBeUndefined();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('turns a refused AssumeRole into an access_denied error that names the role, and retries next time', async () => {
    sts.on(AssumeRoleCommand).rejectsOnce(Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403, requestId: 'req-123' } }))
      .resolves({ Credentials: { AccessKeyId: 'ASIA0000000000000002', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(clock.now() + 3600_000) } });
    const accounts = createAwsAccounts({ clock });
    const err = await accounts.target(account, actor).catch((e) => e);
    expect(err).toBeInstanceOf(LookoutError);
    expect(err.code).toBe('access_denied');
    expect(err.message).toContain(ROLE);
    expect(err.requestIds).toEqual(['req-123']);
    await expect(accounts.target(account, actor)).resolves.toBeDefined();
  });

  it('reads and caches the caller identity', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '999999999999', Arn: 'arn:aws:iam::999999999999:user/lookout' });
    const accounts = createAwsAccounts({ clock });
    const target = await accounts.target({ name: 'default', region: 'us-east-1' }, actor);
    await expect(accounts.identity(target)).resolves.toEqual({ accountId: '999999999999', arn: 'arn:aws:iam::999999999999:user/lookout' });
    await accounts.identity(target);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('never caches a call in flight: a second command does not wait on a hung AssumeRole (issue 10)', async () => {
    const creds = { AccessKeyId: 'ASIA0000000000000003', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(clock.now() + 3600_000) };
    sts.on(AssumeRoleCommand).callsFakeOnce(() => new Promise(() => undefined)).resolves({ Credentials: creds });
    const accounts = createAwsAccounts({ clock });
    const hung = accounts.target(account, actor);
    const settled = jest.fn();
    hung.then(settled, settled);
    const next = await accounts.target(account, actor);
    await expect(next.credentials!()).resolves.toMatchObject({ accessKeyId: 'ASIA0000000000000003' });
    expect(settled).not.toHaveBeenCalled();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('never caches a failed or hung identity lookup', async () => {
    sts.on(GetCallerIdentityCommand).callsFakeOnce(() => new Promise(() => undefined)).resolves({ Account: '999999999999', Arn: 'arn:aws:iam::999999999999:user/lookout' });
    const accounts = createAwsAccounts({ clock });
    const target = await accounts.target({ name: 'default', region: 'us-east-1' }, actor);
    void accounts.identity(target);
    await expect(accounts.identity(target)).resolves.toMatchObject({ accountId: '999999999999' });
  });

  it('builds SourceIdentity within STS limits', () => {
    expect(sourceIdentity({ teamId: 'T1', userId: 'U1' })).toBe('slack-T1-U1');
    expect(sourceIdentity({ teamId: 'T'.repeat(40), userId: 'U'.repeat(40) })).toHaveLength(64);
  });
});
