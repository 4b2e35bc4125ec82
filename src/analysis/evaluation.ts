import { type CommentClassifier, THEMES, type Theme } from '../domain/themes.js';

/** What a person said a comment is about, against which a classifier is scored. */
export interface Label {
  theme: Theme;
  safeguarding: boolean;
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

function scores(truePositive: number, predicted: number, actual: number): Scores {
  const precision = predicted === 0 ? 0 : truePositive / predicted;
  const recall = actual === 0 ? 0 : truePositive / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support: actual };
}

export interface Prediction {
  theme: Theme;
  safeguarding: boolean;
}

/** The classifier's primary theme and flag for each labelled comment, in order. */
export function predict(
  classifier: CommentClassifier,
  labelled: readonly { text: string }[],
): Promise<Prediction[]> {
  return Promise.all(
    labelled.map(async ({ text }) => {
      const analysis = await classifier.classify(text);
      return { theme: analysis.primaryTheme, safeguarding: analysis.safeguarding };
    }),
  );
}

export interface Evaluation {
  perTheme: Record<Theme, Scores>;
  macroF1: number;
  safeguarding: Scores;
  accuracy: number;
}

/** Per-label precision/recall/F1 of the primary theme, their unweighted mean, and the safeguarding flag. */
export function evaluate(labelled: readonly Label[], predicted: readonly Prediction[]): Evaluation {
  const pairs = labelled.map((truth, index) => ({ truth, guess: predicted[index] as Prediction }));
  const count = (keep: (pair: (typeof pairs)[number]) => boolean) => pairs.filter(keep).length;
  const perTheme = Object.fromEntries(
    THEMES.map((theme) => [
      theme,
      scores(
        count(({ truth, guess }) => truth.theme === theme && guess.theme === theme),
        count(({ guess }) => guess.theme === theme),
        count(({ truth }) => truth.theme === theme),
      ),
    ]),
  ) as Record<Theme, Scores>;
  return {
    perTheme,
    macroF1: THEMES.reduce((sum, theme) => sum + perTheme[theme].f1, 0) / THEMES.length,
    safeguarding: scores(
      count(({ truth, guess }) => truth.safeguarding && guess.safeguarding),
      count(({ guess }) => guess.safeguarding),
      count(({ truth }) => truth.safeguarding),
    ),
    accuracy: count(({ truth, guess }) => truth.theme === guess.theme) / pairs.length,
  };
}
