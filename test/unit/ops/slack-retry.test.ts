import { WebClient } from '@slack/web-api';
import { slackClientOptions } from '../../../src/outbound';
import { startSlackStandIn, type SlackStandIn } from '../../../src/playground/slack-stand-in';

// The real WebClient with Lookout's retry policy against the Slack stand-in: a 404 is asked once (asking again
// gets the same answer and holds a queue slot for 3.5 s of back-off), a 5xx is retried.
describe('Slack retry policy', () => {
  let slack: SlackStandIn;
  let web: WebClient;
  beforeAll(async () => {
    slack = await startSlackStandIn({ botToken: 'xoxb-retry-test' });
    web = new WebClient('xoxb-retry-test', { slackApiUrl: slack.apiUrl, ...slackClientOptions({ retries: 3, factor: 2, minTimeout: 500 }) });
  });
  afterAll(() => slack.close());
  beforeEach(() => slack.reset());

  it.each([404, 400, 403])('an HTTP %i is not retried', async (status) => {
    slack.script('chat.postMessage', { status }, { times: Infinity });
    await expect(web.chat.postMessage({ channel: slack.defaultChannel, text: 'hi' })).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: status });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('a 503 is retried and the retry can succeed', async () => {
    slack.script('chat.postMessage', { status: 503 }, { times: 1 });
    const res = await web.chat.postMessage({ channel: slack.defaultChannel, text: 'hi' });
    expect(res.ok).toBe(true);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
  });
});
