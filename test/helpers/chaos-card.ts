import type { StoredMessage } from '../../src/playground/slack-stand-in';

/** lookout.yml for chaos e2e tests: everything allowed, one approver, one approval needed. */
export function chaosYaml(approver: string): string {
  return `
chaos: { approvalTtl: 30m, maxRunning: 3 }
channels:
  default: { allow: ["*"], approvers: [${approver}], minApprovals: 1 }
`;
}

export function hasButton(m: StoredMessage | undefined, actionId: string): boolean {
  return JSON.stringify(m?.blocks ?? []).includes(`"action_id":"${actionId}"`);
}

export function valueOf(m: StoredMessage, actionId: string): string | undefined {
  let found: string | undefined;
  JSON.stringify(m.blocks, (k, v) => {
    if (v && typeof v === 'object' && v.action_id === actionId) found = v.value;
    return v;
  });
  return found;
}
