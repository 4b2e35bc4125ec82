import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { COMMENT_MAX_LENGTH } from '../domain/comment.js';
import type { CommentClassifier } from '../domain/themes.js';

export interface AnalyseOptions {
  input: string;
  output: string;
  /** The CSV column holding the comment (JSONL always uses `text`). */
  textColumn: string;
}

export interface AnalyseReport {
  written: number;
  /** Input line numbers of possible safeguarding disclosures: someone must read these today. */
  safeguarding: number[];
  /** Lines that were skipped, with their number in the input file and why. */
  skipped: { line: number; reason: string }[];
}

// A survey export's free text can be long; far longer is not a comment but a pasted document.
const MAX_TEXT = 10 * COMMENT_MAX_LENGTH;
const textSchema = z
  .string({ required_error: 'there is no "text"', invalid_type_error: 'the "text" is not a string' })
  .trim()
  .min(1, 'the text is empty')
  .max(MAX_TEXT, `the text is over ${MAX_TEXT} characters`);
const jsonLine = z.record(z.unknown());

/**
 * `huddle analyse`: reads a CSV (e.g. a Microsoft Forms export) or JSONL file and writes JSONL with the
 * analysis added to each record, all other fields kept. A bad line is reported with its line number and
 * skipped; it never stops the run. Nothing leaves the machine: the local classifier reads every line.
 */
export async function analyseFile(
  options: AnalyseOptions,
  classifier: CommentClassifier,
): Promise<AnalyseReport> {
  const report: AnalyseReport = { written: 0, safeguarding: [], skipped: [] };
  const out = createWriteStream(options.output, { encoding: 'utf8' });
  const write = async (line: number, record: Record<string, unknown>, text: string) => {
    const analysis = await classifier.classify(text);
    if (analysis.safeguarding) report.safeguarding.push(line);
    const analysed = JSON.stringify({
      ...record,
      text,
      primaryTheme: analysis.primaryTheme,
      themes: analysis.themes,
      sentiment: analysis.sentiment,
      resistance: analysis.resistance,
      resistanceKind: analysis.resistanceKind ?? null,
      safeguarding: analysis.safeguarding,
    });
    if (!out.write(`${analysed}\n`)) await once(out, 'drain');
    report.written += 1;
  };
  try {
    const records =
      extname(options.input).toLowerCase() === '.csv'
        ? csvRecords(options, report)
        : jsonlRecords(options.input, report);
    for await (const { line, record, text } of records) {
      const parsed = textSchema.safeParse(text);
      if (!parsed.success) {
        report.skipped.push({ line, reason: parsed.error.issues[0]?.message ?? 'no text' });
        continue;
      }
      await write(line, record, parsed.data);
    }
  } finally {
    out.end();
    await once(out, 'finish');
  }
  return report;
}

interface InputRecord {
  line: number;
  record: Record<string, unknown>;
  text: unknown;
}

async function* jsonlRecords(path: string, report: AnalyseReport): AsyncGenerator<InputRecord> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      report.skipped.push({ line, reason: 'not valid JSON' });
      continue;
    }
    const parsed = jsonLine.safeParse(value);
    if (!parsed.success) {
      report.skipped.push({ line, reason: 'not a JSON object' });
      continue;
    }
    yield { line, record: parsed.data, text: parsed.data.text };
  }
}

async function* csvRecords(options: AnalyseOptions, report: AnalyseReport): AsyncGenerator<InputRecord> {
  const parser = createReadStream(options.input).pipe(
    parse({
      bom: true,
      columns: true,
      info: true,
      relax_column_count: false,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        report.skipped.push({ line: Number(error?.lines ?? 0), reason: csvReason(error?.code) });
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
      if (!(options.textColumn in record)) {
        parser.destroy();
        throw new AnalyseInputError(
          `${options.input} has no column "${options.textColumn}"; its columns are: ${Object.keys(record).join(', ')}. Name the right one with --text-column.`,
        );
      }
    }
    yield { line: info.lines, record, text: record[options.textColumn] };
  }
}

function csvReason(code: string | undefined): string {
  if (code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || code === 'CSV_RECORD_INCONSISTENT_COLUMNS')
    return 'a different number of fields from the header';
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quote is never closed';
  return `not readable as CSV (${code ?? 'unknown problem'})`;
}

/** The input as a whole cannot be analysed (the named column is missing). */
export class AnalyseInputError extends Error {
  override name = 'AnalyseInputError';
}
