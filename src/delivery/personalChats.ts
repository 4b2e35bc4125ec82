import type { SendFailure } from '../domain/broadcasts/deliveryPolicy.js';
import type { ConversationReference, Member, UnreachableReason } from '../domain/people/member.js';
import type { InstallationStore, MemberStore } from '../domain/people/ports.js';
import { mayInstallFor, type ReachPolicy, refusalReason } from '../domain/people/reach.js';
import type { Clock } from '../domain/shared/ports.js';
import type { AppInstaller, OpenResult, ProactiveSender } from './ports.js';

export interface PersonalChatDeps {
  members: MemberStore;
  installations: InstallationStore;
  clock: Clock;
  /**
   * Claims the person's delivery row before Teams or Graph is asked, and answers false when another sender
   * has it: that sender opens the chat and sends. Asked again before a second call (an install after Teams
   * refused), it answers as the first time.
   */
  claim: () => Promise<boolean>;
  /** Asks Teams to open the chat; the caller decides how it counts against the rate limits. */
  open: (team: ConversationReference, teamsUserId: string, tenantId: string) => Promise<OpenResult>;
  chatReference: ProactiveSender['chatReference'];
  /** Present while proactive installation is on: Huddle installs itself for whom the policy allows. */
  install?:
    | {
        installer: AppInstaller;
        policy: ReachPolicy;
        /**
         * A conversation on the tenant's Teams service (the sending manager's chat), for a tenant where
         * Huddle is in no team or group chat to say which service that is.
         */
        fallback: ConversationReference | undefined;
      }
    | undefined;
}

/**
 * `failed` says whose answer it was: a throttled Teams slows every send, a throttled Graph only
 * installations. `firstRefusal`: this is the first to learn that Graph refuses for want of consent.
 * `taken`: another sender claimed the person first, and opens their chat.
 */
export type ChatOutcome =
  | { kind: 'open'; conversation: ConversationReference }
  | { kind: 'unreachable'; reason: UnreachableReason; firstRefusal?: boolean }
  | { kind: 'failed'; failure: SendFailure; by: 'teams' | 'graph' }
  | { kind: 'taken' };

const TAKEN: ChatOutcome = { kind: 'taken' };

/**
 * The member's personal chat, opened through a team Huddle shares with them if there is none yet, or,
 * where proactive installation is on, by installing Huddle for them through Graph; stored on the member
 * so every later send reuses it. Only the sender that claimed the person asks Teams or Graph: opening
 * is a rate-limited call, and two senders that each read no chat yet would otherwise both make it. The
 * write keeps a chat stored meanwhile (Teams' install event may arrive first, or a claim that ran out
 * may have let a second sender open the same chat): one conversation is stored and used. A refusal
 * (Teams' 403 or 404; Graph's 404, or 403 for want of consent) marks the member unreachable with its
 * reason, so nothing is queued for them again.
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
  const install =
    deps.install !== undefined && mayInstallFor(member, deps.install.policy) ? deps.install : undefined;
  if (team === undefined || member.teamsUserId === undefined) {
    return install === undefined
      ? { kind: 'unreachable', reason: 'notInTeam' }
      : installFor(deps, install, member);
  }
  if (!(await deps.claim())) return TAKEN;
  const result = await deps.open(team, member.teamsUserId, tenantId);
  if (result.kind === 'opened') return store(deps, member, result.conversation, {});
  const { status } = result.failure;
  if (status !== 403 && status !== 404) return { ...result, by: 'teams' };
  // 403: the team Huddle shared with them is no longer theirs; installing may still reach them.
  if (status === 403 && install !== undefined) return installFor(deps, install, member);
  return markUnreachable(deps, member, refusalReason(status, true));
}

/** Installs Huddle for a member Teams gives no way to, and stores the chat Graph names. */
async function installFor(
  deps: PersonalChatDeps,
  install: NonNullable<PersonalChatDeps['install']>,
  member: Member,
): Promise<ChatOutcome> {
  const through = (await tenantConversation(deps, member.tenantId)) ?? install.fallback;
  // Nowhere to learn the tenant's Teams service from yet: left for a later send, not marked.
  if (through === undefined) return { kind: 'unreachable', reason: 'notInTeam' };
  if (!(await deps.claim())) return TAKEN;
  const result = await install.installer.install(member.tenantId, member.aadObjectId);
  if (result.kind === 'failed') return { ...result, by: 'graph' };
  if (result.kind === 'refused') {
    const outcome = await markUnreachable(deps, member, result.reason);
    return result.firstRefusal ? { ...outcome, firstRefusal: true } : outcome;
  }
  const conversation = deps.chatReference(through, result.chatId, member.tenantId, member.teamsUserId);
  return store(deps, member, conversation, {
    personalInstalled: true,
    unreachableAt: undefined,
    unreachableReason: undefined,
  });
}

/** Stores the chat unless one was stored meanwhile, which then wins. */
async function store(
  deps: PersonalChatDeps,
  member: Member,
  conversation: ConversationReference,
  change: Partial<Member>,
): Promise<ChatOutcome> {
  const stored = await deps.members.modify(member.tenantId, member.aadObjectId, (current) =>
    current?.personalConversation !== undefined
      ? current
      : {
          ...(current ?? member),
          ...change,
          personalConversation: conversation,
          updatedAt: deps.clock.now().toISOString(),
        },
  );
  return { kind: 'open', conversation: stored.personalConversation ?? conversation };
}

async function markUnreachable(
  deps: PersonalChatDeps,
  member: Member,
  reason: UnreachableReason,
): Promise<{ kind: 'unreachable'; reason: UnreachableReason }> {
  const now = deps.clock.now().toISOString();
  await deps.members.modify(member.tenantId, member.aadObjectId, (current) => ({
    ...(current ?? member),
    unreachableAt: now,
    unreachableReason: reason,
    updatedAt: now,
  }));
  return { kind: 'unreachable', reason };
}

/** The reference of a team Huddle is still installed in, among the member's. */
async function sharedTeam(deps: PersonalChatDeps, tenantId: string, teamIds: readonly string[]) {
  for (const teamId of teamIds) {
    const installation = await deps.installations.get(tenantId, teamId);
    if (installation?.active) return installation.conversationReference;
  }
  return undefined;
}

/** Any team or group chat of the tenant Huddle is in: its reference names the tenant's Teams service. */
async function tenantConversation(deps: PersonalChatDeps, tenantId: string) {
  const installations = await deps.installations.list(tenantId);
  return installations.find((installation) => installation.active)?.conversationReference;
}
