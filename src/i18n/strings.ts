import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { localesDir } from '../paths.js';
import { formatMessage, type Message, type MessageValues, parseMessage } from './message.js';

export const DEFAULT_LOCALE = 'en-GB';

const localeFile = z.record(z.string());
export type Strings = Readonly<Record<string, string>>;

/**
 * All locale files in `cards/locales`, read once. A new language is a new file (e.g. `cy-GB.json`); a key
 * it leaves out falls back to en-GB, so a partial translation still works.
 */
export function loadLocales(dir: string = localesDir): ReadonlyMap<string, Strings> {
  const locales = new Map<string, Strings>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const parsed = localeFile.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`${file}: every value must be a string`);
    for (const [key, text] of Object.entries(parsed.data)) {
      try {
        parseMessage(text);
      } catch (error) {
        throw new Error(`${file}: ${key}: ${(error as Error).message}`);
      }
    }
    locales.set(basename(file, '.json'), parsed.data);
  }
  if (!locales.has(DEFAULT_LOCALE)) throw new Error(`${dir} has no ${DEFAULT_LOCALE}.json`);
  return locales;
}

/**
 * Translates keys for one person; `{name}` placeholders are filled from `values`, and
 * `{count, plural, one {...} other {...}}` picks the words for the number (see `message.ts`).
 */
export interface Translator {
  readonly locale: string;
  (key: string, values?: MessageValues): string;
}

/** A number as the person's language writes it ("1,000" in en-GB), for figures built outside a string. */
export const formatCount = (t: Translator, count: number) => new Intl.NumberFormat(t.locale).format(count);

/**
 * A whole per cent (0-100) as the person's language writes it: "72%" in en-GB, "72 %" in French. Every card
 * that shows a percentage takes it from here, so none writes "0 %" in English. No figure (nobody to count
 * yet) is the digest's missing-figure mark "–", never "0%", which would read as nobody answering.
 */
export const formatPercent = (t: Translator, percent: number | undefined) =>
  percent === undefined
    ? t('digest.none')
    : new Intl.NumberFormat(t.locale, { style: 'percent', maximumFractionDigits: 0 }).format(percent / 100);

export class Localizer {
  private readonly parsed = new Map<string, Message>();

  constructor(private readonly locales: ReadonlyMap<string, Strings> = loadLocales()) {}

  /** Best match for a Teams locale ("en-gb", "en-US", "cy"): exact, then same language, then en-GB. */
  pick(requested: string | undefined): string {
    const wanted = (requested ?? '').toLowerCase();
    const names = [...this.locales.keys()];
    return (
      names.find((name) => name.toLowerCase() === wanted) ??
      names.find((name) => name.toLowerCase().split('-')[0] === wanted.split('-')[0]) ??
      DEFAULT_LOCALE
    );
  }

  for(requested: string | undefined): Translator {
    const locale = this.pick(requested);
    const strings = this.locales.get(locale) ?? {};
    const fallback = this.locales.get(DEFAULT_LOCALE) ?? {};
    const translate = (key: string, values: MessageValues = {}) => {
      const template = strings[key] ?? fallback[key];
      if (template === undefined) throw new Error(`missing string ${key}`);
      return formatMessage(this.message(template), values, locale);
    };
    return Object.assign(translate, { locale });
  }

  /** Each template is parsed once, on first use (every one was already checked in `loadLocales`). */
  private message(template: string): Message {
    const found = this.parsed.get(template) ?? parseMessage(template);
    this.parsed.set(template, found);
    return found;
  }
}
