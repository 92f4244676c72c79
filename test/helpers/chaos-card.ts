export { hasButton, valueOf } from './buttons';

/** lookout.yml for chaos e2e tests: everything allowed, one approver, one approval needed. */
export function chaosYaml(approver: string): string {
  return `
chaos: { approvalTtl: 30m, maxRunning: 3 }
channels:
  default: { allow: ["*"], approvers: [${approver}], minApprovals: 1 }
`;
}

