import type { Member } from './member.js';
import type { MemberStore } from './ports.js';
import { type BootstrapRoles, effectiveRoles, type Role } from './roles.js';

/** Everything Huddle holds that identifies a person, as they will see it in `my data`. */
export interface MyData {
  name: string;
  userPrincipalName?: string | undefined;
  roles: Role[];
  groups: Member['groups'];
  locale: string;
  timeZone: string;
  quietHours: Member['quietHours'];
  personalChatInstalled: boolean;
  firstSeen: string;
  lastUpdated: string;
}

export function describeMyData(member: Member, bootstrap: BootstrapRoles): MyData {
  return {
    name: member.name,
    userPrincipalName: member.userPrincipalName,
    roles: effectiveRoles(member, bootstrap),
    groups: member.groups,
    locale: member.locale,
    timeZone: member.timeZone,
    quietHours: member.quietHours,
    personalChatInstalled: member.personalInstalled,
    firstSeen: member.createdAt,
    lastUpdated: member.updatedAt,
  };
}

/**
 * Removes the member record: profile, groups, roles granted through the bot and the conversation reference.
 * Anonymous answers carry no identity, so they cannot be found from here and stay in the aggregates.
 */
export async function deleteMyData(
  members: MemberStore,
  tenantId: string,
  aadObjectId: string,
): Promise<boolean> {
  return members.delete(tenantId, aadObjectId);
}
