/**
 * The change models of the primer as stage structures. Each stage names the readiness dimensions a pulse
 * should ask about while the initiative is in it: early stages awareness and desire, middle stages
 * knowledge and ability, late stages reinforcement. Titles and staff-facing explanations are words, so
 * they live in the locale files under `stage.<model>.<key>.title` / `.explanation`.
 */
export const READINESS_DIMENSIONS = ['awareness', 'desire', 'knowledge', 'ability', 'reinforcement'] as const;
export type ReadinessDimension = (typeof READINESS_DIMENSIONS)[number];

export const CHANGE_MODELS = ['lewin', 'kotter', 'pdsa', 'custom'] as const;
export type ChangeModel = (typeof CHANGE_MODELS)[number];

const EARLY: ReadinessDimension[] = ['awareness', 'desire'];
const MIDDLE: ReadinessDimension[] = ['knowledge', 'ability'];
const LATE: ReadinessDimension[] = ['reinforcement'];

export interface StageTemplate {
  key: string;
  focus: readonly ReadinessDimension[];
}

export const STAGE_TEMPLATES: Readonly<Record<ChangeModel, readonly StageTemplate[]>> = {
  lewin: [
    { key: 'unfreeze', focus: EARLY },
    { key: 'change', focus: MIDDLE },
    { key: 'refreeze', focus: LATE },
  ],
  kotter: [
    { key: 'urgency', focus: EARLY },
    { key: 'coalition', focus: EARLY },
    { key: 'vision', focus: EARLY },
    { key: 'communicate', focus: EARLY },
    { key: 'empower', focus: MIDDLE },
    { key: 'wins', focus: MIDDLE },
    { key: 'consolidate', focus: LATE },
    { key: 'anchor', focus: LATE },
  ],
  pdsa: [
    { key: 'plan', focus: EARLY },
    { key: 'do', focus: MIDDLE },
    { key: 'study', focus: MIDDLE },
    { key: 'act', focus: LATE },
  ],
  // The manager names the stages; until then there are none to pre-fill.
  custom: [],
};
