import { LogLevel, WebClient } from '@slack/web-api';
import { createReplier, replyWithError } from '../../handlers/reply';
import { LookoutError } from '../../src/errors';
import { DEFAULT_OUTBOUND, slackClientOptions } from '../../src/outbound';
import { startSilentServer, type SilentServer } from '../helpers/silent-http';

// Issue 10 finding 4: the Slack WebClient (timeout 0 by default) and the response_url POST had no timeout.
let silent: SilentServer;
beforeEach(async () => {
  silent = await startSilentServer();
});
afterEach(() => silent.close());

// 200 ms where the test waits for a timeout; where it waits for an answer, a timeout a busy machine cannot reach.
const web = (requestMs = 200) =>
  new WebClient('xoxb-test', { slackApiUrl: `${silent.url}/api/`, logLevel: LogLevel.ERROR, ...slackClientOptions({ retries: 3, factor: 1, minTimeout: 10 }, { ...DEFAULT_OUTBOUND, slack: { requestMs, responseUrlMs: 200 } }) });

describe('Slack Web API calls', () => {
  it('carry a timeout (20 s by default), and a call that timed out is not sent again: it may have posted', async () => {
    expect(slackClientOptions({ retries: 3 }).timeout).toBe(20_000);
    await expect(web().chat.postMessage({ channel: 'C1', text: 'hello' })).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
    expect(silent.requests.filter((r) => r.includes('chat.postMessage'))).toHaveLength(1);
  });

  it('still retry an answer that surely did not take effect (HTTP 503)', async () => {
    let n = 0;
    silent.answer(() => (++n === 1 ? { status: 503, body: 'busy' } : { status: 200, body: '{"ok":true,"channel":"C1","ts":"1.0"}', headers: { 'content-type': 'application/json' } }));
    await expect(web(30_000).chat.postMessage({ channel: 'C1', text: 'hello' })).resolves.toMatchObject({ ok: true });
    expect(n).toBe(2);
  });
});

describe('the response_url reply', () => {
  it('that never answers: the error reply finishes with a logged failure, nothing hangs', async () => {
    const warn = jest.fn();
    const logger = { info: jest.fn(), error: jest.fn(), warn } as never;
    const reply = createReplier(web(), { channelId: 'C1', userId: 'U1', responseUrl: `${silent.url}/commands/T1/123/abc` }, { responseUrlTimeoutMs: 200 });
    const failed = await replyWithError(new LookoutError('upstream', 'AMP failed.'), reply, 'ref-1', logger);
    expect(failed).toMatchObject({ outcome: 'error', detail: 'upstream' });
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ ref: 'ref-1' }), 'could not tell the user about a failure');
    expect(warn.mock.calls[0][0].err).toMatchObject({ code: 'upstream', message: 'Slack did not take the reply in time.' });
    expect(silent.requests).toHaveLength(1);
  });
});
