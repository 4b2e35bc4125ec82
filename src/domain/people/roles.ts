/** What a person may do in Huddle. Everyone is staff; the others add permissions. */
export const ROLES = ['staff', 'manager', 'leader', 'safeguardingLead', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type GrantableRole = Exclude<Role, 'staff'>;

/**
 * What someone holding none of `roles` is told: the roles that may, one or two (no command or card button
 * allows more), so a carer refused `results` is not told that only managers may when leaders may too.
 */
export function notAllowed(roles: readonly Role[]): { messageKey: string; values: Record<string, string> } {
  const [role = 'manager', other] = roles;
  return other === undefined
    ? { messageKey: 'error.notAllowed', values: { role } }
    : { messageKey: 'error.notAllowedEither', values: { role, other } };
}

/** Role ids granted from configuration (AAD object ids or UPNs), which the bot cannot take away. */
export type BootstrapRoles = Readonly<Record<GrantableRole, readonly string[]>>;

const ROLE_WORDS: Record<string, GrantableRole> = {
  manager: 'manager',
  leader: 'leader',
  admin: 'admin',
  administrator: 'admin',
  'safeguarding lead': 'safeguardingLead',
  safeguardinglead: 'safeguardingLead',
  dsl: 'safeguardingLead',
};

/** Reads a role as people type it ("safeguarding lead", "DSL", "Manager"). */
export function parseRole(words: string): GrantableRole | undefined {
  return ROLE_WORDS[words.trim().toLowerCase().replace(/\s+/g, ' ')];
}

export interface Identity {
  aadObjectId: string;
  userPrincipalName?: string | undefined;
}

/** Roles configuration grants to this person, matched by AAD object id or UPN (case-insensitive). */
export function bootstrapRolesFor(identity: Identity, bootstrap: BootstrapRoles): GrantableRole[] {
  const keys = [identity.aadObjectId, identity.userPrincipalName]
    .filter((key): key is string => key !== undefined && key !== '')
    .map((key) => key.toLowerCase());
  return (Object.keys(bootstrap) as GrantableRole[]).filter((role) =>
    bootstrap[role].some((entry) => keys.includes(entry.toLowerCase())),
  );
}

/**
 * Everything a person may do: staff always, roles stored on the member (granted by an admin), and roles
 * from configuration. Configuration is read here rather than copied into storage so that editing it takes
 * effect at once and a role removed from it is really gone.
 */
export function effectiveRoles(
  member: Identity & { roles: readonly GrantableRole[] },
  bootstrap: BootstrapRoles,
): Role[] {
  const granted = new Set<Role>(['staff', ...member.roles, ...bootstrapRolesFor(member, bootstrap)]);
  return ROLES.filter((role) => granted.has(role));
}
