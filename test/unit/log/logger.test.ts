import { Writable } from 'node:stream';
import { createLogger } from '../../../src/log/logger';
import { boltLogger } from '../../../src/log/bolt-logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, destination, text: () => lines.join('') };
}

describe('logger redaction', () => {
  const secrets = {
    botToken: 'xoxb-1111-2222-abcdefghijkl',
    appToken: 'xapp-1-A111-222-abcdef0123',
    signingSecret: '8f14e45fceea167a5a36dedd4bea2543',
    awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ',
    bearer: 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
  };

  it('never writes tokens, the signing secret, AWS secrets or Authorization headers', () => {
    const out = capture();
    const log = createLogger({ level: 'debug', destination: out.destination });
    log.info({ config: { slackBotToken: secrets.botToken, slackSigningSecret: secrets.signingSecret, slackAppToken: secrets.appToken } }, 'config loaded');
    log.info({ credentials: { accessKeyId: 'ASIAEXAMPLEEXAMPLE12', secretAccessKey: secrets.awsSecret, sessionToken: secrets.sessionToken } }, 'assumed role');
    log.info({ req: { headers: { Authorization: secrets.bearer, 'x-slack-signature': 'v0=abc123def456' } } }, 'request');
    log.warn(`token leaked into a message: ${secrets.botToken} and ${secrets.appToken}`);
    log.error({ err: new Error(`call failed with ${secrets.bearer}`) }, 'failure');
    boltLogger(log).error(`bolt says ${secrets.botToken}`);
    const text = out.text();
    for (const [name, value] of Object.entries(secrets)) expect({ name, leaked: text.includes(value) }).toEqual({ name, leaked: false });
    expect(text).not.toContain('ASIAEXAMPLEEXAMPLE12');
    expect(text).not.toContain('v0=abc123def456');
    expect(text).toContain('[REDACTED]');
    // Non-secret context survives.
    expect(text).toContain('assumed role');
    expect(text).toContain('"credentials":"[REDACTED]"');
  });

  it('writes JSON lines with the level as a label and the bound request id', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.destination }).child({ requestId: 'lk-0123abcd' });
    log.info({ outcome: 'ok' }, 'command finished');
    const line = JSON.parse(out.lines[0]);
    expect(line).toMatchObject({ level: 'info', requestId: 'lk-0123abcd', outcome: 'ok', msg: 'command finished', app: 'lookout' });
  });

  it('keeps LOG_LEVEL authoritative over Bolt', () => {
    const out = capture();
    const bolt = boltLogger(createLogger({ level: 'warn', destination: out.destination }));
    bolt.setLevel('debug' as never);
    bolt.info('chatty');
    bolt.warn('important');
    expect(out.text()).not.toContain('chatty');
    expect(out.text()).toContain('important');
  });
});
