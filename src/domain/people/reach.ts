import { type Member, UNREACHABLE_REASONS, type UnreachableReason } from './member.js';

/** Why someone is not messaged: Teams' refusals, and the accounts Huddle leaves alone unless configured. */
export const NOT_REACHED_REASONS = [...UNREACHABLE_REASONS, 'guest', 'external'] as const;
export type NotReachedReason = (typeof NOT_REACHED_REASONS)[number];

/**
 * `install`: Huddle shares no chat or team with them yet, and will install itself for them through
 * Microsoft Graph before the first send (proactive installation).
 */
export type Reach =
  | { reachable: true; via: 'personal' | 'team' | 'install' }
  | { reachable: false; reason: NotReachedReason };

/**
 * Whom an organisation lets Huddle message beyond its own staff, and how. Guests and people of other
 * organisations are in its teams to work with it, not to be surveyed by it: only when an admin says so
 * (`HUDDLE_MESSAGE_GUESTS`). Huddle installs itself for its own staff only when an admin has turned that
 * on and granted it through Microsoft Graph (`HUDDLE_PROACTIVE_INSTALL`).
 */
export interface ReachPolicy {
  guests: boolean;
  proactiveInstall: boolean;
}

/**
 * How Huddle can reach a member: through the chat they opened, or through a team they share with Huddle,
 * where Teams lets a bot open a personal chat with any member; failing both, by installing itself for
 * them where the policy allows. A guest or external account outranks all of these unless the policy
 * allows them; a refusal outranks everything, except that "shares no team with Huddle" is what
 * installing mends.
 */
export function reachOf(member: Member, policy: ReachPolicy): Reach {
  if ((member.account === 'guest' || member.account === 'external') && !policy.guests) {
    return { reachable: false, reason: member.account };
  }
  if (member.unreachableAt !== undefined) {
    // Rows marked before reasons were kept came from a 403 or 404 to a message: the person is gone or blocked.
    const reason = member.unreachableReason ?? 'blocked';
    return reason === 'notInTeam' && mayInstallFor(member, policy)
      ? { reachable: true, via: 'install' }
      : { reachable: false, reason };
  }
  if (member.personalInstalled && member.personalConversation !== undefined) {
    return { reachable: true, via: 'personal' };
  }
  if ((member.teamIds ?? []).length > 0 && member.teamsUserId !== undefined) {
    return { reachable: true, via: 'team' };
  }
  return mayInstallFor(member, policy)
    ? { reachable: true, via: 'install' }
    : { reachable: false, reason: 'notInTeam' };
}

/**
 * Whether Huddle may install itself for the member when Teams gives it no other way to them: with
 * proactive installation on, for the organisation's own directory (guests only where they may be
 * messaged; never another organisation's people, whom its Graph cannot install for), and never for
 * someone who left, blocked Huddle, or for whom Graph has refused.
 */
export function mayInstallFor(member: Member, policy: ReachPolicy): boolean {
  if (!policy.proactiveInstall || member.account === 'external') return false;
  if (member.account === 'guest' && !policy.guests) return false;
  return member.unreachableAt === undefined || member.unreachableReason === 'notInTeam';
}

/** Members Huddle can message in personal chat, opening the chat (or installing itself) first if need be. */
export const reachableUnder = (policy: ReachPolicy) => (member: Member) => reachOf(member, policy).reachable;

/**
 * What Teams' refusal to open a chat, or to take a message, says about the person: 403 to opening means
 * Huddle shares no team with them (any more); 404 that Teams does not know them; 403 to a message in an
 * open chat, that they blocked or removed Huddle.
 */
export function refusalReason(status: number | undefined, opening: boolean): UnreachableReason {
  if (status === 404) return 'left';
  return opening ? 'notInTeam' : 'blocked';
}

/** No one left out for any reason: where a count starts. */
export const noneUnreached = (): Record<NotReachedReason, number> =>
  Object.fromEntries(NOT_REACHED_REASONS.map((reason) => [reason, 0])) as Record<NotReachedReason, number>;

export interface ReachCount {
  reachable: number;
  /** Of the reachable, those Huddle will first install itself for. */
  installing: number;
  unreachable: Record<NotReachedReason, number>;
}

/** How many of `members` Huddle can reach, and why the others cannot be. */
export function countReach(members: readonly Member[], policy: ReachPolicy): ReachCount {
  const count: ReachCount = {
    reachable: 0,
    installing: 0,
    unreachable: noneUnreached(),
  };
  for (const member of members) {
    const reach = reachOf(member, policy);
    if (!reach.reachable) count.unreachable[reach.reason]++;
    else {
      count.reachable++;
      if (reach.via === 'install') count.installing++;
    }
  }
  return count;
}
