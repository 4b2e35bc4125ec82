import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readLabelledFile } from '../../src/cli/labelledFile.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
export const safeguardingDir = join(fixtures, 'safeguarding');

/** Where a training comment came from, for figures reported separately. */
export type Source = 'disclosure' | 'hard negative' | 'ordinary';

export interface Example {
  text: string;
  /** 1: a disclosure. */
  label: 0 | 1;
  source: Source;
  /** The category written in the safeguarding sets, or the theme fixtures' `case`/theme. */
  category: string;
  file: string;
}

const row = z.object({ category: z.string().min(1), text: z.string().trim().min(1) });

/** Reads a `category<TAB>text` set; a missing file is an empty set (the drafts may not be in yet). */
export function readCategorised(path: string): { category: string; text: string }[] {
  if (!existsSync(path)) return [];
  const [header, ...lines] = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  if (header?.trim() !== 'category\ttext') throw new Error(`${path}: unexpected header ${header}`);
  return lines.map((line, index) => {
    const [category, ...text] = line.split('\t');
    const parsed = row.safeParse({ category, text: text.join('\t') });
    if (!parsed.success) throw new Error(`${path}:${index + 2}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}

/** Two texts that differ only in case or spacing are the same comment. */
export const textKey = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Everything the head is trained on: the written disclosures, hard negatives and everyday comments in
 * test/fixtures/safeguarding, and the labelled comments of themes/eval.tsv and themes/holdout.tsv.
 * themes/fresh.tsv is never read here: it is held out. A text met twice is kept once (its first label).
 */
export async function trainingSet(): Promise<Example[]> {
  const examples: Example[] = [];
  const seen = new Set<string>();
  const add = (example: Example) => {
    const key = textKey(example.text);
    if (seen.has(key)) return;
    seen.add(key);
    examples.push(example);
  };
  for (const name of ['eval.tsv', 'holdout.tsv']) {
    for (const comment of (await readLabelledFile(join(fixtures, 'themes', name))).comments) {
      add({
        text: comment.text,
        label: comment.safeguarding ? 1 : 0,
        source: comment.safeguarding ? 'disclosure' : 'ordinary',
        category: comment.theme ?? 'unlabelled',
        file: `themes/${name}`,
      });
    }
  }
  for (const [name, label, source] of [
    ['disclosures.tsv', 1, 'disclosure'],
    ['negatives.tsv', 0, 'hard negative'],
    ['ordinary.tsv', 0, 'ordinary'],
  ] as const) {
    for (const { category, text } of readCategorised(join(safeguardingDir, name)))
      add({ text, label, source, category, file: `safeguarding/${name}` });
  }
  return examples;
}
