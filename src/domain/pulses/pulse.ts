import type { BroadcastAudience } from '../broadcasts/broadcast.js';
import { COMMENT_MAX_LENGTH } from '../feedback/comment.js';
import type { ReadinessDimension } from '../initiatives/changeModels.js';
import { GROUP_FIELDS, type GroupField, type MemberGroups } from '../people/member.js';

/**
 * What an item measures. The five readiness dimensions are the primer's per-person readiness; commitment
 * and efficacy are team readiness adapted from ORIC (Shea et al., Implementation Science 2014, CC BY);
 * `enps` is the "would you recommend working here" score.
 */
export type ItemDimension = ReadinessDimension | 'commitment' | 'efficacy' | 'enps';

/**
 * The open text limit: an open answer becomes a comment, so it keeps an ordinary comment's limit (the pulse
 * card has no "someone is being harmed" box to lift it).
 */
export const OPEN_TEXT_MAX = COMMENT_MAX_LENGTH;

export type PulseItem =
  | { id: string; kind: 'agree5'; text: string; dimension?: ItemDimension | undefined }
  | { id: string; kind: 'scale10'; text: string; dimension?: ItemDimension | undefined }
  | { id: string; kind: 'choice'; text: string; options: string[] }
  | { id: string; kind: 'mood'; text: string }
  | { id: string; kind: 'text'; text: string };
export type ItemKind = PulseItem['kind'];
export const ITEM_KINDS = ['agree5', 'scale10', 'choice', 'mood', 'text'] as const;

/** One person's answer to one item: a number on the item's scale (a choice's option index), or text. */
export type AnswerValue = number | string;

/** The numbers an item accepts, or `undefined` for open text. */
export function scaleOf(item: PulseItem): { min: number; max: number } | undefined {
  switch (item.kind) {
    case 'agree5':
    case 'mood':
      return { min: 1, max: 5 };
    case 'scale10':
      return { min: 0, max: 10 };
    case 'choice':
      return { min: 0, max: item.options.length - 1 };
    case 'text':
      return undefined;
  }
}

export const CADENCES = ['once', 'weekly', 'fortnightly'] as const;
export type Cadence = (typeof CADENCES)[number];
export const CADENCE_DAYS: Record<Cadence, number> = { once: 0, weekly: 7, fortnightly: 14 };

/**
 * `anonymous` stores no identity at all; `confidential` keeps the person's id with their answers so a
 * manager can follow up, but never shows it in results. Confidential must be chosen, and staff are told.
 */
export const ANONYMITY = ['anonymous', 'confidential'] as const;
export type Anonymity = (typeof ANONYMITY)[number];

export const PULSE_STATUSES = ['active', 'stopped'] as const;
export type PulseStatus = (typeof PULSE_STATUSES)[number];

/** A team channel where Huddle is installed: a pulse can be posted there instead of in each person's chat. */
export interface PulseChannel {
  conversationId: string;
  name?: string | undefined;
}

/**
 * Teams refreshes a card into each reader's own view automatically for at most this many people named in
 * `refresh.userIds`; above it, each person taps the card's button to see theirs.
 */
export const USER_VIEWS_MAX = 60;

export interface Pulse {
  tenantId: string;
  /** Globally unique: it names the rounds' outbox sends. */
  id: string;
  title: string;
  initiativeId?: string | undefined;
  items: PulseItem[];
  audience: BroadcastAudience;
  /**
   * Posted once in this channel, where each person in the audience sees their own questions, rather than
   * sent to each person's chat. Reminders still go to each person who has not answered, in their chat.
   */
  channel?: PulseChannel | undefined;
  /** The first round's window; later rounds repeat it every cadence period. */
  opensAt: string;
  closesAt: string;
  cadence: Cadence;
  anonymity: Anonymity;
  status: PulseStatus;
  createdBy: { aadObjectId: string; name: string; locale: string; timeZone: string };
  createdAt: string;
  updatedAt: string;
}

export const ROUND_STATUSES = ['scheduled', 'open', 'closed'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/** How many people per value of each group field, e.g. `{ site: { 'Oak View': 38 } }`. */
export type GroupCounts = Partial<Record<GroupField, Record<string, number>>>;

export function countGroups(groups: readonly MemberGroups[]): GroupCounts {
  const counts: GroupCounts = {};
  for (const member of groups) {
    for (const field of GROUP_FIELDS) {
      const value = member[field];
      if (value === undefined) continue;
      const byValue = counts[field] ?? {};
      byValue[value] = (byValue[value] ?? 0) + 1;
      counts[field] = byValue;
    }
  }
  return counts;
}

/** One sending of a pulse. Answers belong to a round, and "changed your mind" means within a round. */
export interface PulseRound {
  tenantId: string;
  pulseId: string;
  /** From 1. */
  number: number;
  opensAt: string;
  closesAt: string;
  /** Reminder times, at most two; each is sent at most once. */
  reminders: { at: string; sent: boolean }[];
  status: RoundStatus;
  /** How many were sent the pulse when it opened (the response rate's denominator). */
  recipients: number;
  /** Recipients per group, for per-group response rates: counts only, no names. */
  recipientsByGroup: GroupCounts;
}

/** The outbox sends of a round: the pulse itself and each reminder. Ids are derived, so a retry after a
 * crash finds the send it already made instead of making another. */
export const roundSendId = (pulseId: string, round: number, send: 'open' | `reminder${number}`) =>
  `${pulseId}.${round}.${send}`;

/** One person's answers in one round. */
export interface PulseAnswer {
  tenantId: string;
  pulseId: string;
  round: number;
  initiativeId?: string | undefined;
  /** A keyed hash of person + round: dedupes within the round, links nothing across rounds. */
  respondent: string;
  /** Only for confidential pulses. */
  memberId?: string | undefined;
  values: Record<string, AnswerValue>;
  /** The answering member's groups when they answered, for aggregation. */
  groups: MemberGroups;
  /** The ISO week the round opened in (the storage partition). */
  week: string;
  /**
   * `YYYY-MM-DD` only: a finer time could be matched against request logs to find who answered.
   */
  day: string;
}
