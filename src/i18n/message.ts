/**
 * The small part of ICU MessageFormat that Huddle's strings use: `{name}` placeholders, `{max, number}`
 * for a number written the person's way ("1,000"), and
 * `{count, plural, =0 {...} one {...} other {...}}` with `#` for the number inside a branch, so that
 * "1 concern" and "2 concerns" come from one string whose plural rules follow the person's language
 * (`Intl.PluralRules`). Placeholders may sit inside branches. Apostrophe quoting is not supported:
 * strings have none of ICU's special characters outside arguments, and an apostrophe is just text.
 */

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'value'; readonly name: string }
  | { readonly kind: 'number'; readonly name?: string }
  | { readonly kind: 'plural'; readonly name: string; readonly branches: ReadonlyMap<string, Message> };

/** A parsed message, ready to be formatted many times. */
export type Message = readonly Part[];

export type MessageValues = Readonly<Record<string, string | number>>;

const CATEGORIES = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

/** Parses `source`, throwing an error that quotes it when its braces or plural branches are malformed. */
export function parseMessage(source: string): Message {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at character ${at} of "${source}"`);
  };
  const skipSpaces = () => {
    while (/\s/.test(source[at] ?? '')) at += 1;
  };
  const word = (pattern: RegExp): string => {
    const found = pattern.exec(source.slice(at))?.[0];
    if (found === undefined) return fail('expected a name');
    at += found.length;
    return found;
  };

  const parts = (inPlural: boolean): Part[] => {
    const out: Part[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') out.push({ kind: 'text', text });
      text = '';
    };
    while (at < source.length && source[at] !== '}') {
      const char = source[at] ?? '';
      if (char === '{') {
        flush();
        out.push(argument());
      } else if (char === '#' && inPlural) {
        flush();
        out.push({ kind: 'number' });
        at += 1;
      } else {
        text += char;
        at += 1;
      }
    }
    flush();
    return out;
  };

  const argument = (): Part => {
    at += 1;
    skipSpaces();
    const name = word(/^\w+/);
    skipSpaces();
    if (source[at] === '}') {
      at += 1;
      return { kind: 'value', name };
    }
    if (source[at] !== ',') fail(`expected "}" or ", plural," after {${name}`);
    at += 1;
    skipSpaces();
    const type = word(/^\w+/);
    skipSpaces();
    if (type === 'number' && source[at] === '}') {
      at += 1;
      return { kind: 'number', name };
    }
    if (type !== 'plural') fail(`only number and plural arguments are supported, in {${name}}`);
    if (source[at] !== ',') fail(`expected "," after {${name}, plural`);
    at += 1;
    const branches = new Map<string, Message>();
    skipSpaces();
    while (source[at] !== '}') {
      if (at >= source.length) fail(`unclosed {${name}, plural, ...}`);
      const selector = word(/^(=\d+|\w+)/);
      if (!selector.startsWith('=') && !CATEGORIES.has(selector))
        fail(`unknown plural category "${selector}"`);
      skipSpaces();
      if (source[at] !== '{') fail(`expected "{" after ${selector}`);
      at += 1;
      branches.set(selector, parts(true));
      if (source[at] !== '}') fail(`unclosed branch ${selector}`);
      at += 1;
      skipSpaces();
    }
    at += 1;
    if (!branches.has('other')) fail(`{${name}, plural, ...} needs an "other" branch`);
    return { kind: 'plural', name, branches };
  };

  const message = parts(false);
  if (at < source.length) fail('unmatched "}"');
  return message;
}

/** The names of the arguments a message uses, plain or plural, each once, sorted. */
export function argumentNames(message: Message): string[] {
  const names = new Set<string>();
  const visit = (parts: Message) => {
    for (const part of parts) {
      if (part.kind === 'value') names.add(part.name);
      if (part.kind === 'number' && part.name !== undefined) names.add(part.name);
      if (part.kind === 'plural') {
        names.add(part.name);
        for (const branch of part.branches.values()) visit(branch);
      }
    }
  };
  visit(message);
  return [...names].sort();
}

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function cached<T>(cache: Map<string, T>, locale: string, make: () => T): T {
  const found = cache.get(locale) ?? make();
  cache.set(locale, found);
  return found;
}

/**
 * Fills a message for `locale`. A plain `{name}` without a value stays as written, as it always has;
 * a plural argument without a number is a bug in the caller and throws.
 */
export function formatMessage(message: Message, values: MessageValues, locale: string): string {
  const rules = cached(pluralRules, locale, () => new Intl.PluralRules(locale));
  const numbers = cached(numberFormats, locale, () => new Intl.NumberFormat(locale));
  const numberOf = (name: string): number => {
    const value = Number(values[name]);
    if (values[name] === undefined || Number.isNaN(value)) {
      throw new Error(`{${name}} needs a number, got ${String(values[name])}`);
    }
    return value;
  };
  // `count` is the number of the plural argument around a `#`, which is only parsed inside one.
  const renderPart = (part: Part, count: number | undefined): string => {
    if (part.kind === 'text') return part.text;
    if (part.kind === 'number')
      return numbers.format(part.name === undefined ? (count ?? 0) : numberOf(part.name));
    if (part.kind === 'value') {
      const value = values[part.name];
      return value === undefined ? `{${part.name}}` : String(value);
    }
    const value = numberOf(part.name);
    const branch =
      part.branches.get(`=${value}`) ?? part.branches.get(rules.select(value)) ?? part.branches.get('other');
    return render(branch ?? [], value);
  };
  const render = (parts: Message, count: number | undefined): string =>
    parts.map((part) => renderPart(part, count)).join('');
  return render(message, undefined);
}
