import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The encoder's vector length (Universal Sentence Encoder lite). */
export const EMBEDDING_SIZE = 512;

/**
 * A file the screen needs is missing, unreadable, corrupt or from another model than the head was
 * trained on. `file` names it, so the log line or start-up error says what to put back.
 */
export class ScreenFileError extends Error {
  override name = 'ScreenFileError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`Disclosure screen: ${file} ${problem}`);
  }
}

const finite = z.number().finite();
const cvFigures = z.object({
  recall: finite,
  precision: finite,
  hardNegativesFlagged: finite,
  ordinaryFlagged: finite,
});

const headSchema = z.object({
  about: z.string(),
  /** The encoder the weights belong to: its package and a SHA-256 of each of its files. */
  encoder: z.object({
    package: z.string(),
    version: z.string(),
    sha256: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  }),
  weights: z.array(finite).length(EMBEDDING_SIZE),
  bias: finite,
  /** A comment read in one window is flagged when it scores at least this (0-1). */
  threshold: finite.min(0).max(1),
  /**
   * A comment read in several windows is flagged when its best window scores at least this: the best of
   * many windows of ordinary words reaches a given score more often than one window does.
   */
  longThreshold: finite.min(0).max(1),
  /** What it was trained on and how it did in cross-validation: for people, not read by code. */
  trained: z
    .object({
      date: z.string(),
      disclosures: z.number().int(),
      hardNegatives: z.number().int(),
      ordinary: z.number().int(),
      cv: z.object({ folds: z.number().int(), atThreshold: cvFigures }).passthrough(),
    })
    .passthrough(),
});
export type ScreenHead = z.infer<typeof headSchema>;

/** Reads and checks a head file; anything wrong with it is a ScreenFileError naming it. */
export function readScreenHead(path: string): ScreenHead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScreenFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ScreenFileError(path, 'is not valid JSON (retrain with `npm run train:screen`)');
  }
  const parsed = headSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScreenFileError(
      path,
      `is not a valid screen head at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/** The head's probability (0-1) that one embedded window is a disclosure: logistic regression. */
export function headScore(head: Pick<ScreenHead, 'weights' | 'bias'>, vector: ArrayLike<number>): number {
  let sum = head.bias;
  for (let i = 0; i < EMBEDDING_SIZE; i += 1) sum += (head.weights[i] ?? 0) * (vector[i] ?? 0);
  return 1 / (1 + Math.exp(-sum));
}
