import { boundedText } from './language.js';

/**
 * The longest piece of text the sentence encoder is given at once. Comments are mostly one to four
 * sentences, well under this, and are read whole; a longer one is read in windows of sentences, so a
 * disclosure in its last lines counts as much as one in its first (an encoder's single vector for a long
 * text is an average in which one sentence of harm is drowned).
 */
export const WINDOW = 400;

/** Markup tags (Teams sends HTML such as `<p>` and `<at>`): bounded, so the pattern runs in linear time. */
const TAG = /<\/?[a-z][^<>]{0,500}>/gi;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const ENTITY = /&(#\d{1,7}|[a-z]{2,6});/gi;
const SENTENCE_END = /(?<=[.!?…])\s+|\s*\n\s*/u;
const LETTER = /\p{L}/u;

function decodeEntity(whole: string, name: string): string {
  if (name.startsWith('#')) {
    const code = Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
  }
  return ENTITIES[name.toLowerCase()] ?? whole;
}

/**
 * The words of a comment as the screen reads them: markup taken out, then the same bounded part the
 * classifier reads (its first 8,000 characters, runs too long to be words broken up or dropped, links
 * dropped), with spaces collapsed but line breaks kept as sentence ends.
 */
export function screenableText(text: string): string {
  // Markup is taken out of a little more than is read, so tags do not use up the reading.
  const plain = text.slice(0, 16_000).replace(TAG, ' ').replace(ENTITY, decodeEntity);
  return boundedText(plain)
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
}

/** A sentence longer than a window, cut at spaces (or anywhere, failing that) into window-sized pieces. */
function piecesOf(sentence: string): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > WINDOW) {
    const cut = rest.lastIndexOf(' ', WINDOW);
    const at = cut > WINDOW / 2 ? cut : WINDOW;
    pieces.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}

/**
 * What the encoder is given for one comment: nothing when it has no letters at all (emoji, numbers,
 * punctuation: there is nothing to read), the whole comment when it fits in one window, and otherwise
 * windows of whole sentences up to WINDOW characters. Each window after the first starts again at the
 * previous window's last sentence, so two sentences that belong together ("I saw her arm. He did it.")
 * are read together in some window. At most about 2 x 8,000 / WINDOW windows whatever arrives.
 */
export function screenWindows(text: string): string[] {
  const readable = screenableText(text);
  if (!LETTER.test(readable)) return [];
  const flat = readable.replace(/\n/g, ' ');
  if (flat.length <= WINDOW) return [flat];
  const sentences = readable
    .split(SENTENCE_END)
    .flatMap(piecesOf)
    .filter((sentence) => LETTER.test(sentence));
  const windows: string[] = [];
  let start = 0;
  while (start < sentences.length) {
    let end = start + 1;
    let length = sentences[start]?.length ?? 0;
    while (end < sentences.length && length + 1 + (sentences[end]?.length ?? 0) <= WINDOW) {
      length += 1 + (sentences[end]?.length ?? 0);
      end += 1;
    }
    windows.push(sentences.slice(start, end).join(' '));
    if (end >= sentences.length) break;
    // Overlap by one sentence, unless the window was that one sentence (no progress) or it is long.
    const last = sentences[end - 1] ?? '';
    start = end - 1 > start && last.length <= WINDOW / 2 ? end - 1 : end;
  }
  return windows;
}
