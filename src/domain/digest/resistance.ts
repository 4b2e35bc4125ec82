import { isConcern, type ResistanceLevel, type Theme } from '../feedback/themes.js';

/**
 * What is known about one group (a unit, a shift, a job role) over a period, from the three places
 * resistance shows (primer: words, scores, behaviour). Rates are 0..1; anything unknown is left out.
 */
export interface GroupEvidence {
  group: string;
  /** People in the group: the anonymity threshold applies to this. */
  people: number;
  /**
   * The group's comments: each one's theme from its best source (`themeOf`: the writer's tag, a manager's
   * correction, then the classifier), and the classifier's resistance and sentiment.
   */
  comments: readonly { theme: Theme; resistance: ResistanceLevel; sentiment: number }[];
  /** Readiness index 0-100 of the latest pulse round, and of the one before when there was one. */
  readiness?: { now: number; before?: number | undefined } | undefined;
  /** Share of pulse recipients who answered. */
  responseRate?: number | undefined;
  /** Share of update recipients who pressed Got it. */
  acknowledgementRate?: number | undefined;
  /** "I have a concern" presses per person. */
  concernsPerPerson?: number | undefined;
}

export type Driver =
  | { kind: 'words'; theme: Theme }
  | { kind: 'lowReadiness'; index: number }
  | { kind: 'fallingReadiness'; drop: number }
  | { kind: 'silence'; responseRate: number }
  | { kind: 'unacknowledged'; acknowledgementRate: number }
  | { kind: 'concerns'; perPerson: number };

export type ResistanceSignal =
  | { group: string; suppressed: true }
  | { group: string; suppressed: false; level: 'low' | 'medium' | 'high'; score: number; drivers: Driver[] };

const STRENGTH: Record<ResistanceLevel, number> = { none: 0, low: 1 / 3, medium: 2 / 3, high: 1 };
/** How much each kind of evidence weighs; scores and behaviour together outweigh words, which are fewest. */
const WEIGHTS = {
  words: 0.3,
  readiness: 0.25,
  trend: 0.1,
  silence: 0.15,
  unacknowledged: 0.1,
  concerns: 0.1,
};
/** A readiness drop of this many points between rounds counts fully. */
const FULL_DROP = 20;

/**
 * One group's resistance signal, 0-100, with what drives it most. A group smaller than the anonymity
 * threshold gets no figure at all. Evidence that is missing neither raises nor lowers the score: the
 * weights of what is known are scaled up to fill 100.
 */
export function resistanceSignal(evidence: GroupEvidence, threshold: number): ResistanceSignal {
  if (evidence.people < threshold) return { group: evidence.group, suppressed: true };
  const parts: { weight: number; value: number; driver?: Driver | undefined }[] = [];
  if (evidence.comments.length > 0) {
    const value =
      evidence.comments.reduce((sum, c) => sum + STRENGTH[c.resistance], 0) / evidence.comments.length;
    const theme = commonestConcern(evidence.comments);
    parts.push({ weight: WEIGHTS.words, value, driver: theme && { kind: 'words', theme } });
  }
  if (evidence.readiness !== undefined) {
    const { now, before } = evidence.readiness;
    parts.push({
      weight: WEIGHTS.readiness,
      value: 1 - now / 100,
      driver: { kind: 'lowReadiness', index: now },
    });
    if (before !== undefined) {
      const drop = Math.max(0, before - now);
      parts.push({
        weight: WEIGHTS.trend,
        value: Math.min(1, drop / FULL_DROP),
        driver: drop > 0 ? { kind: 'fallingReadiness', drop } : undefined,
      });
    }
  }
  if (evidence.responseRate !== undefined) {
    const rate = evidence.responseRate;
    parts.push({ weight: WEIGHTS.silence, value: 1 - rate, driver: { kind: 'silence', responseRate: rate } });
  }
  if (evidence.acknowledgementRate !== undefined) {
    const rate = evidence.acknowledgementRate;
    parts.push({
      weight: WEIGHTS.unacknowledged,
      value: 1 - rate,
      driver: { kind: 'unacknowledged', acknowledgementRate: rate },
    });
  }
  if (evidence.concernsPerPerson !== undefined) {
    const perPerson = evidence.concernsPerPerson;
    parts.push({
      weight: WEIGHTS.concerns,
      value: Math.min(1, perPerson),
      driver: { kind: 'concerns', perPerson },
    });
  }
  const known = parts.reduce((sum, part) => sum + part.weight, 0);
  const score =
    known === 0 ? 0 : Math.round((100 * parts.reduce((sum, p) => sum + p.weight * p.value, 0)) / known);
  const drivers = parts
    .filter((part) => part.driver !== undefined && part.value >= 0.4)
    .sort((a, b) => b.weight * b.value - a.weight * a.value)
    .slice(0, 3)
    .map((part) => part.driver as Driver);
  return { group: evidence.group, suppressed: false, level: levelOf(score), score, drivers };
}

const levelOf = (score: number) => (score >= 60 ? 'high' : score >= 35 ? 'medium' : 'low');

function commonestConcern(comments: GroupEvidence['comments']): Theme | undefined {
  const counts = new Map<Theme, number>();
  for (const { theme } of comments) {
    if (isConcern(theme)) counts.set(theme, (counts.get(theme) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
