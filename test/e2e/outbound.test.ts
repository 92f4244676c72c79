import fs from 'node:fs';
import { createAwsAccounts } from '../../src/aws/accounts';
import { DEFAULT_OUTBOUND } from '../../src/outbound';
import { startBench, textOf, type Bench } from '../helpers/app';
import { startFloodServer, type FloodServer } from '../helpers/flood-http';
import { startSilentServer, type SilentServer } from '../helpers/silent-http';
import { lastJsonLine, runChild, transpileTree } from '../helpers/transpile-tree';

// Issue 10 findings 2 and 4, through the real app against the Slack stand-in.
const CHANNEL = 'C0OUTBOUND';
const ALICE = 'U0ALICE01';
const MiB = 1024 * 1024;

describe('e2e: a Prometheus answering 1M series to /metrics series', () => {
  const SERIES = 1_000_000;
  let flood: FloodServer;
  let js: string;
  beforeAll(async () => {
    js = transpileTree();
    // ~100 bytes a series: a 100 MB answer, streamed with back-pressure, never built in memory.
    const labels = (i: number) => `{"__name__":"flood","job":"flood","instance":"host-${String(i).padStart(7, '0')}","zone":"eu-west-1a","x":"${'y'.repeat(20)}"}`;
    flood = await startFloodServer((path) => (path.startsWith('/api/v1/series') ? { head: '{"status":"success","data":[', item: labels, count: SERIES, tail: ']}' } : undefined));
  });
  afterAll(async () => {
    await flood.close();
    fs.rmSync(js, { recursive: true, force: true });
  });

  it('gets a refusal with advice; the bytes read stop at the cap and the RSS of the Lookout process stays under 300 MB', async () => {
    // The real app runs in a child process of its own, so its RSS is Lookout's alone, not this jest worker's history.
    const { code, out, err, scan } = await runChild(js, 'flood-child', { FLOOD_URL: flood.url, LOG_LEVEL: 'silent' });
    expect({ code, err }).toEqual({ code: 0, err: '' });
    // Issue 13 item 8: the child's debug log, its Slack calls and messages, audit rows and /metrics carry no canary.
    expect(scan.hits).toEqual([]);
    expect(scan.logLines).toBeGreaterThan(0);
    expect(scan.messages).toBeGreaterThan(0);
    const { text, rss, before } = lastJsonLine<{ text: string; rss: number; before: number }>(out);
    expect(text).toContain(`larger than ${DEFAULT_OUTBOUND.maxBytes.list / MiB} MiB`);
    expect(text).toMatch(/Narrow the selector/);
    for (let i = 0; i < 1000 && flood.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    // The stand-in counts what it handed to the socket; the kernel's loopback buffers hold a few MB the app never read.
    expect(flood.sent[0]).toBeLessThan(DEFAULT_OUTBOUND.maxBytes.list + 8 * MiB);
    expect(flood.sent[0]).toBeLessThan(SERIES * 100 * 0.2);
    expect(rss).toBeLessThan(300 * MiB);
    expect(rss - before).toBeLessThan(150 * MiB); // started with the app and its Slack stand-in
  }, 180_000);
});

describe('e2e: an STS endpoint that never answers', () => {
  const saved = { ...process.env };
  let silent: SilentServer;
  let bench: Bench;
  beforeAll(async () => {
    silent = await startSilentServer();
    // The STS client reads its endpoint and Lookout's own credentials from the process environment.
    Object.assign(process.env, { AWS_ENDPOINT_URL_STS: silent.url, AWS_ACCESS_KEY_ID: 'AKIDLOOKOUT', AWS_SECRET_ACCESS_KEY: 'secret' });
    const accounts = createAwsAccounts({ clock: { now: () => Date.now(), sleep: async () => undefined }, outbound: { ...DEFAULT_OUTBOUND, aws: { connectMs: 1_000, requestMs: 300 } } });
    const yaml = `accounts:\n  prod: { roleArn: "arn:aws:iam::111111111111:role/lookout", region: us-east-1 }\nchannels:\n  default: { account: prod, allow: ["*"] }\n`;
    bench = await startBench({ yaml, env: { AWS_ENDPOINT_URL_FIS: silent.url }, start: { accounts } });
  });
  afterAll(async () => {
    process.env = { ...saved };
    await bench.stop();
    await silent.close();
  });

  it('gives the user a timeout message, and the next command works once STS answers (the hung call was not cached)', async () => {
    await bench.driver.command('/chaos', 'list', { user: ALICE, channel: CHANNEL });
    const timedOut = await bench.slack.waitFor((c) => /did not answer in time/.test(textOf(c.args)), 30_000);
    expect(textOf(timedOut.args)).toMatch(/assuming the role/);

    silent.answer((req, body) => {
      if (body.includes('Action=AssumeRole')) {
        const expires = new Date(Date.now() + 3600_000).toISOString();
        return {
          status: 200,
          body: `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAPROD</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>${expires}</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`,
        };
      }
      if (req.url?.startsWith('/experimentTemplates')) return { status: 200, body: '{"experimentTemplates":[]}', headers: { 'content-type': 'application/json' } };
      return undefined;
    });
    const since = bench.slack.calls.length;
    await bench.driver.command('/chaos', 'list', { user: ALICE, channel: CHANNEL });
    const listed = await bench.slack.waitFor((c) => /No FIS experiment templates/.test(textOf(c.args)), { timeoutMs: 30_000, since });
    expect(textOf(listed.args)).toMatch(/Experiment templates \(0\)/);
  });
});
