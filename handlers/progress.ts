import type { Clock } from '../src/ports/clock';
import type { SlackMessage } from '../src/views/message';
import type { MessageRef, Replier } from './types';

/** Slack's chat.update is rate-limited (Tier 3): a long-running answer updates its message at most this often. */
export const UPDATE_INTERVAL_MS = 5000;

export interface ProgressMessage {
  /** Shows `msg`: posts the message the first time, then updates it, coalescing calls within the interval. */
  show(msg: SlackMessage): Promise<void>;
  /** The final state, shown at once (any pending coalesced update is dropped). Posts when nothing was shown yet. */
  finish(msg: SlackMessage): Promise<MessageRef>;
  readonly ref?: MessageRef;
}

export function createProgressMessage(reply: Replier, clock: Clock, opts: { ref?: MessageRef; intervalMs?: number; onError?: (err: unknown) => void } = {}): ProgressMessage {
  const interval = opts.intervalMs ?? UPDATE_INTERVAL_MS;
  let ref = opts.ref;
  let lastAt = -Infinity;
  let latest: SlackMessage | undefined;
  let finished = false;
  let pending: Promise<void> | undefined;
  const cancel = new AbortController();
  const write = async (msg: SlackMessage) => {
    lastAt = clock.now();
    if (ref) await reply.update(ref, msg);
    else ref = await reply.post(msg);
  };
  return {
    get ref() {
      return ref;
    },
    async show(msg) {
      if (finished) return;
      latest = msg;
      if (pending) return; // a coalesced update is already scheduled; it will show the latest state
      const wait = lastAt + interval - clock.now();
      if (wait <= 0) return write(msg);
      pending = clock.sleep(wait, cancel.signal).then(
        async () => {
          pending = undefined;
          // Progress is best-effort: a failed interim update must not fail the command (finish() still reports).
          if (!finished && latest) await write(latest).catch((err) => opts.onError?.(err));
        },
        () => undefined, // cancelled by finish()
      );
    },
    async finish(msg) {
      finished = true;
      cancel.abort();
      await write(msg);
      return ref as MessageRef;
    },
  };
}
