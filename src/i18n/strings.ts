import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { localesDir } from '../paths.js';

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
    locales.set(basename(file, '.json'), parsed.data);
  }
  if (!locales.has(DEFAULT_LOCALE)) throw new Error(`${dir} has no ${DEFAULT_LOCALE}.json`);
  return locales;
}

/** Translates keys for one person; `{name}` placeholders are filled from `values`. */
export interface Translator {
  readonly locale: string;
  (key: string, values?: Readonly<Record<string, string | number>>): string;
}

/** A number as the person's language writes it ("1,000" in en-GB). */
export const formatCount = (t: Translator, count: number) => new Intl.NumberFormat(t.locale).format(count);

export class Localizer {
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
    const translate = (key: string, values: Readonly<Record<string, string | number>> = {}) => {
      const template = strings[key] ?? fallback[key];
      if (template === undefined) throw new Error(`missing string ${key}`);
      return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
    };
    return Object.assign(translate, { locale });
  }
}
