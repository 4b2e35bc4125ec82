/**
 * Takes out of a quoted comment what would name or reach a person: email addresses, phone numbers,
 * @mentions, titled names ("Mrs Patel") and the names of people Huddle knows. A digest quotes what staff
 * say, never who they are or who they wrote about.
 */
export function scrub(text: string, knownNames: readonly string[]): string {
  let out = text
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]')
    .replace(/(?<![\w@])@[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?/gu, '[name]')
    .replace(/\+?\d[\d\s().-]{8,}\d/g, '[phone]')
    .replace(
      /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Nurse|Sister)\.?\s+\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*)?/gu,
      '[name]',
    );
  for (const word of [...knownNames].sort((a, b) => b.length - a.length)) {
    if (word.trim().length >= 2) out = out.split(word.trim()).join('[name]');
  }
  for (const word of nameWords(knownNames)) {
    out = out.replace(
      new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'gu'),
      '[name]',
    );
  }
  return out.replace(/\[name\](?:\s+\[name\])+/g, '[name]');
}

/**
 * Each part of each name, longest first so "Ann-Marie" goes before "Ann"; one-letter parts are left.
 * Matched as written (capitalised), so a colleague called Sam Care does not take "care" out of every quote.
 */
function nameWords(names: readonly string[]): string[] {
  const words = new Set<string>();
  for (const name of names) {
    for (const part of name.split(/\s+/)) if (part.replace(/\W/g, '').length >= 2) words.add(part);
  }
  return [...words].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
