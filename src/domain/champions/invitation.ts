import { createHash } from 'node:crypto';
import { type Broadcast, SENT_BY_HUDDLE } from '../broadcasts/broadcast.js';
import type { AudienceOption } from '../broadcasts/broadcastDraft.js';
import {
  type BroadcastingDeps,
  EMPTY_DRAFT,
  type PreparedDraft,
  prepareDraft,
  scheduleBroadcast,
} from '../broadcasts/broadcasting.js';
import type { DeliveryStore } from '../broadcasts/ports.js';
import type { Initiative } from '../initiatives/initiative.js';
import type { ConversationReference, Manager, Member, SeenPerson } from '../people/member.js';
import { type FieldError, UserInputError } from '../shared/errors.js';

/**
 * Becoming a change champion: a manager invites an audience, someone says yes, a manager accepts or
 * declines, and the volunteer is told. Only the person's own yes counts: nobody is picked by what they
 * answered in a pulse or a comment, which stay anonymous.
 */
export interface ChampionDeps extends BroadcastingDeps {
  deliveries: Pick<DeliveryStore, 'modify'>;
}

/** The step of becoming a champion that a send carries. */
export type ChampionStep = NonNullable<Broadcast['champion']>['step'];

/** The invitation's words, in the manager's language (the handler has the strings). */
export interface InvitationWords {
  headline: string;
  message: string;
}

/** Who an invitation is for, as the manager chose it on the form. */
export interface InvitationInput {
  initiativeId: string;
  audience: string;
}

/**
 * What "Send invitations" would do, for the preview: the audience, how many Huddle can reach and why it
 * cannot reach the rest, checked as the send will be, so a choice that reaches nobody is refused here.
 */
export async function previewInvitation(
  deps: BroadcastingDeps,
  manager: Manager,
  input: InvitationInput,
  words: InvitationWords,
): Promise<PreparedDraft> {
  await initiativeOf(deps, manager.tenantId, input.initiativeId);
  return prepareDraft(deps, manager, invitationDraft(input, words));
}

/**
 * Posts "Would you like to be a change champion for ...?" to any audience a broadcast can use, through the
 * outbox like an update: the manager's progress card counts it. `previewId` is the preview confirmed: the
 * send's id is derived from it, so the same preview confirmed twice (a double tap, a retry after the
 * repeat window, a copy of the card) sends once.
 */
export async function inviteChampions(
  deps: BroadcastingDeps,
  manager: Manager,
  input: InvitationInput & { previewId: string },
  words: InvitationWords,
  progress: { conversation: ConversationReference; activityId: string | undefined },
): Promise<
  { ok: true; broadcast: Broadcast } | { ok: false; errors: FieldError[]; options: AudienceOption[] }
> {
  await initiativeOf(deps, manager.tenantId, input.initiativeId);
  return scheduleBroadcast(deps, manager, invitationDraft(input, words), progress, {
    id: invitationSendId(input.initiativeId, input.previewId),
    champion: { initiativeId: input.initiativeId, step: 'invite' },
  });
}

const invitationDraft = (input: InvitationInput, words: InvitationWords) => ({
  ...EMPTY_DRAFT,
  ...words,
  audience: input.audience,
  initiativeId: input.initiativeId,
});

/** Hashed like `championSendId`: the preview's id comes back from a card, so it never names a row by itself. */
const invitationSendId = (initiativeId: string, previewId: string) =>
  `champion|${createHash('sha256').update(`${initiativeId}\n${previewId}\ninvitation`).digest('base64url').slice(0, 32)}`;

/**
 * A send about one volunteer: derived, so a yes pressed twice, or an answer given twice, sends once. Hashed
 * so the row's key does not name them once they have deleted their data.
 */
export const championSendId = (initiativeId: string, volunteerId: string, step: ChampionStep) =>
  `champion|${createHash('sha256').update(`${initiativeId}\n${volunteerId}\n${step}`).digest('base64url').slice(0, 32)}`;

/**
 * Someone who received an invitation says yes: the change's owners and whoever sent the invitation are
 * told, with Accept and Decline. A copy not sent to them (forwarded) counts nothing.
 */
export async function volunteer(
  deps: ChampionDeps,
  person: SeenPerson,
  broadcastId: string,
): Promise<{ initiative: Initiative; invitation: Broadcast }> {
  const invitation = await deps.broadcasts.get(person.tenantId, broadcastId);
  if (invitation?.champion?.step !== 'invite') throw new UserInputError('card.expired', {});
  const received = await deps.deliveries.modify(broadcastId, person.aadObjectId, () => undefined);
  if (received === undefined) throw new UserInputError('update.notSentToYou', {});
  const initiative = await initiativeOf(deps, person.tenantId, invitation.champion.initiativeId);
  if (initiative.champions.includes(person.aadObjectId))
    throw new UserInputError('champion.already', { initiative: initiative.title });
  const managers = [...new Set([...initiative.owners, invitation.createdBy.aadObjectId])];
  await tell(deps, initiative, person.aadObjectId, 'volunteered', managers);
  return { initiative, invitation };
}

/**
 * A manager accepts or declines a volunteer. Accepting adds them to the change's champions (a
 * read-change-write, so an edit of the change at the same moment is not lost); either way the volunteer is
 * told once. Someone who deleted their data meanwhile cannot be accepted.
 */
export async function answerVolunteer(
  deps: ChampionDeps,
  tenantId: string,
  initiativeId: string,
  volunteerId: string,
  accept: boolean,
): Promise<{ initiative: Initiative; volunteer: Member }> {
  const person = await deps.members.get(tenantId, volunteerId);
  if (person === undefined) throw new UserInputError('champion.gone', {});
  const current = await initiativeOf(deps, tenantId, initiativeId);
  if (!accept && current.champions.includes(volunteerId))
    throw new UserInputError('champion.already', { initiative: current.title });
  const initiative = accept
    ? await deps.initiatives.modify(tenantId, initiativeId, (latest) =>
        latest.champions.includes(volunteerId)
          ? undefined
          : {
              ...latest,
              champions: [...latest.champions, volunteerId],
              updatedAt: deps.clock.now().toISOString(),
            },
      )
    : current;
  if (initiative === undefined) throw new UserInputError('broadcast.error.unknownInitiative', {});
  await tell(deps, initiative, volunteerId, accept ? 'accepted' : 'declined', [volunteerId]);
  return { initiative, volunteer: person };
}

async function initiativeOf(deps: Pick<BroadcastingDeps, 'initiatives'>, tenantId: string, id: string) {
  const initiative = await deps.initiatives.get(tenantId, id);
  if (initiative === undefined) throw new UserInputError('broadcast.error.unknownInitiative', {});
  return initiative;
}

/** One send of a step about a volunteer, to the people named, made once however often it is pressed. */
async function tell(
  deps: BroadcastingDeps,
  initiative: Initiative,
  volunteerId: string,
  step: ChampionStep,
  memberIds: string[],
): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.broadcasts.createMissing({
    tenantId: initiative.tenantId,
    id: championSendId(initiative.id, volunteerId, step),
    content: { headline: initiative.title, message: '' },
    champion: { initiativeId: initiative.id, step, volunteerId },
    audience: { kind: 'members', memberIds },
    urgent: false,
    sendAt: now,
    status: 'scheduled',
    createdBy: SENT_BY_HUDDLE,
    recipients: memberIds.length,
    createdAt: now,
    updatedAt: now,
  });
}
