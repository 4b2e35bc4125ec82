import type { EvidencePack } from '../domain/evidence/evidencePack.js';
import type { Translator } from '../i18n/strings.js';
import { evidenceCsv } from './evidenceCsv.js';
import { evidenceDocument } from './evidenceDocument.js';
import { evidenceDocx } from './evidenceDocx.js';
import { evidenceMarkdown } from './evidenceMarkdown.js';

export const EVIDENCE_FORMATS = ['docx', 'md', 'csv'] as const;
export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];

export interface EvidenceFile {
  name: string;
  content: Uint8Array;
}

/** The pack in one format, named `evidence-<initiative>.<format>`. */
export async function evidenceFile(
  t: Translator,
  pack: EvidencePack,
  format: EvidenceFormat,
  timeZone: string,
): Promise<EvidenceFile> {
  const document = evidenceDocument(t, pack, timeZone);
  const name = `evidence-${pack.initiative.id.replace(/[^A-Za-z0-9_-]+/g, '-')}.${format}`;
  if (format === 'docx') return { name, content: await evidenceDocx(document) };
  const text = format === 'md' ? evidenceMarkdown(document) : evidenceCsv(t, document);
  return { name, content: new TextEncoder().encode(text) };
}
