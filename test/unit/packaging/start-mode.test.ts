import { chooseStartMode, NO_SLACK_CREDENTIALS } from '../../../src/playground/mode';

// product.md §9 locally; the image (NODE_ENV=production) only runs the playground when asked, on every interface.
describe('what npm start and the image run', () => {
  test.each([
    [{}, { kind: 'playground', host: '127.0.0.1' }],
    [{ NODE_ENV: 'development' }, { kind: 'playground', host: '127.0.0.1' }],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, { kind: 'slack' }],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, { kind: 'slack' }], // startLookout then says the bot token is missing
    [{ NODE_ENV: 'production', SLACK_BOT_TOKEN: 'xoxb-1' }, { kind: 'slack' }],
    [{ NODE_ENV: 'production' }, { kind: 'refuse', message: NO_SLACK_CREDENTIALS }],
    [{ NODE_ENV: 'production', SLACK_BOT_TOKEN: '  ' }, { kind: 'refuse', message: NO_SLACK_CREDENTIALS }],
    [{ LOOKOUT_PLAYGROUND: '0' }, { kind: 'refuse', message: NO_SLACK_CREDENTIALS }],
    [{ NODE_ENV: 'production', LOOKOUT_PLAYGROUND: '1' }, { kind: 'playground', host: '0.0.0.0' }],
    [{ LOOKOUT_PLAYGROUND: '1', SLACK_BOT_TOKEN: 'xoxb-1' }, { kind: 'playground', host: '0.0.0.0' }],
    [{ NODE_ENV: 'production', LOOKOUT_PLAYGROUND: '' }, { kind: 'refuse', message: NO_SLACK_CREDENTIALS }],
  ])('%j → %j', (env, mode) => {
    expect(chooseStartMode(env)).toEqual(mode);
  });

  it('names what to set when it refuses', () => {
    expect(NO_SLACK_CREDENTIALS).toMatch(/SLACK_BOT_TOKEN.*SLACK_SIGNING_SECRET.*SLACK_APP_TOKEN.*LOOKOUT_PLAYGROUND=1/s);
    expect(chooseStartMode({ LOOKOUT_PLAYGROUND: 'yes' })).toEqual({ kind: 'refuse', message: 'LOOKOUT_PLAYGROUND must be 1 (serve the playground) or 0, not "yes".' });
  });
});
