import { GROUP_FIELDS, type Member, type MemberGroups } from '../people/member.js';
import type { FieldError } from '../shared/errors.js';
import { CHANGE_MODELS, type ChangeModel } from './changeModels.js';
import {
  type Audience,
  defaultStages,
  type Initiative,
  type Objective,
  type Stage,
  type StageWords,
} from './initiative.js';

/**
 * The "new initiative" and "edit stages" forms: what the card sends (already shape-checked at the edge)
 * and the rules a manager would expect, with every problem reported at once and nothing stored until all
 * pass.
 */
export interface ObjectiveInput {
  text: string;
  kpiName: string;
  unit: string;
  baseline: string;
  target: string;
  due: string;
}

export interface InitiativeInput {
  title: string;
  why: string;
  vision: string;
  model: string;
  /** Comma-separated audience keys: `all`, or group keys such as `unit:Willow`. */
  audience: string;
  /** Comma-separated AAD object ids. */
  owners: string;
  champions: string;
  objectives: ObjectiveInput[];
}

export const INITIATIVE_LIMITS = {
  title: 100,
  why: 1_000,
  vision: 1_000,
  objective: 300,
  kpiName: 100,
  unit: 20,
} as const;
export const OBJECTIVE_ROWS = 3;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The group keys members belong to (`unit:Willow`, ...), for the audience choice. */
export function groupKeys(members: readonly Member[]): { key: string; field: string; value: string }[] {
  const keys: { key: string; field: string; value: string }[] = [];
  for (const field of GROUP_FIELDS) {
    const values = [
      ...new Set(members.map((member) => member.groups[field]).filter((value) => value !== undefined)),
    ];
    for (const value of values.sort()) keys.push({ key: `${field}:${value}`, field, value });
  }
  return keys;
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

export function validateInitiative(
  input: InitiativeInput,
  context: {
    members: readonly Member[];
    now: Date;
    words: StageWords;
    tenantId: string;
    id: string;
    /** When editing: the objectives it has, whose due dates may have passed without blocking a save. */
    existing?: readonly Objective[];
  },
): { ok: true; initiative: Initiative } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const required = (value: string, field: string, max: number) => {
    const trimmed = value.trim();
    if (trimmed === '') errors.push({ key: 'initiative.error.missing', values: { field } });
    else if (trimmed.length > max) {
      errors.push({ key: 'broadcast.error.tooLong', values: { field, length: trimmed.length, max } });
    }
    return trimmed;
  };
  const title = required(input.title, 'initiative.label.title', INITIATIVE_LIMITS.title);
  const why = required(input.why, 'initiative.label.why', INITIATIVE_LIMITS.why);
  const vision = required(input.vision, 'initiative.label.vision', INITIATIVE_LIMITS.vision);
  const model = (CHANGE_MODELS as readonly string[]).includes(input.model)
    ? (input.model as ChangeModel)
    : undefined;
  if (model === undefined) errors.push({ key: 'initiative.error.model', values: {} });

  const audience = audienceOf(list(input.audience), groupKeys(context.members), errors);
  const memberIds = new Set(context.members.map((member) => member.aadObjectId));
  const people = (value: string, field: string) => {
    const ids = [...new Set(list(value))];
    if (ids.some((id) => !memberIds.has(id)))
      errors.push({ key: 'initiative.error.unknownPerson', values: { field } });
    return ids.filter((id) => memberIds.has(id));
  };
  const owners = people(input.owners, 'initiative.label.owners');
  if (owners.length === 0 && list(input.owners).length === 0) {
    errors.push({ key: 'initiative.error.missing', values: { field: 'initiative.label.owners' } });
  }
  const champions = people(input.champions, 'initiative.label.champions');
  const objectives = objectivesOf(input.objectives, context.now, context.existing ?? [], errors);

  if (errors.length > 0 || model === undefined || audience === undefined) return { ok: false, errors };
  const stamp = context.now.toISOString();
  return {
    ok: true,
    initiative: {
      tenantId: context.tenantId,
      id: context.id,
      title,
      why,
      vision,
      objectives,
      model,
      stages: defaultStages(model, context.words),
      currentStage: 0,
      pdsaCycle: model === 'pdsa' ? 1 : undefined,
      audience,
      owners,
      champions,
      createdAt: stamp,
      updatedAt: stamp,
    },
  };
}

function audienceOf(
  keys: readonly string[],
  known: readonly { key: string; field: string; value: string }[],
  errors: FieldError[],
): Audience | undefined {
  if (keys.length === 0 || keys.includes('all')) return { kind: 'all' };
  const groups: MemberGroups[] = [];
  for (const key of keys) {
    const group = known.find((candidate) => candidate.key === key);
    if (group === undefined) {
      errors.push({ key: 'broadcast.error.unknownAudience', values: {} });
      return undefined;
    }
    groups.push({ [group.field]: group.value });
  }
  return { kind: 'groups', groups };
}

/**
 * Whether the manager wrote anything in an objective row. A 0 in now or target alone does not count:
 * some clients fill an empty number box with 0, and an untouched row must not block saving.
 */
function touched(row: ObjectiveInput): boolean {
  const words = [row.text, row.kpiName, row.unit, row.due].some((value) => value.trim() !== '');
  const numbers = [row.baseline, row.target].some((value) => value.trim() !== '' && Number(value) !== 0);
  return words || numbers;
}

/**
 * SMART objectives: each row used must be complete, with numbers and a due date from today on (or, when
 * editing, the date the same measure already had, so an overdue objective does not block other edits).
 */
function objectivesOf(
  rows: readonly ObjectiveInput[],
  now: Date,
  existing: readonly Objective[],
  errors: FieldError[],
): Objective[] {
  const objectives: Objective[] = [];
  const errorsBefore = errors.length;
  const today = now.toISOString().slice(0, 10);
  rows.forEach((row, index) => {
    if (!touched(row)) return;
    const values = [row.text, row.kpiName, row.unit, row.baseline, row.target, row.due].map((value) =>
      value.trim(),
    );
    const [text = '', kpiName = '', unit = '', baseline = '', target = '', due = ''] = values;
    const number = index + 1;
    if (text === '' || kpiName === '' || baseline === '' || target === '' || due === '') {
      errors.push({ key: 'initiative.error.objectiveIncomplete', values: { number } });
      return;
    }
    if (
      text.length > INITIATIVE_LIMITS.objective ||
      kpiName.length > INITIATIVE_LIMITS.kpiName ||
      unit.length > INITIATIVE_LIMITS.unit
    ) {
      errors.push({ key: 'initiative.error.objectiveTooLong', values: { number } });
      return;
    }
    const base = Number(baseline);
    const goal = Number(target);
    if (!Number.isFinite(base) || !Number.isFinite(goal)) {
      errors.push({ key: 'initiative.error.objectiveNumbers', values: { number } });
      return;
    }
    if (!DAY.test(due) || Number.isNaN(Date.parse(due))) {
      errors.push({ key: 'broadcast.error.badDate', values: {} });
      return;
    }
    const unchangedDate = existing.some((one) => sameMeasure(one.kpi.name, kpiName) && one.kpi.due === due);
    if (due < today && !unchangedDate) {
      errors.push({ key: 'initiative.error.objectivePast', values: { number } });
      return;
    }
    objectives.push({ text, kpi: { name: kpiName, unit, baseline: base, target: goal, due } });
  });
  if (objectives.length === 0 && errors.length === errorsBefore) {
    errors.push({ key: 'initiative.error.noObjective', values: {} });
  }
  return objectives;
}

const sameMeasure = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** What the edit form changes on an initiative; its model and stages have their own editor. */
export type InitiativeEdits = Pick<
  Initiative,
  'title' | 'why' | 'vision' | 'audience' | 'owners' | 'champions' | 'objectives'
>;

/** The edit form, checked by the same rules as a new initiative. */
export function validateEdits(
  current: Initiative,
  input: InitiativeInput,
  context: { members: readonly Member[]; now: Date; words: StageWords },
): { ok: true; edits: InitiativeEdits } | { ok: false; errors: FieldError[] } {
  const checked = validateInitiative(
    { ...input, model: current.model },
    { ...context, tenantId: current.tenantId, id: current.id, existing: current.objectives },
  );
  if (!checked.ok) return checked;
  const { title, why, vision, audience, owners, champions, objectives } = checked.initiative;
  return { ok: true, edits: { title, why, vision, audience, owners, champions, objectives } };
}

/**
 * The edits applied to the initiative as it is now stored. An objective keeps the values recorded for its
 * measure (matched by name), including one recorded after the form was opened.
 */
export function applyEdits(current: Initiative, edits: InitiativeEdits, now: Date): Initiative {
  const objectives = edits.objectives.map((objective) => {
    const readings = current.objectives.find((one) => sameMeasure(one.kpi.name, objective.kpi.name))?.kpi
      .readings;
    return readings === undefined ? objective : { ...objective, kpi: { ...objective.kpi, readings } };
  });
  return { ...current, ...edits, objectives, updatedAt: now.toISOString() };
}

/** An initiative as the form's fields, for editing it. */
export function inputOf(initiative: Initiative): InitiativeInput {
  return {
    title: initiative.title,
    why: initiative.why,
    vision: initiative.vision,
    model: initiative.model,
    audience:
      initiative.audience.kind === 'all'
        ? 'all'
        : initiative.audience.groups
            .flatMap((group) => Object.entries(group).map(([field, value]) => `${field}:${value}`))
            .join(','),
    owners: initiative.owners.join(','),
    champions: initiative.champions.join(','),
    objectives: initiative.objectives.map((objective) => ({
      text: objective.text,
      kpiName: objective.kpi.name,
      unit: objective.kpi.unit,
      baseline: String(objective.kpi.baseline),
      target: String(objective.kpi.target),
      due: objective.kpi.due,
    })),
  };
}

export interface StageInput {
  title: string;
  explanation: string;
  start: string;
  end: string;
}

export const STAGE_LIMITS = { title: 100, explanation: 500 } as const;

/**
 * The edited stages. Rows left blank are dropped (that is how a custom model's stages are added or a
 * spare row ignored); a stage keeps its readiness focus, and new ones take the focus of where they fall.
 * The stage the initiative is at cannot be removed.
 */
export function validateStages(
  initiative: Initiative,
  rows: readonly StageInput[],
  now: Date,
): { ok: true; initiative: Initiative } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const stages: Stage[] = [];
  rows.forEach((row, index) => {
    const title = row.title.trim();
    const explanation = row.explanation.trim();
    const start = row.start.trim();
    const end = row.end.trim();
    const number = index + 1;
    if (title === '' && explanation === '' && start === '' && end === '') return;
    if (title === '') errors.push({ key: 'stages.error.noTitle', values: { number } });
    if (title.length > STAGE_LIMITS.title || explanation.length > STAGE_LIMITS.explanation) {
      errors.push({ key: 'stages.error.tooLong', values: { number } });
    }
    for (const day of [start, end]) {
      if (day !== '' && (!DAY.test(day) || Number.isNaN(Date.parse(day)))) {
        errors.push({ key: 'broadcast.error.badDate', values: {} });
      }
    }
    if (start !== '' && end !== '' && end < start)
      errors.push({ key: 'stages.error.endBeforeStart', values: { number } });
    const existing = initiative.stages[index];
    stages.push({
      key: existing?.key ?? `stage-${index + 1}`,
      title,
      explanation,
      focus: existing?.focus ?? focusAt(index, rows.length),
      plannedStart: start === '' ? undefined : start,
      plannedEnd: end === '' ? undefined : end,
    });
  });
  if (stages.length === 0) errors.push({ key: 'stages.error.none', values: {} });
  if (stages.length <= initiative.currentStage) errors.push({ key: 'stages.error.current', values: {} });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, initiative: { ...initiative, stages, updatedAt: now.toISOString() } };
}

/** Early stages ask about awareness and desire, middle ones knowledge and ability, late ones reinforcement. */
function focusAt(index: number, count: number): Stage['focus'] {
  const position = count <= 1 ? 0 : index / (count - 1);
  if (position < 1 / 3) return ['awareness', 'desire'];
  if (position < 2 / 3) return ['knowledge', 'ability'];
  return ['reinforcement'];
}
