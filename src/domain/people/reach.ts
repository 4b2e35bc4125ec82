import type { Member, UnreachableReason } from './member.js';

export type Reach =
  | { reachable: true; via: 'personal' | 'team' }
  | { reachable: false; reason: UnreachableReason };

/**
 * How Huddle can reach a member: through the chat they opened, or through a team they share with Huddle,
 * where Teams lets a bot open a personal chat with any member. A refusal from Teams outranks both.
 */
export function reachOf(member: Member): Reach {
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
export const reachable = (member: Member) => reachOf(member).reachable;

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
  unreachable: Record<UnreachableReason, number>;
}

/** How many of `members` Huddle can reach, and why the others cannot be. */
export function countReach(members: readonly Member[]): ReachCount {
  const count: ReachCount = { reachable: 0, unreachable: { notInTeam: 0, left: 0, blocked: 0 } };
  for (const member of members) {
    const reach = reachOf(member);
    if (reach.reachable) count.reachable++;
    else count.unreachable[reach.reason]++;
  }
  return count;
}
