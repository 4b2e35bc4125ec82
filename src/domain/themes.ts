/**
 * What Huddle reads in a comment: the primer's concern themes, how the writer feels, whether they resist
 * the change (and how), and whether it may be a safeguarding disclosure.
 */
export const THEMES = [
  'workload_time',
  'technology_confidence',
  'training_gap',
  'identity_values',
  'trust_management',
  'change_fatigue',
  'resident_safety',
  'job_security',
  'communication',
  'not_consulted',
  'supportive',
  'neutral',
] as const;
export type Theme = (typeof THEMES)[number];

/** Themes that voice a worry about the change, as opposed to support or nothing in particular. */
export const isConcern = (theme: Theme) => theme !== 'supportive' && theme !== 'neutral';

export const RESISTANCE_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type ResistanceLevel = (typeof RESISTANCE_LEVELS)[number];

/** Thinks (cognitive), feels (affective), does (behavioural): Piderit 2000, Oreg 2006. */
export const RESISTANCE_KINDS = ['cognitive', 'affective', 'behavioural'] as const;
export type ResistanceKind = (typeof RESISTANCE_KINDS)[number];

export interface CommentAnalysis {
  primaryTheme: Theme;
  /** The primary theme first, then any others the comment also voices. */
  themes: Theme[];
  /** -1 (very negative) to 1 (very positive), two decimals. */
  sentiment: number;
  resistance: ResistanceLevel;
  /** Only when there is resistance. */
  resistanceKind?: ResistanceKind | undefined;
  /** A possible disclosure of harm, abuse or neglect: escalated at once, never held for a digest. */
  safeguarding: boolean;
  /** Which classifier produced it: the local rules or a configured language model. */
  by: 'local' | 'model';
}

/** Reads a comment. Never fails: a classifier that cannot answer falls back to the local rules. */
export interface CommentClassifier {
  classify(text: string): Promise<CommentAnalysis>;
}
