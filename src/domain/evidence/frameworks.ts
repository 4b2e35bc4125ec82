/**
 * What the evidence pack can stand as evidence for, and which of its sections show it. The words of each
 * statement and criterion are in the locale file (`evidence.cqc.*`, `evidence.nos.*`), quoted from their
 * source; only sourced numbers are used.
 *
 * The CQC statements are the five Well-led quality statements of its single assessment framework that a
 * record of leading a change can speak to. SCDLMCB2 (H7LR 04, "Lead and manage provision of care services
 * that promotes the wellbeing of individuals") numbers 45 performance criteria and has no heading of its
 * own for leading change, so the criteria listed are those about analysing practice, identifying and
 * evaluating change, recognising contributions and keeping records, which this record supports. An
 * assessor decides whether it meets them.
 */
export const EVIDENCE_SECTIONS = [
  'change',
  'timeline',
  'pulses',
  'themes',
  'actions',
  'champions',
  'safeguarding',
  'involvement',
] as const;
export type EvidenceSection = (typeof EVIDENCE_SECTIONS)[number];

export interface FrameworkLink {
  framework: 'cqc' | 'nos';
  /** `evidence.cqc.<key>` / `evidence.nos.<key>` in the locale file. */
  key: string;
  /** The performance criterion's number in SCDLMCB2; absent for a CQC statement. */
  criterion?: number | undefined;
  sections: EvidenceSection[];
}

export const FRAMEWORK_MAP: readonly FrameworkLink[] = [
  { framework: 'cqc', key: 'sharedDirection', sections: ['change', 'timeline', 'involvement'] },
  { framework: 'cqc', key: 'leaders', sections: ['timeline', 'champions', 'actions'] },
  { framework: 'cqc', key: 'speakUp', sections: ['themes', 'actions', 'safeguarding'] },
  { framework: 'cqc', key: 'governance', sections: ['change', 'pulses', 'safeguarding'] },
  { framework: 'cqc', key: 'learning', sections: ['pulses', 'themes', 'actions'] },
  { framework: 'nos', key: 'pc16', criterion: 16, sections: ['themes', 'actions'] },
  { framework: 'nos', key: 'pc17', criterion: 17, sections: ['pulses', 'involvement'] },
  { framework: 'nos', key: 'pc18', criterion: 18, sections: ['champions', 'actions'] },
  { framework: 'nos', key: 'pc19', criterion: 19, sections: ['change', 'timeline'] },
  { framework: 'nos', key: 'pc21', criterion: 21, sections: ['pulses', 'themes'] },
  { framework: 'nos', key: 'pc22', criterion: 22, sections: ['change', 'actions'] },
  { framework: 'nos', key: 'pc32', criterion: 32, sections: ['pulses', 'themes'] },
  { framework: 'nos', key: 'pc33', criterion: 33, sections: ['timeline', 'actions'] },
];
