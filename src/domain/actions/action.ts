import type { AudienceOption } from '../broadcasts/broadcastDraft.js';
import type { CommentRef } from '../feedback/comment.js';
import type { Theme } from '../feedback/themes.js';
import type { Initiative } from '../initiatives/initiative.js';
import type { Member } from '../people/member.js';
import { type FieldError, UserInputError } from '../shared/errors.js';
import { isCalendarDay } from '../shared/timeZone.js';

/**
 * "You said, we did": what a manager heard from staff, in their own words (an anonymous comment is never
 * quoted as it stands), what will be done about it, by whom and by when, and who should hear about it.
 */
export interface LoopAction {
  tenantId: string;
  id: string;
  initiativeId?: string | undefined;
  heard: string;
  willDo: string;
  owner: { aadObjectId: string; name: string };
  /** `YYYY-MM-DD`. */
  due: string;
  /** The audience choice, as a broadcast's compose card offers it. */
  audience: string;
  status: ActionStatus;
  dropReason?: string | undefined;
  createdBy: { aadObjectId: string; name: string };
  createdAt: string;
  updatedAt: string;
  doneAt?: string | undefined;
  /** When its owner was reminded that it is overdue: once, however long it stays so. */
  remindedAt?: string | undefined;
  /** Which "You said, we did" cards have gone out: what will be done, and that it was done. */
  published: PublishedAs[];
  /** The comment it started from, whose writer is told (through the sealed reply handle) when it is published. */
  fromComment?: CommentRef | undefined;
  /** The theme it answers, when it started from a theme on the digest or `results` (a theme carries no words). */
  fromTheme?: Theme | undefined;
}

export const ACTION_STATUSES = ['open', 'inProgress', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const PUBLISHED_AS = ['willDo', 'done'] as const;
export type PublishedAs = (typeof PUBLISHED_AS)[number];

/** The form's choice for an action that belongs to no particular change (a choice's value cannot be empty). */
export const NO_INITIATIVE = 'none';

export const ACTION_LIMITS = { heard: 500, willDo: 500, reason: 300 } as const;

/** What the action form sends. */
export interface ActionInput {
  heard: string;
  willDo: string;
  owner: string;
  due: string;
  initiativeId: string;
  audience: string;
}

/**
 * Checks an action before it is stored: both texts said and not too long, an owner who is a member, a due
 * date that is a real day and not already past, a change that exists (or none), an audience on offer.
 */
export function validateAction(
  input: ActionInput,
  context: {
    members: readonly Member[];
    initiatives: readonly Initiative[];
    options: readonly AudienceOption[];
    today: string;
  },
):
  | { ok: true; action: Omit<LoopAction, 'tenantId' | 'id' | 'createdBy' | 'createdAt' | 'updatedAt'> }
  | {
      ok: false;
      errors: FieldError[];
    } {
  const errors: FieldError[] = [];
  const heard = input.heard.trim();
  const willDo = input.willDo.trim();
  for (const [field, text] of [
    ['heard', heard],
    ['willDo', willDo],
  ] as const) {
    if (text === '') errors.push({ key: `action.error.${field}`, values: {} });
    else if (text.length > ACTION_LIMITS[field])
      errors.push({ key: 'action.error.tooLong', values: { max: ACTION_LIMITS[field], field } });
  }
  const owner = context.members.find((member) => member.aadObjectId === input.owner);
  if (owner === undefined) errors.push({ key: 'action.error.owner', values: {} });
  const due = input.due.trim().slice(0, 10);
  if (!isCalendarDay(due)) errors.push({ key: 'action.error.due', values: {} });
  else if (due < context.today) errors.push({ key: 'action.error.duePast', values: {} });
  const chosen = input.initiativeId === NO_INITIATIVE ? '' : input.initiativeId;
  const initiative = chosen === '' ? undefined : context.initiatives.find((one) => one.id === chosen);
  if (chosen !== '' && initiative === undefined) errors.push({ key: 'action.error.initiative', values: {} });
  if (!context.options.some((option) => option.key === input.audience))
    errors.push({ key: 'action.error.audience', values: {} });
  if (errors.length > 0 || owner === undefined) return { ok: false, errors };
  return {
    ok: true,
    action: {
      initiativeId: initiative?.id,
      heard,
      willDo,
      owner: { aadObjectId: owner.aadObjectId, name: owner.name },
      due,
      audience: input.audience,
      status: 'open',
      published: [],
    },
  };
}

/** Where an action may go from each status; done and dropped are final. */
const NEXT: Record<ActionStatus, readonly ActionStatus[]> = {
  open: ['inProgress', 'done', 'dropped'],
  inProgress: ['done', 'dropped'],
  done: [],
  dropped: [],
};

/** Moves an action on; dropping needs a reason, and a move the status does not allow is refused. */
export function moveAction(action: LoopAction, to: ActionStatus, now: Date, reason = ''): LoopAction {
  if (!NEXT[action.status].includes(to))
    throw new UserInputError('action.error.move', { from: action.status, to });
  const why = reason.trim();
  if (to === 'dropped' && why === '') throw new UserInputError('action.error.reason', {});
  if (why.length > ACTION_LIMITS.reason)
    throw new UserInputError('action.error.tooLong', { max: ACTION_LIMITS.reason, field: 'reason' });
  return {
    ...action,
    status: to,
    dropReason: to === 'dropped' ? why : action.dropReason,
    doneAt: to === 'done' ? now.toISOString() : action.doneAt,
    updatedAt: now.toISOString(),
  };
}

/** What can be published now: what will be done while it is open or under way, that it was done once it is. */
export function publishable(action: LoopAction): PublishedAs | undefined {
  const as: PublishedAs | undefined =
    action.status === 'done' ? 'done' : action.status === 'dropped' ? undefined : 'willDo';
  return as !== undefined && !action.published.includes(as) ? as : undefined;
}

export const isOverdue = (action: LoopAction, today: string) =>
  (action.status === 'open' || action.status === 'inProgress') && action.due < today;

/** The loop in figures for one period: what is open, overdue and done, and how fast actions close. */
export interface LoopFigures {
  open: number;
  overdue: number;
  doneThisWeek: number;
  /** Per cent of actions decided (done or dropped) that were done; absent while none was decided. */
  closureRate?: number | undefined;
  /** Median whole days from recording to done; absent while none is done. */
  medianDaysToClose?: number | undefined;
}

export function loopFigures(actions: readonly LoopAction[], period: { from: Date; to: Date }): LoopFigures {
  const today = period.to.toISOString().slice(0, 10);
  const done = actions.filter((action) => action.status === 'done' && action.doneAt !== undefined);
  const decided = actions.filter((action) => action.status === 'done' || action.status === 'dropped');
  const days = done
    .map((action) =>
      Math.floor((Date.parse(action.doneAt as string) - Date.parse(action.createdAt)) / 86_400_000),
    )
    .sort((a, b) => a - b);
  return {
    open: actions.filter((action) => action.status === 'open' || action.status === 'inProgress').length,
    overdue: actions.filter((action) => isOverdue(action, today)).length,
    doneThisWeek: done.filter(
      (action) =>
        Date.parse(action.doneAt as string) >= period.from.getTime() &&
        Date.parse(action.doneAt as string) < period.to.getTime(),
    ).length,
    closureRate: decided.length === 0 ? undefined : Math.round((100 * done.length) / decided.length),
    medianDaysToClose: median(days),
  };
}

/** The middle of sorted whole numbers, two middles averaged and rounded; absent for none. */
export function median(sorted: readonly number[]): number | undefined {
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}
