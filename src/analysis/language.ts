import model from 'wink-eng-lite-web-model';
import winkNLP, { type ItemToken, type ItsFunction } from 'wink-nlp';

/** One word of a comment as the rules see it. */
export interface Word {
  /**
   * The forms a cue may match: the lower-case dictionary form ("pushed" -> "push", "n't" -> "not"), the
   * word as written, and its Porter stem. wink's lemmatiser leaves words it tags as names ("Residents"
   * opening a sentence) or does not know ("carers") as they are, and reads a word differently alone (in a
   * cue) than in a sentence ("involved"), so the stem backs it up.
   */
  forms: readonly string[];
  /** The dictionary form alone. */
  lemma: string;
  /**
   * Within three words after a "not", "never" or "no", inside wink's negation scope. wink's scope runs to
   * the next punctuation, which in care staff's long unpunctuated sentences reaches far past what the
   * "not" is about ("if I can't use it will I lose my job").
   */
  negated: boolean;
  /** Which sentence it is in, counting from 0. */
  sentence: number;
  /**
   * How much the words count: in "not opposed to change, but the training was rushed" what follows the
   * "but" is the point, so words after a contrast count 1.5 and words before it 0.5.
   */
  weight: number;
}

export interface ReadText {
  words: Word[];
  /** wink's sentiment score for the whole text, -1..1 (it accounts for negation). */
  sentiment: number;
}

// Loading the model takes about 200 ms, so it happens once, on first use.
let nlp: ReturnType<typeof winkNLP> | undefined;
function language() {
  nlp ??= winkNLP(model);
  return nlp;
}

const NEGATION_REACH = 3;
/** Shorter stems collide ("willing" and "will" both stem to "will"), so they are not used to match. */
const MIN_STEM = 5;
/** Words that turn what follows around; also used to tell a negative cue ("no time") from a plain one. */
export const NEGATORS = new Set(['not', 'no', 'never', 'nobody', 'nothing', 'without', 'none']);

/**
 * wink declares `its.lemma` and `its.stem` with a parameter list `out()` does not accept; they work as any other,
 * except that a token wink split oddly may have none (null).
 */
const dictionaryForm = (its: unknown) => its as ItsFunction<string | null>;

const CONTRAST = new Set(['but', 'however', 'although', 'though', 'except']);

/**
 * How much of a text is read: twice a long safeguarding disclosure (a few thousand characters, which must
 * be read whole) and eight times what a comment form takes. A Teams message holds about 28,000 characters;
 * reading happens on the one thread that serves every turn, and 8,000 characters of the costliest text
 * (thousands of one-letter words) took about a tenth of a second, so what lies beyond is not read.
 */
export const READ_AT_MOST = 8_000;
/**
 * The longest run of non-space characters read as it stands. Real words are far shorter; a longer run is
 * words joined by punctuation ("on.the.rota.again!!!"), a link, or noise, and wink's tokeniser and stemmer
 * take time that grows with the square of a token's length (20,000 letters in one token took 7 s).
 */
const LONGEST_WORD = 40;
const LONG_RUN = new RegExp(`\\S{${LONGEST_WORD + 1},}`, 'g');
/** What separates words inside a long run (anything but letters, digits and apostrophes), its first character captured. */
const BETWEEN_WORDS = /([^\p{L}\p{M}\p{N}'’])[^\p{L}\p{M}\p{N}'’]*/u;
/**
 * A link: wink reads one as a single token that is not a word, so it carries no theme; split up, its path
 * ("carer-jailed-for-abuse") would be read as words.
 */
const LINK = /^([a-z][a-z0-9+.-]*:\/\/|www\.)/i;

/**
 * The part of a text wink is given, so that reading a comment takes time in proportion to at most
 * READ_AT_MOST characters whatever arrives. Every rule here runs in linear time. The disclosure screen
 * reads the same part, so the two never disagree about where a comment ends.
 */
export function boundedText(text: string): string {
  return text.slice(0, READ_AT_MOST).replace(LONG_RUN, wordsOfRun);
}

/**
 * A long run as wink reads a short one: its words apart, and each stretch of punctuation or symbols
 * between them kept as its first character, so "her!!!!!!" still ends a sentence and a "not" before it
 * reaches no further. A piece still too long to be a word is dropped.
 */
function wordsOfRun(run: string): string {
  if (LINK.test(run)) return ' ';
  return run
    .split(BETWEEN_WORDS)
    .filter((piece) => piece.length <= LONGEST_WORD)
    .join(' ');
}

/**
 * Tokenises, lemmatises and marks negation with wink-nlp; punctuation is dropped after it ends a clause.
 * Reads at most READ_AT_MOST characters, and a run of characters too long to be a word is broken up first.
 */
export function readText(text: string): ReadText {
  const nlp = language();
  const its = nlp.its;
  const doc = nlp.readDoc(boundedText(text));
  const words: Word[] = [];
  doc.sentences().each((sentence, index) => {
    const first = words.length;
    let sinceNegator = NEGATION_REACH + 1;
    sentence.tokens().each((token: ItemToken) => {
      if (token.out(its.type) !== 'word') return;
      const written = token.out(its.normal).toLowerCase();
      // wink has no lemma for a contraction typed without its apostrophe just before punctuation ("dont.",
      // "isnt,"), as staff type on phones all the time: the word as written stands in.
      const lemma = (token.out(dictionaryForm(its.lemma)) ?? written).toLowerCase();
      const stem = token.out(dictionaryForm(its.stem)) ?? written;
      sinceNegator += 1;
      words.push({
        forms: [...new Set([lemma, written, ...(stem.length >= MIN_STEM ? [stem] : [])])],
        lemma,
        negated: token.out(its.negationFlag) === true && sinceNegator <= NEGATION_REACH,
        sentence: index,
        weight: 1,
      });
      if (NEGATORS.has(lemma)) sinceNegator = 0;
    });
    weighContrast(words.slice(first));
  });
  return { words, sentiment: Number(doc.out(its.sentiment)) || 0 };
}

function weighContrast(sentence: Word[]): void {
  const turn = sentence.findIndex((word, index) => index > 0 && CONTRAST.has(word.lemma));
  if (turn < 0) return;
  sentence.forEach((word, index) => {
    word.weight = index < turn ? 0.5 : 1.5;
  });
}

/** The forms of each word of a phrase, read by the same pipeline, so cues are written in ordinary words. */
export function formsOfPhrase(phrase: string): (readonly string[])[] {
  return readText(phrase).words.map((word) => word.forms);
}
