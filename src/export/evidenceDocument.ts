import type { EvidencePack } from '../domain/evidence/evidencePack.js';
import { EVIDENCE_SECTIONS, type EvidenceSection } from '../domain/evidence/frameworks.js';
import { localDayAndTime } from '../domain/shared/timeZone.js';
import type { Translator } from '../i18n/strings.js';
import {
  type Block,
  type EvidenceDocument,
  heading,
  paragraph,
  sectionTitle,
  type Text,
  table,
} from './documentBlocks.js';
import { appendices } from './evidenceAppendices.js';
import { SECTIONS } from './evidenceSections.js';

/**
 * The pack as one document: title and intro, the numbered sections, what they evidence, then the
 * appendices. Days and times are on the reader's clock (`timeZone`).
 */
export function evidenceDocument(t: Translator, pack: EvidencePack, timeZone: string): EvidenceDocument {
  const day = (iso: string | undefined) =>
    iso === undefined ? '' : localDayAndTime(new Date(iso), timeZone).day;
  const when = (iso: string) => {
    const { day: date, time } = localDayAndTime(new Date(iso), timeZone);
    return `${date} ${time}`;
  };
  const text: Text = { t, day, when, none: t('evidence.none') };
  const title = t('evidence.title', { title: pack.initiative.title });
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: title },
    paragraph(t('evidence.intro', { day: day(pack.generatedAt), threshold: pack.threshold })),
    ...(pack.empty ? [paragraph(t('evidence.empty'))] : []),
  ];
  for (const section of EVIDENCE_SECTIONS) {
    blocks.push(heading(sectionTitle(t, section)), ...SECTIONS[section](text, pack));
  }
  blocks.push(...frameworkBlocks(t, pack), ...appendices(text, pack));
  // An empty table says so in words, in every format alike.
  const nothing = paragraph(t('evidence.nothingRecorded'));
  return {
    title,
    blocks: blocks.map((block) => (block.kind === 'table' && block.rows.length === 0 ? nothing : block)),
  };
}

function frameworkBlocks(t: Translator, pack: EvidencePack): Block[] {
  const where = (sections: readonly EvidenceSection[]) =>
    sections.map((section) => sectionTitle(t, section)).join('; ');
  const cqc = pack.frameworks.filter((link) => link.framework === 'cqc');
  const nos = pack.frameworks.filter((link) => link.framework === 'nos');
  return [
    heading(t('evidence.frameworks')),
    paragraph(t('evidence.cqcNote')),
    table(
      [t('evidence.column.statement'), t('evidence.column.sections')],
      cqc.map((link) => [t(`evidence.cqc.${link.key}`), where(link.sections)]),
    ),
    paragraph(t('evidence.nosNote')),
    table(
      [t('evidence.column.criterion'), t('evidence.column.wording'), t('evidence.column.sections')],
      nos.map((link) => [link.criterion ?? '', t(`evidence.nos.${link.key}`), where(link.sections)]),
    ),
  ];
}
