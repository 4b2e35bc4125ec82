import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { THEMES, type Theme } from '../domain/feedback/themes.js';
import { lexiconPath } from '../paths.js';
import { formsOfPhrase, NEGATORS, type Word } from './language.js';

const cues = z.array(z.string().trim().min(1));
const lexiconSchema = z.object({
  about: z.string(),
  themes: z.object(
    Object.fromEntries(
      THEMES.map((theme) => [
        theme,
        z.object({ kind: z.enum(['cognitive', 'affective', 'behavioural']), cues }),
      ]),
    ) as Record<
      Theme,
      z.ZodObject<{ kind: z.ZodEnum<['cognitive', 'affective', 'behavioural']>; cues: typeof cues }>
    >,
  ),
  acceptance: cues,
  resistance: z.object({ cognitive: cues, affective: cues, behavioural: cues, strong: cues }),
  safeguarding: z.object({ disclosures: cues, harm: cues, people: cues, notHarm: cues }),
});

/** A piece of a cue: a word (in the forms it may take) or a gap of some words. */
type Part = { forms: readonly string[] } | { gap: [min: number, max: number] };

/** A cue ready to match: its parts, and whether it is itself negative ("no time", "not trained"). */
export interface Cue {
  text: string;
  parts: Part[];
  negative: boolean;
}

/** Reads a cue as written in the lexicon: "*" is any one word, "..." up to four words. */
export function compileCue(text: string): Cue {
  const parts: Part[] = [];
  for (const piece of text.split(/(\s\*\s|\s\.\.\.\s)/)) {
    if (piece.trim() === '*') parts.push({ gap: [1, 1] });
    else if (piece.trim() === '...') parts.push({ gap: [0, 4] });
    else for (const forms of formsOfPhrase(piece)) parts.push({ forms });
  }
  return {
    text,
    parts,
    negative: parts.some((part) => 'forms' in part && part.forms.some((form) => NEGATORS.has(form))),
  };
}

/**
 * Where a cue occurs in a text: the positions of the words it matched, for each place it starts. Words
 * must be in one sentence.
 */
export function findCue(cue: Cue, words: readonly Word[]): number[][] {
  const found: number[][] = [];
  for (let start = 0; start < words.length; start += 1) {
    const matched = matchFrom(cue.parts, 0, words, start, words[start]?.sentence ?? -1, []);
    if (matched !== undefined) found.push(matched);
  }
  return found;
}

function matchFrom(
  parts: readonly Part[],
  index: number,
  words: readonly Word[],
  at: number,
  sentence: number,
  matched: number[],
): number[] | undefined {
  const part = parts[index];
  if (part === undefined) return matched;
  if ('gap' in part) {
    const [min, max] = part.gap;
    for (let skip = min; skip <= max; skip += 1) {
      const result = matchFrom(parts, index + 1, words, at + skip, sentence, matched);
      if (result !== undefined) return result;
    }
    return undefined;
  }
  const word = words[at];
  if (
    word === undefined ||
    word.sentence !== sentence ||
    !part.forms.some((form) => word.forms.includes(form))
  )
    return undefined;
  return matchFrom(parts, index + 1, words, at + 1, sentence, [...matched, at]);
}

export interface Lexicon {
  /** Every form of the single-word feelings under resistance.affective ("worried", "scared"). */
  feelings: ReadonlySet<string>;
  themes: Record<Theme, { kind: 'cognitive' | 'affective' | 'behavioural'; cues: Cue[] }>;
  acceptance: Cue[];
  resistance: { cognitive: Cue[]; affective: Cue[]; behavioural: Cue[]; strong: Cue[] };
  safeguarding: { disclosures: Cue[]; harm: Cue[]; people: Cue[]; notHarm: Cue[] };
}

export class LexiconError extends Error {
  override name = 'LexiconError';
}

/** Compiles a lexicon; a malformed file is refused with the place that is wrong. */
export function compileLexicon(data: unknown): Lexicon {
  const parsed = lexiconSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LexiconError(
      `The lexicon is not valid at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`,
    );
  }
  const file = parsed.data;
  const all = (list: readonly string[]) => list.map(compileCue);
  const affective = all(file.resistance.affective);
  return {
    feelings: new Set(
      affective.flatMap((cue) => {
        const [only, ...more] = cue.parts;
        return only !== undefined && more.length === 0 && 'forms' in only ? only.forms : [];
      }),
    ),
    themes: Object.fromEntries(
      THEMES.map((theme) => [theme, { kind: file.themes[theme].kind, cues: all(file.themes[theme].cues) }]),
    ) as Lexicon['themes'],
    acceptance: all(file.acceptance),
    resistance: {
      cognitive: all(file.resistance.cognitive),
      affective,
      behavioural: all(file.resistance.behavioural),
      strong: all(file.resistance.strong),
    },
    safeguarding: {
      disclosures: all(file.safeguarding.disclosures),
      harm: all(file.safeguarding.harm),
      people: all(file.safeguarding.people),
      notHarm: all(file.safeguarding.notHarm),
    },
  };
}

/** The lexicon shipped in `src/analysis/lexicon.json`. */
export function loadLexicon(path = lexiconPath): Lexicon {
  return compileLexicon(JSON.parse(readFileSync(path, 'utf8')));
}
