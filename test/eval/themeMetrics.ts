import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type CommentClassifier, THEMES, type Theme } from '../../src/domain/themes.js';

const row = z.object({
  theme: z.enum(THEMES),
  safeguarding: z.enum(['true', 'false']).transform((value) => value === 'true'),
  case: z.string(),
  text: z.string().min(1),
});
export type LabelledComment = z.infer<typeof row>;

/** Reads a labelled set: tab-separated `theme safeguarding case text`, one comment a line, with a header. */
export function readLabelled(path: string): LabelledComment[] {
  const [header, ...lines] = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  if (header !== 'theme\tsafeguarding\tcase\ttext') throw new Error(`${path}: unexpected header ${header}`);
  return lines.map((line, index) => {
    const [theme, safeguarding, kase, ...text] = line.split('\t');
    const parsed = row.safeParse({ theme, safeguarding, case: kase, text: text.join('\t') });
    if (!parsed.success) throw new Error(`${path}:${index + 2}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
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
  labelled: readonly LabelledComment[],
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
export function evaluate(labelled: readonly LabelledComment[], predicted: readonly Prediction[]): Evaluation {
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
