import type { MemberGroups } from '../people/member.js';
import { type ChangeModel, type ReadinessDimension, STAGE_TEMPLATES } from './changeModels.js';

export interface Stage {
  key: string;
  title: string;
  /** What this stage means, written for care staff. */
  explanation: string;
  focus: ReadinessDimension[];
  plannedStart?: string | undefined;
  plannedEnd?: string | undefined;
}

/** A SMART objective and the KPI that shows whether it was met. */
export interface Objective {
  text: string;
  kpi: {
    name: string;
    unit: string;
    baseline: number;
    target: number;
    due: string;
    /** Values a manager recorded (from the digest), in the order they were recorded. */
    readings?: KpiReading[] | undefined;
  };
}

/** A KPI's value on a day, as a manager recorded it. */
export interface KpiReading {
  value: number;
  /** `YYYY-MM-DD`. */
  on: string;
  note?: string | undefined;
  by: string;
}

/** Everyone in the service, or only members in at least one of the listed groups. */
export type Audience = { kind: 'all' } | { kind: 'groups'; groups: MemberGroups[] };

export interface Initiative {
  tenantId: string;
  id: string;
  title: string;
  why: string;
  vision: string;
  objectives: Objective[];
  model: ChangeModel;
  stages: Stage[];
  /** Index into `stages`. */
  currentStage: number;
  /** When the current stage began; missing on initiatives stored before it was recorded. */
  stageStartedAt?: string | undefined;
  /** PDSA only: which cycle the initiative is on, from 1. */
  pdsaCycle?: number | undefined;
  audience: Audience;
  /** AAD object ids. */
  owners: string[];
  champions: string[];
  createdAt: string;
  updatedAt: string;
}

/** Looks up the words for a stage (`stage.<model>.<key>.title` / `.explanation`) in one locale. */
export type StageWords = (key: string) => string;

/** The model's stages with their default words, ready for the manager to edit and date. */
export function defaultStages(model: ChangeModel, words: StageWords): Stage[] {
  return STAGE_TEMPLATES[model].map((template) => ({
    key: template.key,
    title: words(`stage.${model}.${template.key}.title`),
    explanation: words(`stage.${model}.${template.key}.explanation`),
    focus: [...template.focus],
  }));
}
