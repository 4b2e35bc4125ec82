import { type Member, UNREACHABLE_REASONS, type UnreachableReason } from './member.js';

/** Why someone is not messaged: Teams' refusals, and the accounts Huddle leaves alone unless configured. */
export const NOT_REACHED_REASONS = [...UNREACHABLE_REASONS, 'guest', 'external'] as const;
export type NotReachedReason = (typeof NOT_REACHED_REASONS)[number];

export type Reach =
  | { reachable: true; via: 'personal' | 'team' }
  | { reachable: false; reason: NotReachedReason };

/**
 * Whom an organisation lets Huddle message beyond its own staff. Guests and people of other
 * organisations are in its teams to work with it, not to be surveyed by it: only when an admin says so
 * (`HUDDLE_MESSAGE_GUESTS`).
 */
export interface ReachPolicy {
  guests: boolean;
}

/**
 * How Huddle can reach a member: through the chat they opened, or through a team they share with Huddle,
 * where Teams lets a bot open a personal chat with any member. A guest or external account outranks
 * both unless the policy allows them; a refusal from Teams outranks everything.
 */
export function reachOf(member: Member, policy: ReachPolicy): Reach {
  if ((member.account === 'guest' || member.account === 'external') && !policy.guests) {
    return { reachable: false, reason: member.account };
  }
  if (member.unreachableAt !== undefined) {
    // Rows marked before reasons were kept came from a 403 or 404 to a message: the person is gone or blocked.
    return { reachable: false, reason: member.unreachableReason ?? 'blocked' };
  }
  if (member.personalInstalled && member.personalConversation !== undefined) {
    return { reachable: true, via: 'personal' };
  }
  if ((member.teamIds ?? []).length > 0 && member.teamsUserId !== undefined) {
    return { reachable: true, via: 'team' };
  }
  return { reachable: false, reason: 'notInTeam' };
}

/** Members Huddle can message in personal chat, opening the chat first where only a team is shared. */
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

export interface ReachCount {
  reachable: number;
  unreachable: Record<NotReachedReason, number>;
}

/** How many of `members` Huddle can reach, and why the others cannot be. */
export function countReach(members: readonly Member[], policy: ReachPolicy): ReachCount {
  const count: ReachCount = {
    reachable: 0,
    unreachable: { notInTeam: 0, left: 0, blocked: 0, guest: 0, external: 0 },
  };
  for (const member of members) {
    const reach = reachOf(member, policy);
    if (reach.reachable) count.reachable++;
    else count.unreachable[reach.reason]++;
  }
  return count;
}
