import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { CommentAnalysis, CommentClassifier } from '../domain/feedback/themes.js';
import { commentText, InputFileError, inputRecords, type SkippedLine } from './inputRecords.js';

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
  skipped: SkippedLine[];
}

/**
 * `huddle analyse`: reads a CSV (e.g. a Microsoft Forms export) or JSONL file and writes JSONL with the
 * analysis added to each record, all other fields kept. A bad line is reported with its line number and
 * skipped; it never stops the run. Nothing leaves the machine: the local classifier reads every line.
 */
export async function analyseFile(
  options: AnalyseOptions,
  classifier: CommentClassifier,
  /** How many comments are read at once (a pool of threads reads several); written in the input's order. */
  { inFlight = 1 }: { inFlight?: number } = {},
): Promise<AnalyseReport> {
  const report: AnalyseReport = { written: 0, safeguarding: [], skipped: [] };
  const out = createWriteStream(options.output, { encoding: 'utf8' });
  const reading: {
    line: number;
    record: Record<string, unknown>;
    text: string;
    analysis: Promise<CommentAnalysis>;
  }[] = [];
  const writeFirst = async () => {
    const first = reading.shift();
    if (first !== undefined) await write(first.line, first.record, first.text, await first.analysis);
  };
  const write = async (
    line: number,
    record: Record<string, unknown>,
    text: string,
    analysis: CommentAnalysis,
  ) => {
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
  // JSONL always names the field `text`; a table (CSV, TSV) names its column after the question asked, and
  // only a table has a header to check.
  let textField = 'text';
  const checkHeader = (columns: string[]) => {
    textField = options.textColumn;
    if (!columns.includes(textField)) {
      throw new InputFileError(
        `${options.input} has no column "${textField}"; its columns are: ${columns.join(', ')}. Name the right one with --text-column.`,
      );
    }
  };
  try {
    for await (const { line, record } of inputRecords(options.input, report.skipped, checkHeader)) {
      const parsed = commentText.safeParse(record[textField]);
      if (!parsed.success) {
        report.skipped.push({ line, reason: parsed.error.issues[0]?.message ?? 'no text' });
        continue;
      }
      const analysis = classifier.classify(parsed.data);
      // Settled when written; a failure here would otherwise be unhandled while earlier lines are written.
      analysis.catch(() => undefined);
      reading.push({ line, record, text: parsed.data, analysis });
      if (reading.length >= inFlight) await writeFirst();
    }
    while (reading.length > 0) await writeFirst();
  } finally {
    out.end();
    await once(out, 'finish');
  }
  return report;
}
