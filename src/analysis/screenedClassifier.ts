import type { CommentAnalysis, CommentClassifier } from '../domain/feedback/themes.js';
import { type DisclosureScreen, ScreenFileError } from './disclosureScreen.js';

/**
 * A classifier with the disclosure screen beside it: themes, sentiment and resistance come from `inner`,
 * and `safeguarding` is the screen's verdict, the lexicon's flag or the embedding head's. The machine only
 * casts the net: a flagged comment goes to a person (the writer is asked, see `askedEscalation`).
 *
 * When the screen cannot run (its files missing or changed), every comment still gets the lexicon's
 * reading and `unavailable` hears why, once; any other failure loses the screen for that comment only.
 */
export class ScreenedClassifier implements CommentClassifier {
  private lost = false;

  constructor(
    private readonly inner: CommentClassifier,
    private readonly screen: Pick<DisclosureScreen, 'screenOne'>,
    private readonly unavailable: (error: Error, forGood: boolean) => void,
  ) {}

  async classify(text: string): Promise<CommentAnalysis> {
    const analysis = await this.inner.classify(text);
    // Already a possible disclosure: the screen could add nothing.
    if (analysis.safeguarding || this.lost) return analysis;
    try {
      const reading = await this.screen.screenOne(text);
      return reading.flagged ? { ...analysis, safeguarding: true } : analysis;
    } catch (error) {
      const forGood = error instanceof ScreenFileError;
      this.lost ||= forGood;
      this.unavailable(error as Error, forGood);
      return analysis;
    }
  }
}
