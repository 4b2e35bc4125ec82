import { DisclosureScreen } from '../analysis/disclosureScreen.js';
import { ScreenedClassifier } from '../analysis/screenedClassifier.js';
import type { CommentClassifier } from '../domain/feedback/themes.js';

/**
 * A classifier with the disclosure screen beside it, as the server reads comments (the turn's reading and
 * the second one together). Why the screen could not help is said on stderr, so stdout stays the report.
 */
export const screened = (inner: CommentClassifier) =>
  new ScreenedClassifier(inner, new DisclosureScreen(), (error, forGood) =>
    process.stderr.write(
      `huddle: ${forGood ? 'the disclosure screen is unavailable, the lexicon alone screens' : 'the disclosure screen failed on a comment'}: ${error.message}\n`,
    ),
  );
