import type { MemberGroups } from '../people/member.js';
import type { CommentAnalysis, Theme } from './themes.js';

/** An ordinary comment: long enough to say what matters, short enough for a manager to read many. */
export const COMMENT_MAX_LENGTH = 1_000;
/**
 * A possible disclosure (the writer's tick or the classifier's flag) is never refused for being too long
 * for an ordinary comment: the safeguarding lead needs every word. Still bounded, by far more than
 * anyone types on a phone and far less than a table property holds (32K characters).
 */
export const DISCLOSURE_MAX_LENGTH = 4_000;

/** The longest a comment may be, given whether someone may be being harmed. */
export const commentMaxLength = (possibleDisclosure: boolean) =>
  possibleDisclosure ? DISCLOSURE_MAX_LENGTH : COMMENT_MAX_LENGTH;

export const COMMENT_SOURCES = ['concern', 'pulse', 'feedback'] as const;
export type CommentSource = (typeof COMMENT_SOURCES)[number];

/**
 * Something a member told Huddle in their own words. An anonymous comment holds no identity at all: no
 * member id, no name, and only the day it was written, so it cannot be matched to a delivery row or a
 * log line by its time. The group snapshot is kept for aggregation, which is suppressed below the
 * anonymity threshold.
 */
export interface Comment {
  tenantId: string;
  id: string;
  /** A concern about an update, the open question of a pulse, or feedback given at any time. */
  source: CommentSource;
  initiativeId?: string | undefined;
  broadcastId?: string | undefined;
  pulseId?: string | undefined;
  /**
   * The pulse round an open answer belongs to (its answers decide when `comments` may list it, see
   * waitingAnswers.ts). Missing on other comments, and on pulse comments stored before it was recorded.
   */
  round?: number | undefined;
  text: string;
  anonymous: boolean;
  /** Only when the member chose to give their name. */
  author?: { aadObjectId: string; name: string } | undefined;
  groups: MemberGroups;
  /** ISO week, e.g. "2026-W48" (the partition). */
  week: string;
  /** `YYYY-MM-DD` only. */
  day: string;
  /** What Huddle read in it; missing on comments stored before comments were analysed. */
  analysis?: CommentAnalysis | undefined;
  /** What the writer said it is mostly about (at most two), which `themeOf` counts first. */
  tags?: readonly Theme[] | undefined;
  /** A manager's correction of the theme, counted when the writer gave none. */
  managerTheme?: Theme | undefined;
  /** Set when it was passed to the safeguarding lead. */
  escalationId?: string | undefined;
  /**
   * The sealed way back to the writer while a manager may still reply (see `ReplyHandles`); removed when
   * the conversation is closed or its time is up.
   */
  replyHandle?: string | undefined;
}

/** Where a comment is stored: enough to find it again from a card. */
export type CommentRef = Pick<Comment, 'tenantId' | 'initiativeId' | 'week' | 'id'>;

/** Words to read again: a comment, or (with `messageId`) its writer's answer in a follow-up on it. */
export type WordsRef = CommentRef & { messageId?: string | undefined };

/** Someone's name and id, as a message in a follow-up carries the manager's. */
export interface Named {
  aadObjectId: string;
  name: string;
}

/**
 * One message of a follow-up on a comment. A manager's message names the manager; the writer's never
 * names the writer, only the manager it answers, so a thread read from storage says no more about the
 * writer than the comment did.
 */
export interface ThreadMessage {
  tenantId: string;
  commentId: string;
  id: string;
  from: 'manager' | 'writer';
  /** Who wrote it (a manager's message) or who it answers (the writer's). */
  manager: Named;
  text: string;
  at: string;
}
