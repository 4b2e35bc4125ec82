import type { Broadcast } from '../broadcasts/broadcast.js';
import { audienceOptions } from '../broadcasts/broadcastDraft.js';
import {
  audienceSources,
  type BroadcastingDeps,
  EMPTY_DRAFT,
  scheduleBroadcast,
} from '../broadcasts/broadcasting.js';
import type { CommentRef } from '../feedback/comment.js';
import { type FollowUpDeps, replyToWriter } from '../feedback/followUp.js';
import type { Theme } from '../feedback/themes.js';
import { isWaiting } from '../feedback/waitingAnswers.js';
import type { ConversationReference, Manager } from '../people/member.js';
import { type FieldError, UserInputError } from '../shared/errors.js';
import { localDayAndTime } from '../shared/timeZone.js';
import {
  type ActionInput,
  type ActionStatus,
  type LoopAction,
  moveAction,
  publishable,
  validateAction,
} from './action.js';
import type { ActionStore } from './ports.js';

export interface LoopDeps extends BroadcastingDeps, Omit<FollowUpDeps, 'broadcasts'> {
  actions: ActionStore;
}

/** Where an action started: a comment in `comments`, a theme on the digest or `results`, or neither. */
export interface ActionSource {
  comment?: CommentRef | undefined;
  theme?: Theme | undefined;
}

/** Records an action from the form, or says what is wrong with it and stores nothing. */
export async function recordAction(
  deps: LoopDeps,
  manager: Manager,
  input: ActionInput,
  from: ActionSource = {},
): Promise<{ ok: true; action: LoopAction } | { ok: false; errors: FieldError[] }> {
  const { members, initiatives, lists } = await audienceSources(deps, manager.tenantId);
  const options = audienceOptions(deps.reach, members, initiatives, lists);
  const today = localDayAndTime(deps.clock.now(), manager.timeZone).day;
  const checked = validateAction(input, { members, initiatives, options, today });
  if (!checked.ok) return checked;
  // Started from a comment: it must still be there, listed (not with the safeguarding lead, nor a pulse
  // answer still waiting for its round to have enough answers).
  const comment = from.comment === undefined ? undefined : await deps.comments.get(from.comment);
  if (
    from.comment !== undefined &&
    (comment === undefined || comment.escalationId !== undefined || (await isWaiting(deps, comment)))
  )
    return { ok: false, errors: [{ key: 'action.error.comment', values: {} }] };
  const now = deps.clock.now().toISOString();
  const action: LoopAction = {
    ...checked.action,
    tenantId: manager.tenantId,
    id: deps.newId(),
    createdBy: { aadObjectId: manager.aadObjectId, name: manager.name },
    createdAt: now,
    updatedAt: now,
    fromComment: from.comment,
    fromTheme: from.theme,
  };
  await deps.actions.create(action);
  return { ok: true, action };
}

/** The words of a "You said, we did" card, in the manager's language (the handler has the strings). */
export interface LoopWords {
  headline: string;
  message: (action: LoopAction, as: 'willDo' | 'done') => string;
  /** What the writer of the comment it started from is told, in the manager's words. */
  toWriter: (action: LoopAction) => string;
}

/** The send of one "You said, we did" card: derived, so publishing twice sends once. */
export const loopSendId = (actionId: string, as: 'willDo' | 'done') => `loop.${actionId}.${as}`;

/**
 * Publishes what will be done (while open or under way) or that it was done (once done), to the action's
 * audience through the outbox, like any update: counts come back on the manager's progress card.
 */
export async function publishAction(
  deps: LoopDeps,
  manager: Manager,
  actionId: string,
  words: LoopWords,
  progress: { conversation: ConversationReference; activityId: string | undefined },
): Promise<{ action: LoopAction; broadcast: Broadcast }> {
  const action = await deps.actions.get(manager.tenantId, actionId);
  if (action === undefined) throw new UserInputError('action.gone', {});
  const as = publishable(action);
  if (as === undefined)
    throw new UserInputError(
      `action.error.${action.status === 'dropped' ? 'droppedPublish' : 'published'}`,
      {},
    );
  const result = await scheduleBroadcast(
    deps,
    manager,
    {
      ...EMPTY_DRAFT,
      headline: words.headline,
      message: words.message(action, as),
      audience: action.audience,
      initiativeId: action.initiativeId ?? '',
    },
    progress,
    { id: loopSendId(action.id, as), loop: as },
  );
  if (!result.ok)
    throw new UserInputError(
      result.errors[0]?.key ?? 'action.error.audience',
      result.errors[0]?.values ?? {},
    );
  const saved = await deps.actions.modify(action.tenantId, action.id, (current) =>
    current.published.includes(as)
      ? undefined
      : { ...current, published: [...current.published, as], updatedAt: deps.clock.now().toISOString() },
  );
  if (as === 'willDo' && action.fromComment !== undefined && saved !== undefined)
    await tellWriter(deps, manager, action.fromComment, words.toWriter(action));
  return { action: saved ?? action, broadcast: result.broadcast };
}

/**
 * Tells the writer of the comment an action started from, as a reply in its follow-up (so through the sealed
 * handle: nobody learns who they are). A writer who closed the conversation, or whose handle has expired,
 * is not told; the action is published all the same.
 */
async function tellWriter(deps: LoopDeps, manager: Manager, ref: CommentRef, text: string): Promise<void> {
  try {
    await replyToWriter(deps, manager, ref, text);
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
  }
}

/** Moves an action to `to` (a reason for dropping it); refused when the status does not allow it. */
export async function setActionStatus(
  deps: Pick<LoopDeps, 'actions' | 'clock'>,
  tenantId: string,
  actionId: string,
  to: ActionStatus,
  reason: string,
): Promise<LoopAction> {
  // A move the status does not allow throws inside the change, so nothing is written and the person is told.
  const saved = await deps.actions.modify(tenantId, actionId, (latest) =>
    latest.status === to ? undefined : moveAction(latest, to, deps.clock.now(), reason),
  );
  if (saved === undefined) throw new UserInputError('action.gone', {});
  return saved;
}
