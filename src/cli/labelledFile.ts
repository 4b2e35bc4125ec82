import { z } from 'zod';
import type { LabelledComment } from '../analysis/evaluation.js';
import { THEMES } from '../domain/feedback/themes.js';
import { commentText, InputFileError, inputRecords, type SkippedLine } from './inputRecords.js';

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim().toLowerCase()) : value;

const YES = ['true', 'yes', '1'];
const NO = ['false', 'no', '0'];

/**
 * One labelled comment of a file someone wants a classifier scored on. `theme` may be left blank (a file
 * labelled for safeguarding only); `safeguarding` may not, since a blank there could mean "no" or "not
 * checked", and the recall figure depends on which.
 */
const labelledRow = z.object({
  text: commentText,
  theme: z.preprocess(
    blankToUndefined,
    z
      .enum(THEMES, {
        errorMap: (_, context) => ({
          message: `the theme ${JSON.stringify(context.data)} is not one of ${THEMES.join(', ')}`,
        }),
      })
      .optional(),
  ),
  kind: z.preprocess(
    blankToUndefined,
    z.string().max(40, 'the kind is longer than 40 characters').optional(),
  ),
  safeguarding: z.preprocess(
    (value) =>
      typeof value === 'boolean' || typeof value === 'number' ? String(value) : blankToUndefined(value),
    z
      .enum([...YES, ...NO] as [string, ...string[]], {
        errorMap: (issue, context) => ({
          message:
            issue.code === 'invalid_type' && context.data === undefined
              ? 'there is no "safeguarding" label: write true or false'
              : `the safeguarding label ${JSON.stringify(context.data)} is not true/false, yes/no or 1/0`,
        }),
      })
      .transform((value) => YES.includes(value)),
  ),
});

export interface LabelledFile {
  comments: LabelledComment[];
  skipped: SkippedLine[];
}

/**
 * Reads a labelled CSV, TSV or JSONL file: `text`, `theme` and `safeguarding` on each row, and optionally
 * `kind` (what sort of comment it is, for false alarms by sort); other columns ignored. A bad row is skipped with its line number and why; a file with no usable row is refused.
 */
export async function readLabelledFile(path: string): Promise<LabelledFile> {
  const file: LabelledFile = { comments: [], skipped: [] };
  const checkHeader = (columns: string[]) => {
    const missing = ['text', 'safeguarding'].filter((column) => !columns.includes(column));
    if (missing.length > 0) {
      throw new InputFileError(
        `${path} has no column ${missing.map((name) => `"${name}"`).join(' or ')}; its columns are: ${columns.join(', ')}. A labelled file needs "text" and "safeguarding", and "theme" to score themes.`,
      );
    }
  };
  for await (const { line, record } of inputRecords(path, file.skipped, checkHeader)) {
    const parsed = labelledRow.safeParse(record);
    if (parsed.success) file.comments.push({ line, ...parsed.data });
    else file.skipped.push({ line, reason: parsed.error.issues[0]?.message ?? 'not a labelled comment' });
  }
  file.skipped.sort((a, b) => a.line - b.line);
  if (file.comments.length === 0) {
    const shown = file.skipped.slice(0, 10).map(({ line, reason }) => `\n  line ${line}: ${reason}`);
    const more = file.skipped.length - shown.length;
    throw new InputFileError(
      `${path} has no labelled comment to score.${shown.join('')}${more > 0 ? `\n  and ${more} more` : ''}`,
    );
  }
  return file;
}
