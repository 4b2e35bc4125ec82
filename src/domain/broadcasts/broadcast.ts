import type { ChampionContact } from '../champions/championGroups.js';
import type { Initiative } from '../initiatives/initiative.js';
import type { ConversationReference, Member, MemberGroups } from '../people/member.js';
import { type ReachPolicy, reachableUnder } from '../people/reach.js';
import type { SavedList } from './savedList.js';

/**
 * A message to many staff: a stage update of an initiative or a manager's own message. Its content is a
 * snapshot taken when the manager confirmed it, so what staff receive is what the manager previewed.
 */
export interface UpdateContent {
  headline: string;
  /** What is changing (the manager's words). */
  message: string;
  initiativeTitle?: string | undefined;
  /** Why: the drivers for change. */
  why?: string | undefined;
  /** What it means for staff (the stage's plain-language explanation). */
  whatItMeans?: string | undefined;
  /** Planned dates, ISO `YYYY-MM-DD`. */
  from?: string | undefined;
  until?: string | undefined;
  /** Names of the owners to ask. */
  whoToAsk?: string[] | undefined;
  /** The change's champions when it was sent: each reader is shown those of their own group (`championsToAsk`). */
  champions?: ChampionContact[] | undefined;
  imageUrl?: string | undefined;
  link?: string | undefined;
  /** Set on a "You said, we did" card: what will be done, or that it was done. */
  loop?: 'willDo' | 'done' | undefined;
}

export type BroadcastAudience =
  | { kind: 'all' }
  | { kind: 'groups'; groups: MemberGroups[] }
  | { kind: 'champions'; initiativeId: string }
  | { kind: 'list'; listId: string }
  /** Named people: a safeguarding alert's leads, the manager a writer answers. */
  | { kind: 'members'; memberIds: string[] }
  /**
   * Whoever wrote the comment in `followUp` or `question`, known only through the comment's sealed reply handle (see
   * `ReplyHandles`), read when sending starts: a conversation ended meanwhile sends nothing.
   */
  | { kind: 'writer' }
  /**
   * One post in a team channel (a pulse posted there): `userIds` are the Teams ids of the people whose view
   * of it Teams refreshes by itself, at most `USER_VIEWS_MAX`.
   */
  | { kind: 'channel'; conversationId: string; userIds: string[] };

export const BROADCAST_STATUSES = ['scheduled', 'sending', 'done', 'cancelled'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/** Who a digest send is for; `champion` is a champion's weekly note on their own groups. */
export const DIGEST_VIEWS = ['manager', 'leader', 'channel', 'champion'] as const;
export type DigestView = (typeof DIGEST_VIEWS)[number];

export interface Broadcast {
  tenantId: string;
  /** Globally unique: it is the deliveries' partition key. */
  id: string;
  initiativeId?: string | undefined;
  /** The stage this update announces, when it is a stage update. */
  stageIndex?: number | undefined;
  content: UpdateContent;
  /**
   * Set when this send carries a pulse round (its opening, or a reminder) rather than an update: staff
   * get the pulse card, and `content.headline` is the pulse's title for the manager's lists.
   */
  pulse?: { pulseId: string; round: number; send: 'open' | 'reminder' } | undefined;
  /** Set when this send is a safeguarding alert: leads get the alert card of this escalation. */
  alert?: { escalationId: string; number: number } | undefined;
  /** Set when this send is one message of a follow-up on a comment (a reply, or the writer's answer). */
  followUp?:
    | { initiativeId?: string | undefined; week: string; commentId: string; messageId: string }
    | undefined;
  /**
   * Set when this send asks a comment's writer whether someone is at risk (the second reading found a
   * possible disclosure): the question card of this escalation, with the keyed token only the writer's
   * answer matches. The audience is the writer, found through the comment's reply handle.
   */
  question?:
    | {
        escalationId: string;
        token: string;
        initiativeId?: string | undefined;
        week: string;
        commentId: string;
      }
    | undefined;
  /**
   * Set when this send is the weekly digest: managers and owners get one initiative's card, leaders the
   * overview of all, a channel the figures only, champions a note on their own groups.
   */
  digest?: { week: string; view: DigestView; initiativeIds: string[] } | undefined;
  /**
   * Set when this send is a step of becoming a change champion: the invitation (with Yes), a volunteer's
   * yes to the managers (with Accept and Decline), or their answer to the volunteer.
   */
  champion?:
    | {
        initiativeId: string;
        step: 'invite' | 'volunteered' | 'accepted' | 'declined';
        volunteerId?: string | undefined;
      }
    | undefined;
  /** Set when this send is the one reminder to an action's owner that it is overdue. */
  overdueAction?: { actionId: string } | undefined;
  /** Not sent after this moment (a pulse round's close): anyone not reached by then is skipped. */
  expiresAt?: string | undefined;
  audience: BroadcastAudience;
  /** Urgent messages ignore quiet hours. */
  urgent: boolean;
  /** When sending starts (ISO); now for "send now". */
  sendAt: string;
  status: BroadcastStatus;
  createdBy: { aadObjectId: string; name: string; locale: string; timeZone: string };
  /** Where the manager's progress card lives, so it can be updated in place. */
  managerConversation?: ConversationReference | undefined;
  progressActivityId?: string | undefined;
  recipients: number;
  /** The last figures shown to the manager (kept for `broadcasts` after sending ends). */
  figures?: Figures | undefined;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string | undefined;
}

/**
 * Who a send is from when no person should be recorded: a safeguarding alert, or a writer's answer to a
 * manager (recording the writer would undo their anonymity).
 */
export const SENT_BY_HUDDLE: Broadcast['createdBy'] = {
  aadObjectId: 'huddle',
  name: 'Huddle',
  locale: 'en-GB',
  timeZone: 'UTC',
};

/** What every send made by Huddle itself starts as: scheduled for now, nobody enqueued yet. */
export const scheduledNow = (now: Date) => {
  const stamp = now.toISOString();
  return {
    sendAt: stamp,
    status: 'scheduled',
    recipients: 0,
    createdAt: stamp,
    updatedAt: stamp,
  } satisfies Partial<Broadcast>;
};

/** The row key of the one delivery of a follow-up message to a comment's writer. */
export const ANONYMOUS_RECIPIENT = 'writer';

/** The state of one recipient's copy. */
export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'gone',
  'skipped',
  'unconfirmed',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Statuses that never change again: the worker skips these rows. */
export const FINAL_STATUSES: readonly DeliveryStatus[] = ['sent', 'failed', 'gone', 'skipped', 'unconfirmed'];

export interface Delivery {
  broadcastId: string;
  tenantId: string;
  /** The recipient's member id, or `ANONYMOUS_RECIPIENT` for a comment's writer. */
  memberId: string;
  /**
   * For a comment's writer: storage keeps who it is for (the conversation, locale, time zone, quiet hours
   * and groups) sealed, so the row names nobody. Workers see the row as usual.
   */
  anonymousRecipient?: boolean | undefined;
  status: DeliveryStatus;
  attempts: number;
  /**
   * Snapshot taken at enqueue time, so a send needs no member read. Absent for someone Huddle shares only
   * a team with: the worker opens their personal chat at the first send and stores it on the member.
   */
  conversation?: ConversationReference | undefined;
  locale: string;
  timeZone: string;
  quietHours: { start: string; end: string };
  /** The recipient's groups when it was enqueued; a pulse answer is counted under these. */
  groups?: MemberGroups | undefined;
  /** Not before this time (quiet hours, or a retry's backoff). */
  notBefore?: string | undefined;
  /**
   * Which worker holds it (its sender id and the claim's own number), to open the recipient's chat while
   * still `pending` or to send it while `sending`, and until when the claim holds.
   */
  claimedBy?: string | undefined;
  claimedUntil?: string | undefined;
  activityId?: string | undefined;
  /** The sender process that sent it, for operators tracing a scale-out. */
  sentBy?: string | undefined;
  sentAt?: string | undefined;
  /** Why it failed: a status code and code from Teams, never message content. */
  reason?: string | undefined;
  acknowledgedAt?: string | undefined;
}

/**
 * A recipient's row once they have deleted their data: what the broadcast's figures count (outcome, when,
 * the groups they were counted under, as an anonymous answer keeps them), under `anonymousId`, without the
 * chat, message or anything else that leads back to them.
 */
export function withoutRecipient(delivery: Delivery, anonymousId: string): Delivery {
  return {
    broadcastId: delivery.broadcastId,
    tenantId: delivery.tenantId,
    memberId: anonymousId,
    status: delivery.status,
    attempts: delivery.attempts,
    locale: delivery.locale,
    timeZone: delivery.timeZone,
    quietHours: delivery.quietHours,
    groups: delivery.groups,
    notBefore: delivery.notBefore,
    sentAt: delivery.sentAt,
    reason: delivery.reason,
    acknowledgedAt: delivery.acknowledgedAt,
  };
}

export interface Figures {
  recipients: number;
  sent: number;
  failed: number;
  /** Left Teams or removed Huddle: 403/404. */
  gone: number;
  pending: number;
  /** Pending and waiting for quiet hours (or a retry) to end. */
  waiting: number;
  /** Cancelled before their turn. */
  skipped: number;
  /** Huddle stopped while sending to them: most likely delivered, not sent again to avoid a duplicate. */
  unconfirmed: number;
  acknowledged: number;
  concerns: number;
}

/**
 * Whom a send reached: delivered, or sent without Teams' answer ("unconfirmed": most likely delivered).
 * Rates are over these people, never over everyone it was meant for.
 */
export const wasReached = (delivery: Pick<Delivery, 'status'>) =>
  delivery.status === 'sent' || delivery.status === 'unconfirmed';

/** Per cent of the people a send reached who pressed Got it; `undefined` while it has reached nobody. */
export function acknowledgementRate(figures: Figures): number | undefined {
  const reached = figures.sent + figures.unconfirmed;
  return reached === 0 ? undefined : Math.min(100, Math.round((figures.acknowledged / reached) * 100));
}

export function figuresOf(
  deliveries: readonly Pick<Delivery, 'status' | 'notBefore' | 'acknowledgedAt'>[],
  concerns: number,
  now: Date,
): Figures {
  const count = (status: DeliveryStatus) =>
    deliveries.filter((delivery) => delivery.status === status).length;
  return {
    recipients: deliveries.length,
    sent: count('sent'),
    failed: count('failed'),
    gone: count('gone'),
    pending: count('pending') + count('sending'),
    waiting: deliveries.filter(
      (delivery) =>
        delivery.status === 'pending' &&
        delivery.notBefore !== undefined &&
        Date.parse(delivery.notBefore) > now.getTime(),
    ).length,
    skipped: count('skipped'),
    unconfirmed: count('unconfirmed'),
    acknowledged: deliveries.filter((delivery) => delivery.acknowledgedAt !== undefined).length,
    concerns,
  };
}

/** True when a member belongs to a group: every field the group names matches. */
export function inGroup(groups: MemberGroups, group: MemberGroups): boolean {
  const fields = ['site', 'unit', 'jobRole', 'shiftPattern'] as const;
  const named = fields.filter((field) => group[field] !== undefined);
  return named.length > 0 && named.every((field) => groups[field] === group[field]);
}

/** Who receives a broadcast: its audience (see `audienceOf`) among members Huddle can reach. */
export const recipientsOf = (policy: ReachPolicy, ...audience: Parameters<typeof audienceOf>): Member[] =>
  audienceOf(...audience).filter(reachableUnder(policy));

/**
 * Who an audience names: champions are those of the initiative the audience names; a saved list, the
 * people in it as it is now; all within the audience of the initiative the send is about, if any (staff
 * only hear about initiatives that include them). Whether Huddle can message them is not asked: in a
 * channel, people answer without a chat with Huddle.
 */
export function audienceOf(
  members: readonly Member[],
  audience: BroadcastAudience,
  initiativeId: string | undefined,
  initiatives: readonly Initiative[],
  lists: readonly SavedList[],
): Member[] {
  const about = initiatives.find((initiative) => initiative.id === initiativeId);
  const named =
    audience.kind === 'champions'
      ? (initiatives.find((initiative) => initiative.id === audience.initiativeId)?.champions ?? [])
      : audience.kind === 'list'
        ? (lists.find((list) => list.id === audience.listId)?.memberIds ?? [])
        : audience.kind === 'members'
          ? audience.memberIds
          : [];
  const matches = (member: Member, spec: BroadcastAudience | Initiative['audience']) => {
    switch (spec.kind) {
      case 'all':
        return true;
      case 'groups':
        return spec.groups.some((group) => inGroup(member.groups, group));
      case 'champions':
      case 'list':
      case 'members':
        return named.includes(member.aadObjectId);
      case 'writer':
        // Known only by opening the sealed handle, which the scheduler does (`writerOf`).
        return false;
      case 'channel':
        // A post in a channel, not a person.
        return false;
    }
  };
  // People named one by one (a safeguarding lead, the manager a writer answers) are reached whether or not
  // the initiative the send is about includes them.
  const inInitiative = (member: Member) =>
    audience.kind === 'members' || matches(member, about?.audience ?? { kind: 'all' });
  return members.filter((member) => inInitiative(member) && matches(member, audience));
}
