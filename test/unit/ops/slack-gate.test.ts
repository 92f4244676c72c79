import { SlackPostDropped, gateSlackCalls } from '../../../src/ops/slack-gate';

// The gate's bookkeeping with a stand-in fetch (the end-to-end behaviour is test/e2e/slack-channel-gate.test.ts):
// a post that gives up while waiting leaves the queue, and a slot is handed over, never shared.
const post = (channel: string) => ({ method: 'POST', body: `token=x&channel=${channel}&text=hi` });

function heldFetch() {
  const pending: { channel: string; release: () => void }[] = [];
  const inner = ((_url: string, init: { body: string }) =>
    new Promise<Response>((resolve) => pending.push({ channel: /channel=([^&]+)/.exec(init.body)![1], release: () => resolve(new Response('{"ok":true}')) }))) as unknown as typeof fetch;
  return { inner, pending };
}

const settled = () => new Promise((r) => setImmediate(r));

test('a waiting post whose signal aborts leaves the queue; the others go in order, two at a time', async () => {
  const { inner, pending } = heldFetch();
  const gated = gateSlackCalls(inner, { inFlight: 2, waiting: 2 });
  const url = 'http://slack.test/api/chat.postMessage';
  const first = [gated(url, post('C1')), gated(url, post('C1'))];
  const giveUp = new AbortController();
  const waitingA = gated(url, { ...post('C1'), signal: giveUp.signal });
  const waitingB = gated(url, post('C1'));
  await settled();
  expect(pending).toHaveLength(2);
  // The queue is full: one more is refused at once.
  await expect(gated(url, post('C1'))).rejects.toBeInstanceOf(SlackPostDropped);
  giveUp.abort(new Error('timed out'));
  await expect(waitingA).rejects.toThrow('timed out');
  // Another channel is not held by C1.
  const other = gated(url, post('C2'));
  await settled();
  expect(pending.map((p) => p.channel)).toEqual(['C1', 'C1', 'C2']);
  pending[2].release();
  await other;
  pending[0].release();
  await first[0];
  await settled();
  expect(pending).toHaveLength(4); // waitingB took the freed slot; the aborted one never reached Slack
  pending[1].release();
  pending[3].release();
  await Promise.all([first[1], waitingB]);
});
