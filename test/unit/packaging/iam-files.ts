import fs from 'node:fs';
import path from 'node:path';

/** The policies in deploy/iam, as the tests (and deploy/cdk) read them: one source of truth. */
export const IAM_DIR = path.join(__dirname, '..', '..', '..', 'deploy', 'iam');

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface Policy {
  Version: string;
  Statement: PolicyStatement[];
}

export const policyFiles = (): string[] => fs.readdirSync(IAM_DIR).filter((f) => f.endsWith('.json')).sort();
export const loadPolicy = (name: string): Policy => JSON.parse(fs.readFileSync(path.join(IAM_DIR, name), 'utf8')) as Policy;
export const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
export const actionsOf = (p: Policy): string[] => p.Statement.flatMap((s) => list(s.Action));
export const statementsWith = (p: Policy, action: string): PolicyStatement[] => p.Statement.filter((s) => list(s.Action).includes(action));
