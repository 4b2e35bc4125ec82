import type { Block, Cell, EvidenceDocument } from './documentBlocks.js';

/**
 * The evidence document as Markdown: `#` and `##` headings, paragraphs, and pipe tables. A pipe or a line
 * break in a cell would break its table, so they are escaped and flattened.
 */
export function evidenceMarkdown(document: EvidenceDocument): string {
  return `${document.blocks.map(markdownOf).join('\n\n')}\n`;
}

function markdownOf(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(block.level)} ${flat(block.text)}`;
    case 'paragraph':
      return block.text;
    case 'table':
      return [
        row(block.columns),
        row(block.columns.map(() => '---')),
        ...block.rows.map((cells) => row(cells)),
      ].join('\n');
  }
}

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
const cell = (value: Cell) => flat(String(value)).replaceAll('|', '\\|');
const row = (cells: readonly Cell[]) => `| ${cells.map(cell).join(' | ')} |`;
