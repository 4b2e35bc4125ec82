import type { LoopFigures } from '../actions/action.js';
import type { Theme, ThemeSource } from '../feedback/themes.js';
import type { ReadinessDimension } from '../initiatives/changeModels.js';
import type { ItemDimension } from '../pulses/pulse.js';
import type { GroupFigures } from '../pulses/pulseResults.js';
import type { Driver } from './resistance.js';

/**
 * One initiative's week in figures, after every suppression: what the digest shows and what is stored as
 * the week's snapshot (DESIGN.md: digests PK initiative, RK ISO week), so a trend reads snapshots and
 * never the answers and comments of weeks gone by. No text anyone wrote is in here.
 */
export interface DigestFigures {
  week: string;
  stage: StageFigures;
  kpis: KpiFigures[];
  engagement: EngagementFigures;
  /** From the latest pulse round with published figures; absent when no round could be shown. */
  readiness?: ReadinessFigures | undefined;
  /**
   * The pulse round that both the response rate and readiness describe, named on the card: the one
   * readiness is from, else (none could be shown) the newest. Absent with no round this week, and in
   * snapshots saved before it was kept. `openUntil` (the round's close) is set while the round was still
   * open when the digest was made: its response rate is so far, not how many answered in the end.
   */
  pulse?: { title: string; opensAt: string; openUntil?: string | undefined } | undefined;
  /** Absent below the comment threshold: a count of a few comments' themes says who wrote them. */
  themes?: ThemeFigures | undefined;
  /** Groups at or above the anonymity threshold only, strongest signal first. */
  resistance: GroupResistance[];
  /** Counts only, never content; shown to leaders and safeguarding leads only. */
  safeguarding: SafeguardingFigures;
  /** "You said, we did" for this change; absent in snapshots saved before actions existed. */
  actions?: LoopFigures | undefined;
  /**
   * Each unit and shift of at least the anonymity threshold, for its champions' weekly note; absent in
   * snapshots saved before champions had notes.
   */
  groups?: GroupNote[] | undefined;
}

export interface StageFigures {
  index: number;
  count: number;
  title: string;
  /** Whole days since the stage began; absent when its start was not recorded. */
  daysIn?: number | undefined;
  /** Days past the stage's planned end (0 while on track); absent when the stage has no planned end. */
  behindDays?: number | undefined;
  plannedEnd?: string | undefined;
}

export interface KpiFigures {
  objective: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  latest?: { value: number; on: string } | undefined;
}

export interface EngagementFigures {
  /** Change updates sent this week (pulses, alerts and replies are not updates). */
  updatesSent: number;
  /** People the updates reached (delivered), the base of the acknowledgement rate. */
  reached: number;
  /** Per cent of reached people who pressed Got it; absent when nobody was reached. */
  acknowledgementRate?: number | undefined;
  concerns: number;
  /** Per cent of the recipients of `DigestFigures.pulse` who answered; absent with no such round. */
  pulseResponseRate?: number | undefined;
  pulseRecipients?: number | undefined;
}

export interface ReadinessFigures {
  index?: number | undefined;
  dimensions: { dimension: ItemDimension; score: number }[];
  barriers: ReadinessDimension[];
  enps?: number | undefined;
  answers: number;
  /** Set when the figures are the ones published earlier, not counted afresh (fewer new answers than the threshold). */
  publishedAt?: string | undefined;
}

/** A group's readiness as a round's published figures give it (the whole change, or one unit or shift). */
export function readinessOfGroup(group: GroupFigures | undefined): ReadinessFigures | undefined {
  if (group === undefined) return undefined;
  return {
    index: group.readinessIndex,
    dimensions: group.dimensions,
    barriers: group.barriers,
    enps: group.enps,
    answers: group.answers,
    publishedAt: group.asPublished?.at,
  };
}

export interface ThemeFigures {
  total: number;
  top: { theme: Theme; count: number }[];
  sources: Record<ThemeSource, number>;
}

export interface GroupResistance {
  /** e.g. `shiftPattern:Nights`. */
  group: string;
  score: number;
  level: 'low' | 'medium' | 'high';
  drivers: Driver[];
}

export interface SafeguardingFigures {
  raised: number;
  /** Acknowledged by a lead within the resend interval. */
  acknowledgedInTime: number;
  /**
   * Not acknowledged yet but raised less than the resend interval before the digest was made: not late, so
   * a leader reading "0 of 1 acknowledged in time" minutes after a disclosure is told so.
   */
  waiting: number;
}

/**
 * A champion's week for one group they work in: its readiness and how it moved, its top two themes, and
 * one suggestion from the digest's rule table. Only groups of at least the anonymity threshold have one,
 * and each figure is suppressed as the digest's are (readiness from a round's published groups, themes
 * from at least the comment threshold of the group's comments).
 */
export interface GroupNote {
  group: { field: 'unit' | 'shiftPattern'; value: string };
  people: number;
  readiness?: { now: number; before?: number | undefined } | undefined;
  themes: { theme: Theme; count: number }[];
  step?: NextStep | undefined;
}

/**
 * What a manager could do next, each step tied to the figure that set it off. The steps come from the
 * change primer's playbook; their words are in the locale files (`digest.step.<id>`, and the figure under
 * `digest.because.<kind>`), so rewording a step touches no rule.
 */
export interface NextStep {
  id: NextStepId;
  because: Because;
}

export type Because =
  | { kind: 'theme'; theme: Theme; count: number }
  | { kind: 'barrier'; dimension: ReadinessDimension }
  | { kind: 'readinessFell'; drop: number }
  | { kind: 'enps'; enps: number }
  | { kind: 'acknowledgement'; rate: number }
  | { kind: 'responseRate'; rate: number }
  | { kind: 'readinessHigh'; index: number };

export type NextStepId =
  | 'pilotGroup'
  | 'championDropIns'
  | 'slowThePace'
  | 'openQandA'
  | 'protectedTime'
  | 'explainWhy'
  | 'closeTheLoop'
  | 'celebrateWins';
