import {
  type CommentAnalysis,
  type CommentClassifier,
  isConcern,
  RESISTANCE_KINDS,
  type ResistanceKind,
  type ResistanceLevel,
  THEMES,
  type Theme,
} from '../domain/feedback/themes.js';
import { readText, type Word } from './language.js';
import { type Cue, findCue, type Lexicon, loadLexicon } from './lexicon.js';

/**
 * The classifier that runs inside Huddle with no network: wink-nlp reads the words (lemmas, negation,
 * sentences) and the rules below weigh the cues of `lexicon.json`. The rules are deliberately few so that
 * whoever extends the lexicon can predict what a new cue will do.
 */
export class LocalClassifier implements CommentClassifier {
  constructor(private readonly lexicon: Lexicon = loadLexicon()) {}

  classify(text: string): Promise<CommentAnalysis> {
    return Promise.resolve(analyse(this.lexicon, text));
  }
}

export function analyse(lexicon: Lexicon, text: string): CommentAnalysis {
  const { words, sentiment: wordsSentiment } = readText(text);
  const safeguarding = isDisclosure(lexicon, words);
  const themes = rankThemes(lexicon, words, wordsSentiment, safeguarding);
  const primaryTheme = themes[0] ?? 'neutral';
  const resistance = safeguarding
    ? { level: 'none' as const }
    : resistanceOf(lexicon, words, primaryTheme, wordsSentiment);
  return {
    primaryTheme,
    themes: themes.length > 0 ? themes : ['neutral'],
    sentiment: sentimentOf(wordsSentiment, primaryTheme),
    resistance: resistance.level,
    resistanceKind: resistance.kind,
    safeguarding,
    by: 'local',
  };
}

/**
 * How strongly a list of cues is present. Each match counts its clause's weight, more for longer (more
 * specific) cues. A match inside a "not" does not count when `cancelled` says so; a cue that is itself
 * negative ("not trained") always counts.
 */
function strength(
  cues: readonly Cue[],
  words: readonly Word[],
  cancelled: (match: readonly number[]) => boolean = () => true,
): number {
  let total = 0;
  for (const cue of cues) {
    for (const match of findCue(cue, words)) {
      if (!cue.negative && match.some((at) => words[at]?.negated) && cancelled(match)) continue;
      const weight = Math.max(...match.map((at) => words[at]?.weight ?? 1));
      total += weight * (1 + 0.5 * (match.length - 1));
    }
  }
  return total;
}

const present = (cues: readonly Cue[], words: readonly Word[]) => strength(cues, words) > 0;

/**
 * Themes by strength. "Not" cancels a feeling and anything positive ("I'm not worried", "not easy"), but
 * not a concern's topic: "no training" is still about training. With no cue at all, clearly positive
 * words make a comment supportive and anything else is neutral. A disclosure is always about the safety
 * of the people cared for.
 */
function rankThemes(
  lexicon: Lexicon,
  words: readonly Word[],
  sentiment: number,
  disclosure: boolean,
): Theme[] {
  const isFeeling = (match: readonly number[]) =>
    match.some((at) => words[at]?.forms.some((form) => lexicon.feelings.has(form)));
  const scored = THEMES.map((theme) => ({
    theme,
    score: strength(lexicon.themes[theme].cues, words, isConcern(theme) ? isFeeling : undefined),
  }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score);
  const top = scored[0]?.score ?? 0;
  const ranked = scored.filter(({ score }) => score >= top / 2).map(({ theme }) => theme);
  if (disclosure) return ['resident_safety', ...ranked.filter((theme) => theme !== 'resident_safety')];
  if (ranked.length === 0) return [sentiment >= 0.35 ? 'supportive' : 'neutral'];
  return ranked;
}

/** wink's score, nudged towards the side the themes show, because care-specific worries read as neutral words. */
function sentimentOf(wordsSentiment: number, primaryTheme: Theme): number {
  const tilt = isConcern(primaryTheme) ? -0.3 : primaryTheme === 'supportive' ? 0.3 : 0;
  const value = Math.max(-1, Math.min(1, wordsSentiment + tilt));
  return Math.round(value * 100) / 100;
}

/**
 * Resistance: none for support or neutral words unless they say what the person will do about it;
 * otherwise high for the strongest words or very negative feeling, medium when the kind of resistance is
 * named or feeling is negative, low for a plain concern. "Not opposed to change, but..." is criticism of
 * how, not whether: at most low.
 */
function resistanceOf(
  lexicon: Lexicon,
  words: readonly Word[],
  primaryTheme: Theme,
  sentiment: number,
): { level: ResistanceLevel; kind?: ResistanceKind } {
  const kinds = RESISTANCE_KINDS.map((kind) => ({ kind, score: strength(lexicon.resistance[kind], words) }));
  const behaviour = kinds.find(({ kind }) => kind === 'behavioural')?.score ?? 0;
  if (!isConcern(primaryTheme) && behaviour === 0) return { level: 'none' };
  const named = kinds.filter(({ score }) => score > 0).sort((a, b) => b.score - a.score);
  const kind = named[0]?.kind ?? lexicon.themes[primaryTheme].kind;
  if (present(lexicon.acceptance, words)) return { level: 'low', kind };
  if (present(lexicon.resistance.strong, words) || sentiment <= -0.5) return { level: 'high', kind };
  if (named.length > 0 || sentiment <= -0.2) return { level: 'medium', kind };
  return { level: 'low', kind };
}

/**
 * A possible disclosure: words that name a disclosure outright, or an act of harm in the same sentence
 * as a person it could be done to. Idioms ("pushed for time") do not count, nor harm inside a "not". Any
 * doubt goes towards raising it: a safeguarding lead reading one needless alert costs far less than a
 * missed one.
 */
function isDisclosure(lexicon: Lexicon, words: readonly Word[]): boolean {
  const { disclosures, harm, people, notHarm } = lexicon.safeguarding;
  if (present(disclosures, words)) return true;
  const idioms = new Set(notHarm.flatMap((cue) => findCue(cue, words).flat()));
  const sentencesWithPeople = new Set(
    people.flatMap((cue) => findCue(cue, words).map((match) => words[match[0] ?? 0]?.sentence)),
  );
  return harm.some((cue) =>
    findCue(cue, words).some(
      (match) =>
        (cue.negative || !match.some((at) => words[at]?.negated)) &&
        !match.some((at) => idioms.has(at)) &&
        sentencesWithPeople.has(words[match[0] ?? 0]?.sentence),
    ),
  );
}
