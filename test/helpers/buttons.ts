import type { StoredMessage } from '../../src/playground/slack-stand-in';

/** True when the stored message carries a button with this action id. */
export function hasButton(m: StoredMessage | undefined, actionId: string): boolean {
  return JSON.stringify(m?.blocks ?? []).includes(`"action_id":"${actionId}"`);
}

/** The value of the message's button with this action id (what a click sends back). */
export function valueOf(m: StoredMessage, actionId: string): string | undefined {
  let found: string | undefined;
  JSON.stringify(m.blocks, (k, v) => {
    if (v && typeof v === 'object' && v.action_id === actionId) found = v.value;
    return v;
  });
  return found;
}
