import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { THEMES } from '../../src/domain/themes.js';

const row = z.object({
  theme: z.enum(THEMES),
  safeguarding: z.enum(['true', 'false']).transform((value) => value === 'true'),
  case: z.string(),
  text: z.string().min(1),
});
export type LabelledComment = z.infer<typeof row>;

/** Reads a labelled set: tab-separated `theme safeguarding case text`, one comment a line, with a header. */
export function readLabelled(path: string): LabelledComment[] {
  const [header, ...lines] = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  if (header !== 'theme\tsafeguarding\tcase\ttext') throw new Error(`${path}: unexpected header ${header}`);
  return lines.map((line, index) => {
    const [theme, safeguarding, kase, ...text] = line.split('\t');
    const parsed = row.safeParse({ theme, safeguarding, case: kase, text: text.join('\t') });
    if (!parsed.success) throw new Error(`${path}:${index + 2}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}
