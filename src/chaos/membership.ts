import { isUserGroupId } from './run-policy';

/**
 * User-group membership, resolved by the caller (usergroups.users.list, cached briefly). Either direction works;
 * the handler passes whichever it has.
 */
export type GroupMembership =
  | { membersOf(groupId: string): Promise<string[]> }
  | { userGroupsOf(userId: string): Promise<string[]> };

/**
 * The listed approver groups this user belongs to. Without a membership source, groups cannot be checked and the
 * answer is empty (only directly listed users can approve) — never a guess in the user's favour.
 */
export async function approverGroupsOf(userId: string, approvers: string[], membership?: GroupMembership): Promise<string[]> {
  const groups = approvers.filter(isUserGroupId);
  if (groups.length === 0 || !membership) return [];
  if ('userGroupsOf' in membership) {
    const mine = new Set(await membership.userGroupsOf(userId));
    return groups.filter((g) => mine.has(g));
  }
  const found: string[] = [];
  for (const g of groups) {
    if ((await membership.membersOf(g)).includes(userId)) found.push(g);
  }
  return found;
}
