import { toCsv } from '../cards/resultsSpreadsheet.js';
import type { Translator } from '../i18n/strings.js';
import type { Cell, EvidenceDocument } from './documentBlocks.js';

/**
 * The evidence document's tables as one spreadsheet in long format (section, row, column, value), so
 * every figure is one row a spreadsheet can filter and pivot; a row is named by its table's key columns. Paragraphs are words, not figures, and are
 * left to the Word and Markdown files. Same CSV rules as the results spreadsheet (`toCsv`).
 */
export function evidenceCsv(t: Translator, document: EvidenceDocument): string {
  const rows: Cell[][] = [
    [t('evidence.csv.section'), t('evidence.csv.row'), t('evidence.csv.column'), t('evidence.column.value')],
  ];
  let section = document.title;
  for (const block of document.blocks) {
    if (block.kind === 'heading') section = block.text;
    if (block.kind !== 'table') continue;
    const keys = block.keys ?? 1;
    for (const cells of block.rows) {
      const label = cells.slice(0, keys).join(' · ');
      cells.slice(keys).forEach((value, index) => {
        rows.push([section, label, block.columns[index + keys] ?? '', value]);
      });
    }
  }
  return toCsv(rows);
}
