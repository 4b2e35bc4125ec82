import { Semaphore } from '../delivery/semaphore.js';
import {
  type CommentAnalysis,
  type CommentClassifier,
  THEMES,
  type Theme,
} from '../domain/feedback/themes.js';

/** A comment with what a person said it is about, against which a classifier is scored. */
export interface LabelledComment {
  /** Where it is in its file, so that a misreading can be found there. */
  line: number;
  text: string;
  /** Absent when the comment was labelled for safeguarding only. */
  theme?: Theme | undefined;
  safeguarding: boolean;
  /**
   * What sort of comment a labeller said it is ("ordinary", "look-alike"): false alarms are then also
   * counted for each sort, since a screen's cost is its false alarms on everyday comments.
   */
  kind?: string | undefined;
}

export interface Prediction {
  theme: Theme;
  safeguarding: boolean;
  /** `local` from a model classifier means the model failed and its local fallback answered. */
  by: CommentAnalysis['by'];
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ThemeScores extends Scores {
  theme: Theme;
}

export interface ThemeEvaluation {
  /** How many comments had a theme label: the theme figures are over these only. */
  labelled: number;
  /** The themes in the labels or the readings, in the order of THEMES. */
  perTheme: ThemeScores[];
  /** The unweighted mean F1 of `perTheme`. */
  macroF1: number;
  accuracy: number;
}

export interface SafeguardingScores extends Scores {
  /** Disclosures flagged (`recall` is this over `support`, the disclosures). */
  found: number;
  flagged: number;
  /** Comments that are not disclosures: the false-alarm rate is `falseAlarms` over these. */
  others: number;
  falseAlarms: number;
  falseAlarmRate: number;
  /** The same for each `kind` of comment that is not a disclosure, in the order the kinds first appear. */
  byKind: { kind: string; others: number; falseAlarms: number; falseAlarmRate: number }[];
}

export interface Evaluation {
  comments: number;
  /** Undefined when no comment had a theme label. */
  themes: ThemeEvaluation | undefined;
  safeguarding: SafeguardingScores;
  /** Which classifier gave each reading: a model's figures that are mostly its fallback would mislead. */
  readBy: Record<CommentAnalysis['by'], number>;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

function scores(truePositive: number, predicted: number, actual: number): Scores {
  const precision = ratio(truePositive, predicted);
  const recall = ratio(truePositive, actual);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support: actual };
}

/**
 * The classifier's primary theme and flag for each labelled comment, in order. At most `concurrency`
 * comments are read at once, so that a large file does not flood a model's service.
 */
export function predict(
  classifier: CommentClassifier,
  labelled: readonly { text: string }[],
  concurrency = 4,
): Promise<Prediction[]> {
  const slots = new Semaphore(concurrency);
  return Promise.all(
    labelled.map(({ text }) =>
      slots.run(false, async () => {
        const analysis = await classifier.classify(text);
        return { theme: analysis.primaryTheme, safeguarding: analysis.safeguarding, by: analysis.by };
      }),
    ),
  );
}

type Pair = { truth: LabelledComment; guess: Prediction };

/**
 * Per-theme precision/recall/F1 of the primary theme over the comments with a theme label, their
 * unweighted mean, accuracy; and the safeguarding flag's precision, recall and false-alarm rate.
 */
export function evaluate(labelled: readonly LabelledComment[], predicted: readonly Prediction[]): Evaluation {
  const pairs = labelled.map((truth, index) => ({ truth, guess: predicted[index] as Prediction }));
  const count = (keep: (pair: Pair) => boolean) => pairs.filter(keep).length;
  const found = count(({ truth, guess }) => truth.safeguarding && guess.safeguarding);
  const flagged = count(({ guess }) => guess.safeguarding);
  const disclosures = count(({ truth }) => truth.safeguarding);
  const others = pairs.length - disclosures;
  const falseAlarms = flagged - found;
  return {
    comments: pairs.length,
    themes: themeEvaluation(pairs.filter(({ truth }) => truth.theme !== undefined)),
    safeguarding: {
      ...scores(found, flagged, disclosures),
      found,
      flagged,
      others,
      falseAlarms,
      falseAlarmRate: ratio(falseAlarms, others),
      byKind: falseAlarmsByKind(pairs),
    },
    readBy: {
      local: count(({ guess }) => guess.by === 'local'),
      model: count(({ guess }) => guess.by === 'model'),
    },
  };
}

function falseAlarmsByKind(pairs: readonly Pair[]): SafeguardingScores['byKind'] {
  const kinds = new Map<string, { others: number; falseAlarms: number }>();
  for (const { truth, guess } of pairs) {
    if (truth.safeguarding || truth.kind === undefined) continue;
    const tally = kinds.get(truth.kind) ?? { others: 0, falseAlarms: 0 };
    tally.others++;
    if (guess.safeguarding) tally.falseAlarms++;
    kinds.set(truth.kind, tally);
  }
  return [...kinds].map(([kind, { others, falseAlarms }]) => ({
    kind,
    others,
    falseAlarms,
    falseAlarmRate: ratio(falseAlarms, others),
  }));
}

function themeEvaluation(pairs: Pair[]): ThemeEvaluation | undefined {
  if (pairs.length === 0) return undefined;
  const count = (keep: (pair: Pair) => boolean) => pairs.filter(keep).length;
  // A theme nobody labelled and the classifier never gave says nothing about either; counting it as an F1
  // of 0 would pull a small file's macro-F1 down for themes it simply does not contain.
  const perTheme = THEMES.filter((theme) =>
    pairs.some(({ truth, guess }) => truth.theme === theme || guess.theme === theme),
  ).map((theme) => ({
    theme,
    ...scores(
      count(({ truth, guess }) => truth.theme === theme && guess.theme === theme),
      count(({ guess }) => guess.theme === theme),
      count(({ truth }) => truth.theme === theme),
    ),
  }));
  return {
    labelled: pairs.length,
    perTheme,
    macroF1: perTheme.reduce((sum, { f1 }) => sum + f1, 0) / perTheme.length,
    accuracy: count(({ truth, guess }) => truth.theme === guess.theme) / pairs.length,
  };
}

/** The comments read differently from their labels: another theme (where one was labelled), or the flag. */
export function misread(
  labelled: readonly LabelledComment[],
  predicted: readonly Prediction[],
): { truth: LabelledComment; guess: Prediction }[] {
  return labelled
    .map((truth, index) => ({ truth, guess: predicted[index] as Prediction }))
    .filter(
      ({ truth, guess }) =>
        (truth.theme !== undefined && truth.theme !== guess.theme) ||
        truth.safeguarding !== guess.safeguarding,
    );
}
