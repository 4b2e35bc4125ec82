import { UserInputError } from '../shared/errors.js';
import type { Clock } from '../shared/ports.js';
import type { Member } from './member.js';
import type { MemberStore } from './ports.js';
import {
  type BootstrapRoles,
  bootstrapRolesFor,
  effectiveRoles,
  type GrantableRole,
  parseRole,
  type Role,
} from './roles.js';

export interface RoleAdminDeps {
  members: MemberStore;
  clock: Clock;
  bootstrap: BootstrapRoles;
}

export interface RoleHolder {
  name: string;
  userPrincipalName?: string | undefined;
  roles: Role[];
  /** Roles that come from configuration and can only be changed there. */
  configured: GrantableRole[];
}

/** Everyone with more than the staff role, for `roles`. */
export async function listRoleHolders(deps: RoleAdminDeps, tenantId: string): Promise<RoleHolder[]> {
  const members = await deps.members.list(tenantId);
  return members
    .map((member) => ({
      name: member.name,
      userPrincipalName: member.userPrincipalName,
      roles: effectiveRoles(member, deps.bootstrap).filter((role) => role !== 'staff'),
      configured: bootstrapRolesFor(member, deps.bootstrap),
    }))
    .filter((holder) => holder.roles.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function grantRole(
  deps: RoleAdminDeps,
  tenantId: string,
  roleWords: string,
  who: string,
): Promise<{ member: Member; role: GrantableRole; changed: boolean }> {
  const role = requireRole(roleWords);
  const target = await findOne(deps.members, tenantId, who);
  if (effectiveRoles(target, deps.bootstrap).includes(role)) return { member: target, role, changed: false };
  const member = await deps.members.modify(tenantId, target.aadObjectId, (current) => {
    const base = current ?? target;
    return { ...base, roles: [...new Set([...base.roles, role])], updatedAt: deps.clock.now().toISOString() };
  });
  return { member, role, changed: true };
}

export async function revokeRole(
  deps: RoleAdminDeps,
  tenantId: string,
  actorAadObjectId: string,
  roleWords: string,
  who: string,
): Promise<{ member: Member; role: GrantableRole; changed: boolean }> {
  const role = requireRole(roleWords);
  const target = await findOne(deps.members, tenantId, who);
  if (bootstrapRolesFor(target, deps.bootstrap).includes(role)) {
    throw new UserInputError('roles.configured', { name: target.name, role });
  }
  if (role === 'admin' && target.aadObjectId === actorAadObjectId) {
    throw new UserInputError('roles.notSelf', {});
  }
  if (!target.roles.includes(role)) return { member: target, role, changed: false };
  const member = await deps.members.modify(tenantId, target.aadObjectId, (current) => {
    const base = current ?? target;
    return {
      ...base,
      roles: base.roles.filter((held) => held !== role),
      updatedAt: deps.clock.now().toISOString(),
    };
  });
  return { member, role, changed: true };
}

function requireRole(words: string): GrantableRole {
  const role = parseRole(words);
  if (role === undefined) throw new UserInputError('roles.unknownRole', { role: words.slice(0, 40) });
  return role;
}

/**
 * Finds the one member meant by an email/UPN, an AAD object id, or (part of) a name. Several matches are
 * refused with the candidates so an admin never changes the wrong person's permissions.
 */
async function findOne(members: MemberStore, tenantId: string, who: string): Promise<Member> {
  const wanted = who.trim().toLowerCase();
  const all = await members.list(tenantId);
  const exact = all.filter(
    (member) =>
      member.aadObjectId.toLowerCase() === wanted ||
      member.userPrincipalName?.toLowerCase() === wanted ||
      member.name.toLowerCase() === wanted,
  );
  const matches =
    exact.length > 0 ? exact : all.filter((member) => member.name.toLowerCase().includes(wanted));
  const [only] = matches;
  if (only === undefined) throw new UserInputError('roles.noSuchPerson', { who: who.slice(0, 80) });
  if (matches.length > 1) {
    const names = matches
      .slice(0, 5)
      .map((member) => member.userPrincipalName ?? member.name)
      .join(', ');
    throw new UserInputError('roles.ambiguous', { who: who.slice(0, 80), names });
  }
  return only;
}
