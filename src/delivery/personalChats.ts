import type { SendFailure } from '../domain/broadcasts/deliveryPolicy.js';
import type { ConversationReference, UnreachableReason } from '../domain/people/member.js';
import type { InstallationStore, MemberStore } from '../domain/people/ports.js';
import { refusalReason } from '../domain/people/reach.js';
import type { Clock } from '../domain/shared/ports.js';
import type { OpenResult } from './ports.js';

export interface PersonalChatDeps {
  members: MemberStore;
  installations: InstallationStore;
  clock: Clock;
  /** Asks Teams to open the chat; the caller decides how it counts against the rate limits. */
  open: (team: ConversationReference, teamsUserId: string, tenantId: string) => Promise<OpenResult>;
}

export type ChatOutcome =
  | { kind: 'open'; conversation: ConversationReference }
  | { kind: 'unreachable'; reason: UnreachableReason }
  | { kind: 'failed'; failure: SendFailure };

/**
 * The member's personal chat, opened through a team Huddle shares with them if there is none yet, and
 * stored on the member so every later send reuses it. The write keeps a chat stored meanwhile: when two
 * senders open the same person's chat at once, one conversation is stored and both send to it. A 403 or
 * 404 from Teams marks the member unreachable with its reason, so nothing is queued for them again.
 */
export async function personalChatOf(
  deps: PersonalChatDeps,
  tenantId: string,
  memberId: string,
): Promise<ChatOutcome> {
  const member = await deps.members.get(tenantId, memberId);
  if (member === undefined) return { kind: 'unreachable', reason: 'left' };
  if (member.personalConversation !== undefined) {
    return { kind: 'open', conversation: member.personalConversation };
  }
  const team = await sharedTeam(deps, tenantId, member.teamIds ?? []);
  if (team === undefined || member.teamsUserId === undefined)
    return { kind: 'unreachable', reason: 'notInTeam' };
  const result = await deps.open(team, member.teamsUserId, tenantId);
  if (result.kind === 'failed') {
    const { status } = result.failure;
    if (status !== 403 && status !== 404) return result;
    const reason = refusalReason(status, true);
    const now = deps.clock.now().toISOString();
    await deps.members.modify(tenantId, memberId, (current) => ({
      ...(current ?? member),
      unreachableAt: now,
      unreachableReason: reason,
      updatedAt: now,
    }));
    return { kind: 'unreachable', reason };
  }
  const stored = await deps.members.modify(tenantId, memberId, (current) =>
    current?.personalConversation !== undefined
      ? current
      : {
          ...(current ?? member),
          personalConversation: result.conversation,
          updatedAt: deps.clock.now().toISOString(),
        },
  );
  return { kind: 'open', conversation: stored.personalConversation ?? result.conversation };
}

/** The reference of a team Huddle is still installed in, among the member's. */
async function sharedTeam(deps: PersonalChatDeps, tenantId: string, teamIds: readonly string[]) {
  for (const teamId of teamIds) {
    const installation = await deps.installations.get(tenantId, teamId);
    if (installation?.active) return installation.conversationReference;
  }
  return undefined;
}
