import { EVIDENCE_SECTIONS, type EvidenceSection } from '../domain/evidence/frameworks.js';
import type { GroupKey } from '../domain/pulses/anonymity.js';
import type { Translator } from '../i18n/strings.js';

/**
 * The evidence pack as a document in no particular format: headings, paragraphs and tables in reading
 * order. The Word, Markdown and CSV files are each a plain rendering of this one document, so they can
 * never say different things.
 */
export type Cell = string | number;
export type Block =
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'paragraph'; text: string }
  /** `keys`: how many leading columns name a row (a round is its pulse and number); 1 unless said. */
  | { kind: 'table'; columns: string[]; rows: Cell[][]; keys?: number | undefined };

export interface EvidenceDocument {
  title: string;
  blocks: Block[];
}

/** What every part of the document is written with: words, the reader's days and times, and "none". */
export interface Text {
  t: Translator;
  day: (iso: string | undefined) => string;
  when: (iso: string) => string;
  none: string;
}

export const heading = (text: string): Block => ({ kind: 'heading', level: 2, text });
export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const table = (columns: string[], rows: Cell[][], keys?: number): Block => ({
  kind: 'table',
  columns,
  rows,
  keys,
});
/** Two columns of label and value: a card's facts. */
export const facts = (t: Translator, rows: [string, Cell][]): Block =>
  table([t('evidence.column.figure'), t('evidence.column.value')], rows);
export const orNone = (value: Cell | undefined, none: string): Cell => value ?? none;

/** "3. Pulse results by round and trends": sections are numbered in `EVIDENCE_SECTIONS` order. */
export const sectionTitle = (t: Translator, section: EvidenceSection) =>
  t(`evidence.section.${section}`, { number: EVIDENCE_SECTIONS.indexOf(section) + 1 });

export const groupName = (t: Translator, key: GroupKey) =>
  key.field === 'all' ? t('export.group.all') : `${t(`group.${key.field}`)} ${key.value}`;
