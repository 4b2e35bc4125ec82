import type { Initiative } from '../initiatives/initiative.js';
import type { InitiativeStore } from '../initiatives/ports.js';
import type { ConversationReference, Manager, Member } from '../people/member.js';
import type { MemberStore } from '../people/ports.js';
import { quietUntil } from '../people/quietHours.js';
import { countReach, type ReachCount, type ReachPolicy, reachableUnder } from '../people/reach.js';
import { type FieldError, UserInputError } from '../shared/errors.js';
import type { Clock } from '../shared/ports.js';
import { audienceOf, type Broadcast, type UpdateContent } from './broadcast.js';
import {
  type AudienceOption,
  audienceOptions,
  type DraftInput,
  type ValidDraft,
  validateDraft,
} from './broadcastDraft.js';
import type { BroadcastStore, DeliveryStore, Outbox, SavedListStore } from './ports.js';

/** Use cases behind the compose -> preview -> confirm -> progress flow, and cancelling. */
export interface BroadcastingDeps {
  members: MemberStore;
  initiatives: InitiativeStore;
  broadcasts: BroadcastStore;
  savedLists: SavedListStore;
  clock: Clock;
  newId: () => string;
  /** Whether guests and people of other organisations are messaged. */
  reach: ReachPolicy;
}

export type PreparedDraft =
  | { ok: false; errors: FieldError[]; options: AudienceOption[] }
  | {
      ok: true;
      draft: ValidDraft;
      recipients: Member[];
      /** Everyone the audience names, and how many of them Huddle can reach: the preview says who it cannot. */
      reach: ReachCount;
      inQuietHours: number;
      options: AudienceOption[];
    };

/** The audience choices for a compose card, within the initiative the update is about, if any. */
export async function composeOptions(
  deps: BroadcastingDeps,
  tenantId: string,
  initiativeId: string,
): Promise<AudienceOption[]> {
  const { members, initiatives, lists } = await audienceSources(deps, tenantId);
  return audienceOptions(deps.reach, members, initiatives, lists, aboutOf(initiatives, initiativeId));
}

/** The initiative a draft is about: none for '' or an id no longer known (validation says so). */
export const aboutOf = (initiatives: readonly Initiative[], initiativeId: string) =>
  initiativeId === '' ? undefined : initiatives.find((initiative) => initiative.id === initiativeId);

/**
 * Everything an audience can be made of, for one tenant: who a broadcast or pulse reaches, and the
 * choices on the cards that compose them.
 */
export async function audienceSources(
  deps: { members: MemberStore; initiatives: InitiativeStore; savedLists: SavedListStore },
  tenantId: string,
) {
  const [members, initiatives, lists] = await Promise.all([
    deps.members.list(tenantId),
    deps.initiatives.list(tenantId),
    deps.savedLists.list(tenantId),
  ]);
  return { members, initiatives, lists };
}
export type AudienceSources = Awaited<ReturnType<typeof audienceSources>>;

/** Validates a draft and works out who would receive it and how many are in quiet hours right now. */
export async function prepareDraft(
  deps: BroadcastingDeps,
  manager: Manager,
  input: DraftInput,
): Promise<PreparedDraft> {
  const { members, initiatives, lists } = await audienceSources(deps, manager.tenantId);
  const options = audienceOptions(
    deps.reach,
    members,
    initiatives,
    lists,
    aboutOf(initiatives, input.initiativeId),
  );
  const now = deps.clock.now();
  const checked = validateDraft(input, { options, initiatives, now, timeZone: manager.timeZone, members });
  if (!checked.ok) return { ok: false, errors: checked.errors, options };
  const audience = audienceOf(
    members,
    checked.draft.audience.audience,
    checked.draft.initiative?.id,
    initiatives,
    lists,
  );
  const recipients = audience.filter(reachableUnder(deps.reach));
  if (recipients.length === 0) {
    return { ok: false, errors: [{ key: 'broadcast.error.noRecipients', values: {} }], options };
  }
  const inQuietHours = recipients.filter((member) =>
    quietUntil(now, member.quietHours, member.timeZone),
  ).length;
  return {
    ok: true,
    draft: checked.draft,
    recipients,
    reach: countReach(audience, deps.reach),
    inQuietHours,
    options,
  };
}

/**
 * Saves a confirmed draft as a scheduled broadcast (due now for "send now"); the scheduler puts it in the
 * outbox. The draft is validated again: it came back from a card, and time has passed since the preview.
 */
export async function scheduleBroadcast(
  deps: BroadcastingDeps,
  manager: Manager,
  input: DraftInput,
  progress: { conversation: ConversationReference; activityId: string | undefined },
  send: { id?: string; loop?: UpdateContent['loop']; champion?: Broadcast['champion'] } = {},
): Promise<
  { ok: true; broadcast: Broadcast } | { ok: false; errors: FieldError[]; options: AudienceOption[] }
> {
  const prepared = await prepareDraft(deps, manager, input);
  if (!prepared.ok) return prepared;
  const { draft } = prepared;
  const now = deps.clock.now().toISOString();
  const broadcast: Broadcast = {
    tenantId: manager.tenantId,
    id: send.id ?? deps.newId(),
    initiativeId: draft.initiative?.id,
    stageIndex: draft.stageIndex,
    content: send.loop === undefined ? draft.content : { ...draft.content, loop: send.loop },
    champion: send.champion,
    audience: draft.audience.audience,
    urgent: draft.urgent,
    sendAt: (draft.sendAt ?? deps.clock.now()).toISOString(),
    status: 'scheduled',
    createdBy: {
      aadObjectId: manager.aadObjectId,
      name: manager.name,
      locale: manager.locale,
      timeZone: manager.timeZone,
    },
    managerConversation: progress.conversation,
    progressActivityId: progress.activityId,
    recipients: prepared.recipients.length,
    createdAt: now,
    updatedAt: now,
  };
  // A send with a derived id (a "You said, we did" card) is made once, however often it is confirmed.
  if (send.id !== undefined && !(await deps.broadcasts.createMissing(broadcast))) {
    return {
      ok: true,
      broadcast: (await deps.broadcasts.get(broadcast.tenantId, broadcast.id)) ?? broadcast,
    };
  }
  if (send.id === undefined) await deps.broadcasts.create(broadcast);
  return { ok: true, broadcast };
}

/** Stops a scheduled or sending broadcast; recipients not yet sent to are skipped by the workers. */
export async function cancelBroadcast(
  deps: BroadcastingDeps,
  tenantId: string,
  id: string,
): Promise<Broadcast> {
  const result = await deps.broadcasts.modify(tenantId, id, (current) =>
    current.status === 'scheduled' || current.status === 'sending'
      ? { ...current, status: 'cancelled', updatedAt: deps.clock.now().toISOString() }
      : undefined,
  );
  if (result === undefined) throw new UserInputError('card.expired', {});
  if (!result.changed) throw new UserInputError('broadcast.alreadyFinished', {});
  return result.broadcast;
}

/**
 * The manager chose a possible duplicate over a possibly missed update: recipients whose send was
 * interrupted ("unconfirmed") go back in the outbox, and the broadcast is open again until they are sent.
 */
export async function resendUnconfirmed(
  deps: BroadcastingDeps & { deliveries: DeliveryStore; outbox: Outbox },
  tenantId: string,
  id: string,
): Promise<{ broadcast: Broadcast; resent: number }> {
  const broadcast = await deps.broadcasts.get(tenantId, id);
  if (broadcast === undefined) throw new UserInputError('card.expired', {});
  if (broadcast.status === 'cancelled') throw new UserInputError('broadcast.alreadyFinished', {});
  const doubtful = (await deps.deliveries.outcomes(id)).filter((row) => row.status === 'unconfirmed');
  for (const row of doubtful) {
    await deps.deliveries.modify(id, row.memberId, (current) =>
      current.status === 'unconfirmed' ? { ...current, status: 'pending', reason: undefined } : undefined,
    );
  }
  const reopened = await deps.broadcasts.modify(tenantId, id, (current) =>
    current.status === 'done'
      ? { ...current, status: 'sending', finishedAt: undefined, updatedAt: deps.clock.now().toISOString() }
      : undefined,
  );
  await deps.outbox.requeue(
    tenantId,
    id,
    doubtful.map((row) => row.memberId),
  );
  return { broadcast: reopened?.broadcast ?? broadcast, resent: doubtful.length };
}

export const EMPTY_DRAFT: DraftInput = {
  headline: '',
  message: '',
  audience: 'all',
  when: 'now',
  date: '',
  time: '',
  urgent: false,
  imageUrl: '',
  link: '',
  initiativeId: '',
  stageIndex: '',
};

/** The draft a stage update starts from: the stage's title and explanation, to the initiative's audience. */
export function stageUpdateDraft(initiative: Initiative): DraftInput {
  const stage = initiative.stages[initiative.currentStage];
  return {
    ...EMPTY_DRAFT,
    headline: stage?.title ?? initiative.title,
    message: stage?.explanation ?? '',
    initiativeId: initiative.id,
    stageIndex: String(initiative.currentStage),
  };
}
