import type { Comment, CommentRef, ThreadMessage } from './comment.js';
import type { Escalation } from './safeguarding.js';
import type { CommentAnalysis, Theme } from './themes.js';

/**
 * What the feedback use cases need from storage. `storage/` implements these against Azure Tables; unit tests
 * pass plain objects. Keys, ETags and OData never cross this line.
 */
export interface CommentStore {
  add(comment: Comment): Promise<void>;
  forBroadcast(
    tenantId: string,
    initiativeId: string | undefined,
    weeks: readonly string[],
    broadcastId: string,
  ): Promise<Comment[]>;
  /** The open answers a pulse's round became, read from that round's week. */
  forPulse(
    tenantId: string,
    initiativeId: string | undefined,
    week: string,
    pulseId: string,
  ): Promise<Comment[]>;
  /** Removes a comment if it is there. */
  remove(where: CommentRef): Promise<void>;
  get(where: CommentRef): Promise<Comment | undefined>;
  /** One initiative's comments stored in the given ISO weeks (one partition each), written after `afterDay`. */
  inWeeks(
    tenantId: string,
    initiativeId: string | undefined,
    weeks: readonly string[],
    afterDay: string,
  ): Promise<Comment[]>;
  /** One tenant's comments written on or after `sinceDay` (`YYYY-MM-DD`), newest first. */
  recent(tenantId: string, sinceDay: string): Promise<Comment[]>;
  /** Removes the comment's reply handle, ending its follow-up; nothing happens if it is gone. */
  dropReplyHandle(where: CommentRef): Promise<void>;
  /**
   * Marks the comment as with the safeguarding lead under `escalationId`; nothing if it is gone. The way
   * back for a manager's reply goes with it, unless `keepReplyHandle` (the writer is still to be asked
   * through it whether someone is at risk; a manager cannot reply to a comment with the lead).
   */
  setEscalation(
    where: CommentRef,
    escalationId: string,
    options?: { keepReplyHandle: boolean },
  ): Promise<void>;
  /** Replaces what Huddle read in the comment (a second, slower reading); nothing if it is gone. */
  setReading(where: CommentRef, analysis: CommentAnalysis): Promise<void>;
  /**
   * Gives the comment back to the managers (the writer said it is not about harm), unless it has since gone
   * to the lead under another escalation (a manager passed it on); nothing if it is gone.
   */
  dropEscalation(where: CommentRef, escalationId: string): Promise<void>;
  /** Records a manager's correction of what the comment is about; `undefined` if it is gone. */
  setManagerTheme(where: CommentRef, theme: Theme): Promise<Comment | undefined>;
}

/**
 * The answers of one pulse round: whether its open answers may be listed yet depends on how many there
 * are (waitingAnswers.ts), which needs nothing else of an answer. The pulses' answer store is one, with
 * its answers' own type.
 */
export interface RoundAnswers<Answer = unknown> {
  forRound(
    tenantId: string,
    initiativeId: string | undefined,
    week: string,
    pulseId: string,
    round: number,
  ): Promise<Answer[]>;
}

/** Follow-ups on comments: PK tenant and comment, so one thread is one partition. */
export interface ThreadStore {
  add(message: ThreadMessage): Promise<void>;
  /** The messages of one thread, oldest first. */
  list(tenantId: string, commentId: string): Promise<ThreadMessage[]>;
}

export interface EscalationStore {
  /** Inserts it unless one with its id exists; true if it did. */
  createMissing(escalation: Escalation): Promise<boolean>;
  get(tenantId: string, id: string): Promise<Escalation | undefined>;
  /** Read-change-write with optimistic concurrency; `change` returns `undefined` to leave it alone. */
  modify(
    tenantId: string,
    id: string,
    change: (current: Escalation) => Escalation | undefined,
  ): Promise<Escalation | undefined>;
  /**
   * Escalations of every tenant still open: raised and not acknowledged, or waiting for the writer's
   * answer. What the scheduler chases.
   */
  open(): Promise<Escalation[]>;
  /** One tenant's escalations raised in [from, to). */
  raisedBetween(tenantId: string, from: string, to: string): Promise<Escalation[]>;
  /** One tenant's escalations, newest first. */
  list(tenantId: string): Promise<Escalation[]>;
}
