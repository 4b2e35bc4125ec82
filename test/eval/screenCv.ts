import { fitLogistic, type Logistic, predictLogistic, seeded, stratifiedFolds } from './logistic.js';
import type { Example } from './screenData.js';

/**
 * How a comment's score is read from its embeddings: the whole comment as one text (its first 2,000
 * characters), the best of its sentence windows (what `DisclosureScreen` does), or the better of both.
 */
export const READINGS = ['whole', 'windows', 'both'] as const;
export type Reading = (typeof READINGS)[number];

/** One comment ready for the head: its label, the lexicon's flag, and its vectors. */
export interface Embedded extends Example {
  lexicon: boolean;
  whole: number[];
  windows: number[][];
}

export function scoreOf(
  model: Logistic,
  item: Pick<Embedded, 'whole' | 'windows'>,
  reading: Reading,
): number {
  const whole = item.whole.length > 0 ? predictLogistic(model, item.whole) : 0;
  const windows = Math.max(0, ...item.windows.map((vector) => predictLogistic(model, vector)));
  return reading === 'whole' ? whole : reading === 'windows' ? windows : Math.max(whole, windows);
}

export interface Figures {
  threshold: number;
  recall: number;
  precision: number;
  /** Share of the hard negatives flagged. */
  hardNegativesFlagged: number;
  /** Share of the ordinary comments of the theme fixtures flagged. */
  ordinaryFlagged: number;
}

export interface Scored {
  item: Pick<Embedded, 'label' | 'source' | 'lexicon'> & { windows: readonly unknown[] };
  score: number;
}

/**
 * The thresholds a head ships with: `threshold` for a comment read in one window, `long` for one read in
 * several. A comment's score is its best window's, and the best of many windows of ordinary words reaches
 * a given score far more often than one window does, so several windows need a higher bar.
 */
export interface Thresholds {
  threshold: number;
  long: number;
}

export const flaggedBy = (thresholds: Thresholds, { item, score }: Scored, withLexicon = true) =>
  (withLexicon && item.lexicon) ||
  score >= (item.windows.length > 1 ? thresholds.long : thresholds.threshold);

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** The screen's figures (lexicon OR score >= threshold) over scored comments. */
export function figuresAt(scored: readonly Scored[], at: number | Thresholds, withLexicon = true): Figures {
  const thresholds = typeof at === 'number' ? { threshold: at, long: at } : at;
  const threshold = thresholds.threshold;
  const flagged = (one: Scored) => flaggedBy(thresholds, one, withLexicon);
  const of = (source: string) => scored.filter(({ item }) => item.source === source);
  const positives = scored.filter(({ item }) => item.label === 1);
  const caught = positives.filter(flagged).length;
  const raised = scored.filter(flagged).length;
  return {
    threshold,
    recall: share(caught, positives.length),
    precision: share(caught, raised),
    hardNegativesFlagged: share(of('hard negative').filter(flagged).length, of('hard negative').length),
    ordinaryFlagged: share(of('ordinary').filter(flagged).length, of('ordinary').length),
  };
}

/**
 * The highest threshold at which the screen finds at least `recall` of the disclosures: the fewest false
 * alarms for that recall.
 */
export function thresholdFor(scored: readonly Scored[], recall: number, withLexicon = true): number {
  const positives = scored.filter(({ item }) => item.label === 1);
  const needed = Math.ceil(recall * positives.length);
  const byLexicon = withLexicon ? positives.filter(({ item }) => item.lexicon).length : 0;
  const rest = positives
    .filter(({ item }) => !(withLexicon && item.lexicon))
    .map(({ score }) => score)
    .sort((a, b) => b - a);
  if (byLexicon >= needed) return 1;
  return rest[needed - byLexicon - 1] ?? 0;
}

/** Held-out comments for one fold: long comments built from that fold's held-out texts only. */
export interface LongComment {
  text: string;
  label: 0 | 1;
  source: 'disclosure' | 'ordinary';
  fold: number;
}

/**
 * Long comments for each fold from its held-out texts: a disclosure after ordinary comments run together
 * to at least `length` characters (at the end, where a reader of the first part would miss it), and as
 * many ordinary runs of that length with no disclosure; `perFold` disclosures per fold, drawn with the seed.
 */
export function longComments(
  items: readonly Example[],
  fold: readonly number[],
  folds: number,
  length: number,
  seed: number,
  perFold: number,
): LongComment[] {
  const random = seeded(seed);
  const result: LongComment[] = [];
  for (let f = 0; f < folds; f += 1) {
    const heldOut = items.filter((_, index) => fold[index] === f);
    const fillers = heldOut.filter((item) => item.source === 'ordinary').map((item) => item.text);
    if (fillers.length === 0) continue;
    const padding = () => {
      const parts: string[] = [];
      let total = 0;
      while (total < length) {
        const text = fillers[Math.floor(random() * fillers.length)] as string;
        parts.push(/[.!?]$/.test(text) ? text : `${text}.`);
        total += text.length + 1;
      }
      return parts.join(' ');
    };
    const disclosures = heldOut
      .filter((candidate) => candidate.label === 1)
      .map((item) => ({ item, key: random() }))
      .sort((a, b) => a.key - b.key)
      .slice(0, perFold)
      .map(({ item }) => item);
    for (const item of disclosures) {
      result.push({ text: `${padding()} ${item.text}`, label: 1, source: 'disclosure', fold: f });
      result.push({ text: padding(), label: 0, source: 'ordinary', fold: f });
    }
  }
  return result;
}

/** Out-of-fold scores: each comment scored by a head trained without its fold. */
export function crossValidate(
  items: readonly Embedded[],
  fold: readonly number[],
  folds: number,
  l2: number,
): Logistic[] {
  const models: Logistic[] = [];
  for (let f = 0; f < folds; f += 1) {
    const train = items.filter((_, index) => fold[index] !== f);
    models.push(
      fitLogistic(
        train.map((item) => item.whole),
        train.map((item) => item.label),
        { l2 },
      ),
    );
  }
  return models;
}

export { stratifiedFolds };
