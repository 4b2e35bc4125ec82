import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argumentNames, parseMessage } from '../../src/i18n/message.js';
import { Localizer, loadLocales } from '../../src/i18n/strings.js';
import { localesDir, projectRoot } from '../../src/paths.js';

const english = loadLocales().get('en-GB') ?? {};
const placeholders = (text: string) => argumentNames(parseMessage(text));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('user-facing strings', () => {
  it('every key the code asks for exists in en-GB', () => {
    const used = sourceFiles(join(projectRoot, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)].map((m) => m[1] ?? ''),
    );
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((key) => !(key in english))).toEqual([]);
  });

  it('holds no angle brackets or Markdown links, so showing typed text literally changes only what was typed', () => {
    // shownLiterally (src/cards/literalText.ts) is applied to whole messages and card texts.
    for (const file of readdirSync(localesDir)) {
      const strings = JSON.parse(readFileSync(join(localesDir, file), 'utf8')) as Record<string, string>;
      expect(
        Object.entries(strings).filter(([, text]) => /[<>]|\]\(/.test(text)),
        file,
      ).toEqual([]);
    }
  });

  it('every other locale uses the same keys and placeholders as en-GB', () => {
    for (const file of readdirSync(localesDir)) {
      const strings = JSON.parse(readFileSync(join(localesDir, file), 'utf8')) as Record<string, string>;
      for (const [key, text] of Object.entries(strings)) {
        expect(english, `${file}: ${key}`).toHaveProperty([key]);
        expect(placeholders(text), `${file}: ${key}`).toEqual(placeholders(english[key] ?? ''));
      }
    }
  });

  it('a locale file with a malformed plural is refused at start-up, naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'locales-'));
    writeFileSync(join(dir, 'en-GB.json'), JSON.stringify({ 'a.count': '{n, plural, one {# day}}' }));
    expect(() => loadLocales(dir)).toThrow('en-GB.json: a.count');
  });

  it('a new locale file is picked up without code changes and falls back to en-GB per key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'locales-'));
    writeFileSync(join(dir, 'en-GB.json'), JSON.stringify({ 'a.hello': 'Hello {name}', 'a.bye': 'Bye' }));
    writeFileSync(join(dir, 'cy-GB.json'), JSON.stringify({ 'a.hello': 'Helo {name}' }));
    const localizer = new Localizer(loadLocales(dir));
    const welsh = localizer.for('cy');
    expect(welsh.locale).toBe('cy-GB');
    expect(welsh('a.hello', { name: 'Gareth' })).toBe('Helo Gareth');
    expect(welsh('a.bye')).toBe('Bye');
    expect(localizer.for('fr-FR').locale).toBe('en-GB');
    expect(localizer.for('en-US').locale).toBe('en-GB');
  });
});
