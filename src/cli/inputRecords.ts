import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { COMMENT_MAX_LENGTH } from '../domain/feedback/comment.js';

/** One record of an input file, with the number of the line it ends on, for messages people can act on. */
export interface InputRecord {
  line: number;
  record: Record<string, unknown>;
}

export interface SkippedLine {
  line: number;
  reason: string;
}

// A survey export's free text can be long; far longer is not a comment but a pasted document.
const MAX_TEXT = 10 * COMMENT_MAX_LENGTH;

/** A comment's words in an input file. Its messages never quote the words: files hold staff comments. */
export const commentText = z
  .string({ required_error: 'there is no "text"', invalid_type_error: 'the "text" is not a string' })
  .trim()
  .min(1, 'the text is empty')
  .max(MAX_TEXT, `the text is over ${MAX_TEXT} characters`);

const jsonLine = z.record(z.unknown());

/**
 * The records of a CSV or TSV file (a header row, then one record a row) or, for any other extension, a
 * JSONL file. A line that cannot be read is added to `skipped` and left out; it never stops the read.
 * `checkHeader` sees a table's column names first, so a file without a needed column stops at once.
 */
export async function* inputRecords(
  path: string,
  skipped: SkippedLine[],
  checkHeader: (columns: string[]) => void,
): AsyncGenerator<InputRecord> {
  const file = await openInput(path);
  try {
    const extension = extname(path).toLowerCase();
    if (extension === '.csv') yield* tableRecords(file, ',', skipped, checkHeader);
    // Our own labelled sets are TSV without quoting: a quote in a comment is just a quote.
    else if (extension === '.tsv') yield* tableRecords(file, '\t', skipped, checkHeader);
    else yield* jsonlRecords(file, skipped);
  } finally {
    await file.close();
  }
}

async function openInput(path: string): Promise<FileHandle> {
  try {
    return await open(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(
      code === 'ENOENT' ? `There is no file ${path}.` : `${path} cannot be read (${code ?? 'unknown'}).`,
    );
  }
}

async function* jsonlRecords(file: FileHandle, skipped: SkippedLine[]): AsyncGenerator<InputRecord> {
  const lines = createInterface({
    input: file.createReadStream({ encoding: 'utf8', autoClose: false }),
    crlfDelay: Infinity,
  });
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      skipped.push({ line, reason: 'not valid JSON' });
      continue;
    }
    const parsed = jsonLine.safeParse(value);
    if (!parsed.success) {
      skipped.push({ line, reason: 'not a JSON object' });
      continue;
    }
    yield { line, record: parsed.data };
  }
}

async function* tableRecords(
  file: FileHandle,
  delimiter: ',' | '\t',
  skipped: SkippedLine[],
  checkHeader: (columns: string[]) => void,
): AsyncGenerator<InputRecord> {
  const parser = file.createReadStream({ autoClose: false }).pipe(
    parse({
      bom: true,
      columns: true,
      delimiter,
      quote: delimiter === ',' ? '"' : false,
      info: true,
      relax_column_count: false,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        skipped.push({ line: Number(error?.lines ?? 0), reason: csvReason(error?.code) });
      },
    }),
  );
  let checkedHeader = false;
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    if (!checkedHeader) {
      checkedHeader = true;
      try {
        checkHeader(Object.keys(record));
      } catch (error) {
        parser.destroy();
        throw error;
      }
    }
    yield { line: info.lines, record };
  }
}

function csvReason(code: string | undefined): string {
  if (code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || code === 'CSV_RECORD_INCONSISTENT_COLUMNS')
    return 'a different number of fields from the header';
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quote is never closed';
  return `not readable as CSV (${code ?? 'unknown problem'})`;
}

/** The input as a whole cannot be used: there is no such file, or a column it needs is missing. */
export class InputFileError extends Error {
  override name = 'InputFileError';
}
