import type { MemberGroups } from './member.js';
import type { CommentAnalysis } from './themes.js';

export const COMMENT_MAX_LENGTH = 1_000;

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

/** Someone's name and id, as a message in a follow-up carries the manager's. */
export interface Named {
  aadObjectId: string;
  name: string;
}
