import { createHash } from 'node:crypto';
import { type Broadcast, SENT_BY_HUDDLE, scheduledNow } from '../broadcasts/broadcast.js';
import type { BroadcastStore } from '../broadcasts/ports.js';
import type { MemberGroups } from '../people/member.js';
import type { MemberStore } from '../people/ports.js';
import type { ReachPolicy } from '../people/reach.js';
import type { BootstrapRoles } from '../people/roles.js';
import { UserInputError } from '../shared/errors.js';
import { isoWeek } from '../shared/isoWeek.js';
import type { Clock } from '../shared/ports.js';
import {
  type Comment,
  type CommentRef,
  type CommentSource,
  commentMaxLength,
  DISCLOSURE_MAX_LENGTH,
  type WordsRef,
} from './comment.js';
import type { CommentStore, EscalationStore } from './ports.js';
import type { ReplyHandles } from './replyHandles.js';
import {
  alertRecipients,
  alertSendId,
  askedEscalation,
  type Escalation,
  type FlaggedBy,
  raisedEscalation,
  writerAnswered,
} from './safeguarding.js';
import type { CommentClassifier, Theme } from './themes.js';
import { refuseWaiting, type WaitingDeps } from './waitingAnswers.js';

export interface FeedbackDeps {
  comments: CommentStore;
  classifier: CommentClassifier;
  escalations: EscalationStore;
  broadcasts: Pick<BroadcastStore, 'createMissing'>;
  members: Pick<MemberStore, 'list'>;
  bootstrap: BootstrapRoles;
  /** Whether guests and people of other organisations are messaged (an alert too). */
  reach: ReachPolicy;
  clock: Clock;
  newId: () => string;
  /** How long an alert waits for an acknowledgement before it is sent again. */
  safeguardingResendMs: number;
  /** Asks the scheduler to look for due work now, so an alert goes within seconds. */
  scheduler: { nudge(): void };
  metrics: { escalationRaised(): void };
  /** Seals the way back to the writer, so a manager can reply without learning who it is. */
  replyHandles: Pick<ReplyHandles, 'seal'>;
  /**
   * Asks for the slower reading of a comment about to be stored (see `readAgain`). Asked before storing, so
   * a comment is never stored without it; the reading waits for the comment if it comes first.
   */
  secondReading: { due(ref: WordsRef): Promise<void> };
}

/** What someone said, from any source, before Huddle reads it. */
export interface CommentInput {
  tenantId: string;
  /** Given when an edit must replace an earlier comment (a pulse's open answer); otherwise new. */
  id?: string | undefined;
  source: CommentSource;
  text: string;
  anonymous: boolean;
  author?: { aadObjectId: string; name: string } | undefined;
  groups: MemberGroups;
  initiativeId?: string | undefined;
  broadcastId?: string | undefined;
  pulseId?: string | undefined;
  /** The pulse round, for an open answer. */
  round?: number | undefined;
  /** The partition week, when it is not this week's (a pulse answer belongs to its round's week). */
  week?: string | undefined;
  /** The writer ticked "this is about someone being harmed, abused or neglected". */
  writerSaysHarm?: boolean | undefined;
  /** What the writer said it is mostly about, if they chose (see `parseWriterTags`). */
  tags?: readonly Theme[] | undefined;
}

export type RecordOutcome =
  | {
      kind: 'recorded';
      comment: Comment;
      /** Set when it was passed to the safeguarding lead. */
      escalation?: Escalation | undefined;
    }
  /** Nothing was stored: the words are over `max`, the limit for what they are (see `commentMaxLength`). */
  | { kind: 'tooLong'; length: number; max: number };

/**
 * Stores a comment with what the classifier reads in it. A possible disclosure (the classifier's flag, or
 * the writer's own tick, which needs no classifier to agree) is escalated before this returns: the alert
 * send is in the outbox and the scheduler has been woken, so the lead hears within seconds. Anything else
 * is read again after the writer is thanked (`secondReading`), by the slower readers. The length is
 * checked after reading, because a disclosure may be longer than an ordinary comment.
 */
export async function recordComment(deps: FeedbackDeps, input: CommentInput): Promise<RecordOutcome> {
  const length = input.text.length;
  // Past the longest anything may be there is nothing to read (nor to send to a model) before refusing.
  if (length > DISCLOSURE_MAX_LENGTH)
    return { kind: 'tooLong', length, max: commentMaxLength(input.writerSaysHarm === true) };
  const now = deps.clock.now();
  const analysis = await deps.classifier.classify(input.text);
  const flaggedBy = flaggedByOf(input.writerSaysHarm === true, analysis.safeguarding);
  const max = commentMaxLength(flaggedBy !== undefined);
  if (length > max) return { kind: 'tooLong', length, max };
  const id = input.id ?? deps.newId();
  const escalationId = flaggedBy === undefined ? undefined : escalationIdOf(input, deps.newId);
  const comment: Comment = {
    tenantId: input.tenantId,
    id,
    source: input.source,
    tags: input.tags,
    initiativeId: input.initiativeId,
    broadcastId: input.broadcastId,
    pulseId: input.pulseId,
    round: input.round,
    text: input.text,
    anonymous: input.anonymous,
    author: input.anonymous ? undefined : input.author,
    groups: input.groups,
    week: input.week ?? isoWeek(now),
    day: now.toISOString().slice(0, 10),
    analysis,
    escalationId,
    // A possible disclosure is the safeguarding lead's to follow up, with the procedure, not a manager's.
    replyHandle:
      input.author === undefined || escalationId !== undefined
        ? undefined
        : deps.replyHandles.seal(input.tenantId, id, input.author.aadObjectId, now),
  };
  if (flaggedBy === undefined)
    await deps.secondReading.due({
      tenantId: comment.tenantId,
      initiativeId: comment.initiativeId,
      week: comment.week,
      id,
    });
  await deps.comments.add(comment);
  if (flaggedBy === undefined || comment.escalationId === undefined) return { kind: 'recorded', comment };
  const fields = escalationFieldsOf(comment, comment.escalationId);
  // The writer's own word raises it at once; Huddle's reading alone asks the writer first.
  const fresh =
    flaggedBy === 'huddle'
      ? askedEscalation(fields, now)
      : raisedEscalation({ ...fields, flaggedBy }, now, deps.safeguardingResendMs);
  // A comment that replaces itself (a pulse answer sent again unchanged) finds its escalation, its
  // question or its alert already there: neither the lead nor the writer is asked twice for the same words.
  const created = await deps.escalations.createMissing(fresh);
  const escalation = created ? fresh : ((await deps.escalations.get(fresh.tenantId, fresh.id)) ?? fresh);
  if (escalation.status === 'dismissed') {
    // The writer already said these words are not about harm: they stay ordinary feedback.
    await deps.comments.dropEscalation(comment, escalation.id);
    return { kind: 'recorded', comment: { ...comment, escalationId: undefined } };
  }
  if (escalation.status === 'raised') {
    if (created) deps.metrics.escalationRaised();
    await sendAlert(deps, escalation, 1, now);
  }
  return { kind: 'recorded', comment, escalation };
}

/** What an escalation keeps of the comment it is about: the words, and the writer only if they gave it. */
export function escalationFieldsOf(comment: Comment, id: string) {
  return {
    tenantId: comment.tenantId,
    id,
    commentId: comment.id,
    commentWeek: comment.week,
    initiativeId: comment.initiativeId,
    text: comment.text,
    anonymous: comment.anonymous,
    writer: comment.author,
  };
}

/**
 * A manager or leader reading a comment passes it to the safeguarding lead: raised like any disclosure
 * (urgent, resent until acknowledged), with who passed it on in its timeline, and the comment leaves the
 * managers' list as every disclosure does. Passing the same comment on again changes nothing. The writer
 * is named to the lead only if they gave their name.
 */
export async function passToSafeguarding(
  deps: FeedbackDeps & WaitingDeps,
  ref: CommentRef,
  reader: { name: string },
): Promise<Escalation> {
  const comment = await deps.comments.get(ref);
  if (comment === undefined) throw new UserInputError('followUp.gone', {});
  // A pulse answer still waiting was on no reader's list: it is not theirs to pass on. One that may
  // disclose harm went to the lead when it was written (`recordComment`), whatever its round.
  await refuseWaiting(deps, comment);
  // Already with the lead (pressed on a list shown before it went): nothing to add. A question the writer
  // has not answered, or answered no, does not stop a second person: theirs is a separate escalation.
  const current =
    comment.escalationId === undefined
      ? undefined
      : await deps.escalations.get(comment.tenantId, comment.escalationId);
  if (current?.status === 'raised' || current?.status === 'acknowledged') return current;
  const now = deps.clock.now();
  const escalation = raisedEscalation(
    { ...escalationFieldsOf(comment, passedOnId(comment)), flaggedBy: 'reader' },
    now,
    deps.safeguardingResendMs,
    reader.name,
  );
  if (await deps.escalations.createMissing(escalation)) {
    deps.metrics.escalationRaised();
    await sendAlert(deps, escalation, 1, now);
  }
  await deps.comments.setEscalation(ref, escalation.id);
  return escalation;
}

/**
 * The writer's answer to "Is that right?" (see `writerAnswered`): yes alerts the lead now, urgently; no
 * closes the question, and the comment goes back to the managers as ordinary feedback. `undefined` when the
 * escalation is gone.
 */
export async function answerAsWriter(
  deps: FeedbackDeps,
  tenantId: string,
  escalationId: string,
  answer: 'yes' | 'no',
): Promise<Escalation | undefined> {
  const now = deps.clock.now();
  let alert: number | undefined;
  const escalation = await deps.escalations.modify(tenantId, escalationId, (current) => {
    const answered = writerAnswered(current, answer, now, deps.safeguardingResendMs);
    alert = answered?.alert;
    return answered?.next;
  });
  if (escalation === undefined) return undefined;
  if (alert !== undefined) {
    if (alert === 1) deps.metrics.escalationRaised();
    await sendAlert(deps, escalation, alert, now);
  }
  if (escalation.status === 'dismissed' && escalation.commentWeek !== undefined) {
    const ref = {
      tenantId,
      initiativeId: escalation.initiativeId,
      week: escalation.commentWeek,
      id: escalation.commentId,
    };
    await deps.comments.dropEscalation(ref, escalation.id);
  }
  return escalation;
}

const passedOnId = (comment: Comment) =>
  createHash('sha256').update(`${comment.tenantId}\n${comment.id}\npassed on`).digest('hex').slice(0, 32);

/** Derived from the comment and its words when the comment replaces itself; new otherwise. */
function escalationIdOf(input: CommentInput, newId: () => string): string {
  return input.id === undefined ? newId() : wordsEscalationId({ ...input, id: input.id });
}

/**
 * The escalation of a comment's words, the same however often they are read: an edited pulse answer sent
 * again unchanged, or a second reading repeated.
 */
export const wordsEscalationId = (comment: Pick<Comment, 'tenantId' | 'id' | 'text'>) =>
  createHash('sha256')
    .update(`${comment.tenantId}\n${comment.id}\n${comment.text}`)
    .digest('hex')
    .slice(0, 32);

function flaggedByOf(writer: boolean, huddle: boolean): FlaggedBy | undefined {
  if (writer && huddle) return 'both';
  if (writer) return 'writer';
  return huddle ? 'huddle' : undefined;
}

/**
 * Puts alert number `alert` in the outbox: urgent (it ignores quiet hours), to the leads, and from the
 * second alert on to the admins as well.
 */
export async function sendAlert(
  deps: Pick<FeedbackDeps, 'members' | 'bootstrap' | 'reach' | 'broadcasts' | 'scheduler'>,
  escalation: Escalation,
  alert: number,
  now: Date,
  { urgent }: { urgent: boolean } = { urgent: true },
): Promise<void> {
  const recipients = alertRecipients(
    deps.reach,
    await deps.members.list(escalation.tenantId),
    deps.bootstrap,
    alert > 1,
  );
  await deps.broadcasts.createMissing(alertSend(escalation, alert, recipients, now, urgent));
  deps.scheduler.nudge();
}

function alertSend(
  escalation: Escalation,
  alert: number,
  memberIds: string[],
  now: Date,
  urgent: boolean,
): Broadcast {
  return {
    ...scheduledNow(now),
    tenantId: escalation.tenantId,
    id: alertSendId(escalation.id, alert),
    initiativeId: escalation.initiativeId,
    // The manager-facing lists name the send; the words themselves stay in the escalation.
    content: { headline: 'Safeguarding alert', message: '' },
    alert: { escalationId: escalation.id, number: alert },
    audience: { kind: 'members', memberIds },
    urgent,
    createdBy: SENT_BY_HUDDLE,
  };
}
