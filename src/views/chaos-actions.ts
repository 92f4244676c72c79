/** Action ids of the /chaos buttons, shared by the views that render them and the handlers that listen. */
import type { Button } from '@slack/types';
import { LIMITS, truncate } from './text';

/**
 * Button values: `approve`, `deny`, `stop` carry the request id; `confirmStop` the experiment id;
 * `confirmStopAll` the account name the confirmation was shown for; `cancelStop` nothing useful.
 */
export const CHAOS_ACTIONS = {
  approve: 'chaos_approve',
  deny: 'chaos_deny',
  stop: 'chaos_stop',
  confirmStop: 'chaos_confirm_stop',
  confirmStopAll: 'chaos_confirm_stop_all',
  cancelStop: 'chaos_cancel_stop',
} as const;

export type ChaosActionId = (typeof CHAOS_ACTIONS)[keyof typeof CHAOS_ACTIONS];

/** A button with a Slack confirmation dialog (title ≤100, text ≤300, button labels ≤30). */
export function confirmButton(o: {
  text: string;
  actionId: ChaosActionId;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny?: string };
}): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(o.text, LIMITS.buttonText), emoji: true },
    action_id: o.actionId,
    value: truncate(o.value, LIMITS.buttonValue),
    ...(o.style ? { style: o.style } : {}),
    ...(o.confirm
      ? {
          confirm: {
            title: { type: 'plain_text', text: truncate(o.confirm.title, 100) },
            text: { type: 'mrkdwn', text: truncate(o.confirm.text, 300) },
            confirm: { type: 'plain_text', text: truncate(o.confirm.confirm, 30) },
            deny: { type: 'plain_text', text: truncate(o.confirm.deny ?? 'Cancel', 30) },
            ...(o.style === 'danger' ? { style: 'danger' as const } : {}),
          },
        }
      : {}),
  };
}
