import {
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Block, Cell, EvidenceDocument } from './documentBlocks.js';

/**
 * The evidence document as a Word file a manager can edit and hand in: real headings (so Word's
 * navigation pane and a table of contents find them) and real tables with a repeated header row.
 */
export async function evidenceDocx(document: EvidenceDocument): Promise<Uint8Array> {
  const children = document.blocks.map(docxOf);
  const file = new Document({
    title: document.title,
    creator: 'Huddle',
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(file));
}

function docxOf(block: Block): Paragraph | Table {
  switch (block.kind) {
    case 'heading':
      return new Paragraph({
        text: block.text,
        heading: block.level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
      });
    case 'paragraph':
      return new Paragraph({ text: block.text, spacing: { after: 120 } });
    case 'table':
      return new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({ tableHeader: true, children: block.columns.map((column) => cellOf(column, true)) }),
          ...block.rows.map(
            (cells) => new TableRow({ children: cells.map((value) => cellOf(value, false)) }),
          ),
        ],
      });
  }
}

const cellOf = (value: Cell, bold: boolean) =>
  new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: String(value), bold })] })] });
