import { startBench, textOf, type Bench } from '../helpers/app';
import type { AwsAccounts } from '../../src/ports/aws';

const OPS = 'C0OPS00001';
const ELSEWHERE = 'C0ELSEWHRE';
const ALICE = 'U0ALICE01'; // admin
const CAROL = 'U0CAROL01';
const yaml = `
admins: [${ALICE}]
aws: { region: us-east-1 }
accounts:
  prod: { roleArn: "arn:aws:iam::111111111111:role/lookout" }
  staging: { roleArn: "arn:aws:iam::222222222222:role/lookout" }
channels:
  ${OPS}: { account: staging, allow: [reach] }
`;

/** /lookout status (issue 10, finding 7): needs a verb here, assumes only roles the caller could use from here. */
describe('e2e /lookout status', () => {
  let bench: Bench;
  const assumed: string[] = [];
  const accounts: AwsAccounts = {
    async target(a) {
      assumed.push(a.name);
      if (a.name === 'staging') throw Object.assign(new Error('socket hang up at TLSSocket.onConnectEnd (node:_tls_wrap:1727:19)'), { code: 'ECONNRESET' });
      return { accountName: a.name, region: a.region };
    },
    identity: async (t) => ({ accountId: '111111111111', arn: `arn:aws:sts::111111111111:assumed-role/lookout/${t.accountName}` }),
  };
  beforeAll(async () => {
    bench = await startBench({ yaml, start: { accounts } });
  });
  afterAll(() => bench.stop());
  beforeEach(() => {
    bench.slack.reset();
    assumed.length = 0;
  });

  async function status(user: string, channel: string): Promise<string> {
    await bench.driver.command('/lookout', 'status', { user, channel });
    return textOf((await bench.slack.waitFor('response_url')).args);
  }

  it('in a channel where the caller may run nothing, is refused and assumes no role', async () => {
    expect(await status(CAROL, ELSEWHERE)).toMatch(/may not run any Lookout command in this channel/);
    expect(assumed).toEqual([]);
  });

  it('checks only the channel’s account, and shows a classified failure instead of the exception text', async () => {
    const text = await status(CAROL, OPS);
    expect(assumed).toEqual(['staging']);
    expect(text).toContain('AWS staging');
    expect(text).not.toContain('AWS prod');
    expect(text).toMatch(/failed unexpectedly \(reference lk-[0-9a-f]{10}\)/);
    expect(text).not.toMatch(/socket hang up|_tls_wrap/);
  });

  it('an admin gets every account checked', async () => {
    const text = await status(ALICE, ELSEWHERE);
    expect(assumed.sort()).toEqual(['prod', 'staging']);
    expect(text).toContain('AWS prod');
  });
});
