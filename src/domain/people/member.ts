import type { GrantableRole } from './roles.js';

/** The groups a member belongs to, used for audiences and (later) anonymised aggregation. */
export interface MemberGroups {
  site?: string | undefined;
  unit?: string | undefined;
  jobRole?: string | undefined;
  shiftPattern?: string | undefined;
}

export const GROUP_FIELDS = ['site', 'unit', 'jobRole', 'shiftPattern'] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];

/**
 * Why Huddle cannot message someone in personal chat: they share no team with Huddle and never opened a
 * chat with it; Teams does not know them (left the organisation); they blocked or removed Huddle; or
 * Huddle tried to install itself for them and Microsoft Graph refused: no admin has granted it that
 * (`noConsent`), or Graph found no such person or app (`installNotFound`).
 */
export const UNREACHABLE_REASONS = ['notInTeam', 'left', 'blocked', 'noConsent', 'installNotFound'] as const;
export type UnreachableReason = (typeof UNREACHABLE_REASONS)[number];

/**
 * Graph's refusals to install, which an admin can put right (grant the permission, fix the catalog id);
 * `reach` offers to try again for these.
 */
export const INSTALL_REFUSALS: readonly UnreachableReason[] = ['noConsent', 'installNotFound'];

/**
 * Whose account it is, as Teams' roster says: the organisation's own staff, a guest invited into it, or
 * someone of another organisation (external access, shared channels). Huddle messages only staff unless
 * configured otherwise (see `ReachPolicy`).
 */
export const ACCOUNT_KINDS = ['staff', 'guest', 'external'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface QuietHours {
  /** 24-hour "HH:MM" in the member's own time zone. */
  start: string;
  end: string;
}

/**
 * Where Huddle can message someone. Kept opaque: the Teams edge builds and reads it, everything else only
 * stores it, so the rest of the code does not depend on the Bot Framework's shape.
 */
export type ConversationReference = Record<string, unknown>;

export interface Member {
  tenantId: string;
  aadObjectId: string;
  name: string;
  userPrincipalName?: string | undefined;
  /** Teams' id for the person (`29:...`), known once they have been seen: a card names people by it. */
  teamsUserId?: string | undefined;
  locale: string;
  timeZone: string;
  /** Roles granted through the bot; configuration may add more (see `effectiveRoles`). */
  roles: GrantableRole[];
  groups: MemberGroups;
  quietHours: QuietHours;
  /** Personal chat with Huddle, once installed there; `undefined` until then. */
  personalConversation?: ConversationReference | undefined;
  /** True while Huddle is installed in the member's personal scope. */
  personalInstalled: boolean;
  /**
   * Teams with Huddle installed that the member is in: through any of them Huddle may open a personal chat
   * with them (`personalConversation` is then stored at the first send and reused).
   */
  teamIds?: string[] | undefined;
  /** Teams refused to reach them (see `reasonOf`); cleared when they come back. */
  unreachableAt?: string | undefined;
  unreachableReason?: UnreachableReason | undefined;
  /** Absent until Teams' roster has said; treated as staff, as everyone was before guests were told apart. */
  account?: AccountKind | undefined;
  welcomedAt?: string | undefined;
  createdAt: string;
  updatedAt: string;
}

/** What the Teams edge knows about a person from one activity. */
export interface SeenPerson {
  tenantId: string;
  aadObjectId: string;
  name: string;
  userPrincipalName?: string | undefined;
  teamsUserId?: string | undefined;
  locale?: string | undefined;
  timeZone?: string | undefined;
  /** Known only from Teams' roster; an activity alone does not say. */
  account?: AccountKind | undefined;
}

export interface MemberDefaults {
  locale: string;
  timeZone: string;
  quietHours: QuietHours;
}

/**
 * Merges what an activity tells us into the stored member. Teams only sometimes sends locale and time
 * zone, so a value it leaves out never wipes one we already have.
 */
export function mergeSeenPerson(
  existing: Member | undefined,
  seen: SeenPerson,
  defaults: MemberDefaults,
  now: Date,
): Member {
  const stamp = now.toISOString();
  const base: Member = existing ?? {
    tenantId: seen.tenantId,
    aadObjectId: seen.aadObjectId,
    name: seen.name,
    locale: defaults.locale,
    timeZone: defaults.timeZone,
    roles: [],
    groups: {},
    quietHours: defaults.quietHours,
    personalInstalled: false,
    createdAt: stamp,
    updatedAt: stamp,
  };
  return {
    ...base,
    name: seen.name.trim() !== '' ? seen.name : base.name,
    userPrincipalName: seen.userPrincipalName ?? base.userPrincipalName,
    teamsUserId: seen.teamsUserId ?? base.teamsUserId,
    locale: seen.locale ?? base.locale,
    timeZone: seen.timeZone ?? base.timeZone,
    account: seen.account ?? base.account,
    updatedAt: stamp,
  };
}

/**
 * The member with what this activity says that differs from the record (Teams sends time zone and locale
 * on messages, not on install events), or `undefined` when nothing changed, so most turns write nothing.
 */
export function refreshedFromActivity(member: Member, seen: SeenPerson, now: Date): Member | undefined {
  const changes: Partial<Member> = {};
  if (seen.timeZone !== undefined && seen.timeZone !== member.timeZone) changes.timeZone = seen.timeZone;
  if (seen.locale !== undefined && seen.locale !== member.locale) changes.locale = seen.locale;
  if (seen.name.trim() !== '' && seen.name !== member.name) changes.name = seen.name;
  if (seen.teamsUserId !== undefined && seen.teamsUserId !== member.teamsUserId)
    changes.teamsUserId = seen.teamsUserId;
  if (Object.keys(changes).length === 0) return undefined;
  return { ...member, ...changes, updatedAt: now.toISOString() };
}

/** Someone acting as a manager in a use case: who they are and how to speak to them. */
export interface Manager {
  tenantId: string;
  aadObjectId: string;
  name: string;
  locale: string;
  timeZone: string;
}
