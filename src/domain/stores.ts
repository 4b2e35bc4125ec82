import type { Broadcast, Delivery } from './broadcast.js';
import type { Comment, CommentRef } from './comment.js';
import type { ThreadMessage } from './followUp.js';
import type { Initiative } from './initiative.js';
import type { Installation } from './installation.js';
import type { Member } from './member.js';
import type { Pulse, PulseAnswer, PulseRound } from './pulse.js';
import type { Escalation } from './safeguarding.js';
import type { SavedList } from './savedList.js';
import type { Theme } from './themes.js';

/**
 * What the use cases need from storage. `storage/` implements these against Azure Tables; unit tests pass
 * plain objects. Keys, ETags and OData never cross this line.
 */
export interface MemberStore {
  get(tenantId: string, aadObjectId: string): Promise<Member | undefined>;
  /**
   * Reads the member, applies `change` and writes the result, retrying from a fresh read if another writer
   * got there first. `change` must be pure: it may run more than once.
   */
  modify(
    tenantId: string,
    aadObjectId: string,
    change: (current: Member | undefined) => Member,
  ): Promise<Member>;
  /** Removes the member; false when there was nothing to remove. */
  delete(tenantId: string, aadObjectId: string): Promise<boolean>;
  list(tenantId: string): Promise<Member[]>;
  /** Inserts or replaces many members at once (demo data, imports). */
  putMany(members: readonly Member[]): Promise<void>;
}

export interface InstallationStore {
  put(installation: Installation): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<Installation | undefined>;
  list(tenantId: string): Promise<Installation[]>;
}

export interface InitiativeStore {
  /** Inserts or replaces the initiative. */
  put(initiative: Initiative): Promise<void>;
  get(tenantId: string, id: string): Promise<Initiative | undefined>;
  list(tenantId: string): Promise<Initiative[]>;
}

export interface BroadcastStore {
  create(broadcast: Broadcast): Promise<void>;
  get(tenantId: string, id: string): Promise<Broadcast | undefined>;
  list(tenantId: string): Promise<Broadcast[]>;
  /** Read-change-write with optimistic concurrency; `change` returns `undefined` to leave the row alone. */
  modify(
    tenantId: string,
    id: string,
    change: (current: Broadcast) => Broadcast | undefined,
  ): Promise<{ broadcast: Broadcast; changed: boolean } | undefined>;
  /** Inserts the send unless one with its id exists (a retry after a crash finds it there); true if it did. */
  createMissing(broadcast: Broadcast): Promise<boolean>;
}

export interface DeliveryStore {
  /** Each recipient's status, for counting. */
  outcomes(
    broadcastId: string,
  ): Promise<Pick<Delivery, 'memberId' | 'status' | 'notBefore' | 'acknowledgedAt'>[]>;
  /** Read-change-write with optimistic concurrency; `undefined` when there is no such row. */
  modify(
    broadcastId: string,
    memberId: string,
    change: (current: Delivery) => Delivery | undefined,
  ): Promise<Delivery | undefined>;
}

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
  /** One tenant's comments written on or after `sinceDay` (`YYYY-MM-DD`), newest first. */
  recent(tenantId: string, sinceDay: string): Promise<Comment[]>;
  /** Removes the comment's reply handle, ending its follow-up; nothing happens if it is gone. */
  dropReplyHandle(where: CommentRef): Promise<void>;
  /** Marks the comment as with the safeguarding lead under `escalationId`; nothing if it is gone. */
  setEscalation(where: CommentRef, escalationId: string): Promise<void>;
  /**
   * Gives the comment back to the managers (the writer said it is not about harm), unless it has since gone
   * to the lead under another escalation (a manager passed it on); nothing if it is gone.
   */
  dropEscalation(where: CommentRef, escalationId: string): Promise<void>;
  /** Records a manager's correction of what the comment is about; `undefined` if it is gone. */
  setManagerTheme(where: CommentRef, theme: Theme): Promise<Comment | undefined>;
}

/** Follow-ups on comments: PK tenant and comment, so one thread is one partition. */
export interface ThreadStore {
  add(message: ThreadMessage): Promise<void>;
  /** The messages of one thread, oldest first. */
  list(tenantId: string, commentId: string): Promise<ThreadMessage[]>;
}

/** Card presses that store something, each done once however often Teams or a thumb repeats it. */
export interface ActionClaimStore {
  /** True if this press is new, or its last claim is older than `windowMs`; false for a repeat. */
  claim(tenantId: string, key: string, now: Date, windowMs: number): Promise<boolean>;
  /** Gives a claim back when its press stored nothing, so sending it again is not taken for a repeat. */
  release(tenantId: string, key: string): Promise<void>;
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
  /** One tenant's escalations, newest first. */
  list(tenantId: string): Promise<Escalation[]>;
}

export interface PulseStore {
  create(pulse: Pulse): Promise<void>;
  get(tenantId: string, id: string): Promise<Pulse | undefined>;
  list(tenantId: string): Promise<Pulse[]>;
  /** Read-change-write with optimistic concurrency; `change` returns `undefined` to leave it alone. */
  modify(
    tenantId: string,
    id: string,
    change: (current: Pulse) => Pulse | undefined,
  ): Promise<Pulse | undefined>;
}

export interface RoundStore {
  /** Inserts the round unless it exists (a retry after a crash finds it there). */
  createMissing(round: PulseRound): Promise<void>;
  get(tenantId: string, pulseId: string, round: number): Promise<PulseRound | undefined>;
  forPulse(tenantId: string, pulseId: string): Promise<PulseRound[]>;
  modify(
    tenantId: string,
    pulseId: string,
    round: number,
    change: (current: PulseRound) => PulseRound | undefined,
  ): Promise<PulseRound | undefined>;
  /** Rounds of every tenant still to open or close: what the scheduler looks after. */
  unfinished(): Promise<PulseRound[]>;
}

export interface AnswerStore {
  /** Inserts or replaces the respondent's answers to the round. */
  put(answer: PulseAnswer): Promise<void>;
  get(
    tenantId: string,
    initiativeId: string | undefined,
    week: string,
    pulseId: string,
    round: number,
    respondent: string,
  ): Promise<PulseAnswer | undefined>;
  forRound(
    tenantId: string,
    initiativeId: string | undefined,
    week: string,
    pulseId: string,
    round: number,
  ): Promise<PulseAnswer[]>;
}

export interface SavedListStore {
  /** Inserts or replaces the list. */
  put(list: SavedList): Promise<void>;
  list(tenantId: string): Promise<SavedList[]>;
  /** False when there was no such list. */
  delete(tenantId: string, id: string): Promise<boolean>;
}

/** Puts recipients of a broadcast (back) on the outbox queue. */
export interface Outbox {
  requeue(tenantId: string, broadcastId: string, memberIds: readonly string[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}
