import { CHANGE_MODELS } from '../domain/initiatives/changeModels.js';
import type { Initiative, Objective } from '../domain/initiatives/initiative.js';
import {
  INITIATIVE_LIMITS,
  type InitiativeInput,
  OBJECTIVE_ROWS,
  type StageInput,
} from '../domain/initiatives/initiativeForm.js';
import type { Role } from '../domain/people/roles.js';
import type { FieldError } from '../domain/shared/errors.js';
import { formatCount, formatPercent, type Translator } from '../i18n/strings.js';
import { errorText } from './broadcastCards.js';
import { type Card, expandTemplate } from './render.js';
import { formatDay } from './updateCards.js';
import { VERB_ROLES, VERBS, type Verb } from './verbs.js';

/** The new-initiative form, the stage editor and the list of initiatives. */

export const objectiveInputIds = (number: number) => ({
  text: `objective${number}Text`,
  kpiName: `objective${number}Kpi`,
  unit: `objective${number}Unit`,
  baseline: `objective${number}Baseline`,
  target: `objective${number}Target`,
  due: `objective${number}Due`,
});

export const stageInputIds = (number: number) => ({
  title: `stage${number}Title`,
  explanation: `stage${number}Explanation`,
  start: `stage${number}Start`,
  end: `stage${number}End`,
});

const EMPTY_OBJECTIVE = { text: '', kpiName: '', unit: '', baseline: '', target: '', due: '' };

/**
 * The initiative form: empty for a new initiative, or filled in from one being edited (`editing`), whose
 * model is not offered because its stages have their own editor.
 */
export function initiativeFormCard(
  t: Translator,
  model: {
    values: InitiativeInput;
    groups: readonly { key: string; field: string; value: string }[];
    people: readonly { aadObjectId: string; name: string }[];
    errors: readonly FieldError[];
    editing?: Pick<Initiative, 'id' | 'title'> | undefined;
  },
): Card {
  const label = (name: string) => t(`initiative.label.${name}`);
  const { editing } = model;
  return expandTemplate('initiative-form', {
    title:
      editing === undefined ? t('initiative.formTitle') : t('initiative.editTitle', { title: editing.title }),
    intro: editing === undefined ? t('initiative.formIntro') : t('initiative.editIntro'),
    errorsTitle: t('initiative.errorsTitle'),
    errors: model.errors.map((error) => errorText(t, error)),
    labels: {
      title: label('title'),
      why: label('why'),
      vision: label('vision'),
      model: label('model'),
      audience: label('audience'),
      owners: label('owners'),
      champions: label('champions'),
      objectives: label('objectives'),
      objectivesHelp: label('objectivesHelp'),
      create: editing === undefined ? label('create') : label('save'),
      required: t('broadcast.label.required'),
    },
    limits: INITIATIVE_LIMITS,
    values: model.values,
    models: CHANGE_MODELS.map((value) => ({ title: t(`initiative.model.${value}`), value })),
    audiences: [
      { title: t('initiative.audience.all'), value: 'all' },
      ...model.groups.map((group) => ({
        title: t(`broadcast.audience.${group.field}`, { value: group.value }),
        value: group.key,
      })),
    ],
    people: [...model.people]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((person) => ({ title: person.name, value: person.aadObjectId })),
    objectives: Array.from({ length: OBJECTIVE_ROWS }, (_, index) => ({
      ...(model.values.objectives[index] ?? EMPTY_OBJECTIVE),
      ids: objectiveInputIds(index + 1),
      label: t('initiative.label.objective', { number: index + 1 }),
      kpiLabel: label('kpi'),
      unitLabel: label('unit'),
      baselineLabel: label('baseline'),
      targetLabel: label('target'),
      dueLabel: label('due'),
    })),
    showModel: editing === undefined,
    createVerb: editing === undefined ? VERBS.initiativeCreate : VERBS.initiativeSave,
    actionData: editing === undefined ? {} : { initiativeId: editing.id },
  });
}

/** Spare empty rows under the stages, for adding one (a custom model starts with only these). */
const SPARE_STAGE_ROWS = 2;

export function stagesFormCard(
  t: Translator,
  model: {
    initiative: Initiative;
    rows?: readonly StageInput[];
    errors: readonly FieldError[];
    saved?: boolean;
  },
): Card {
  const rows: StageInput[] = model.rows
    ? [...model.rows]
    : model.initiative.stages.map((stage) => ({
        title: stage.title,
        explanation: stage.explanation,
        start: stage.plannedStart ?? '',
        end: stage.plannedEnd ?? '',
      }));
  const existing = rows.length;
  while (rows.length < existing + SPARE_STAGE_ROWS)
    rows.push({ title: '', explanation: '', start: '', end: '' });
  return expandTemplate('stages-form', {
    title: t('stages.title', { initiative: model.initiative.title }),
    intro: t('stages.intro'),
    errorsTitle: t('initiative.errorsTitle'),
    errors: model.errors.map((error) => errorText(t, error)),
    stages: rows.map((row, index) => ({
      ...row,
      heading: index < existing ? t('stages.heading', { number: index + 1 }) : t('stages.headingNew'),
      ids: stageInputIds(index + 1),
      titleLabel: t('stages.label.title'),
      explanationLabel: t('stages.label.explanation'),
      startLabel: t('stages.label.start'),
      endLabel: t('stages.label.end'),
    })),
    saved: model.saved ? t('stages.saved') : '',
    save: t('stages.save'),
    saveVerb: VERBS.stagesSave,
    initiativeId: model.initiative.id,
  });
}

/** Who an initiative involves, in the words the audience choices use. */
function audienceText(t: Translator, initiative: Initiative): string {
  if (initiative.audience.kind === 'all') return t('initiative.audience.all');
  return initiative.audience.groups
    .flatMap((group) =>
      Object.entries(group).map(([field, value]) => t(`broadcast.audience.${field}`, { value })),
    )
    .join(', ');
}

/**
 * An objective as the lead-in to its measure ("...within three months: Care plans on the system from..."):
 * managers write objectives as sentences, and a full stop before the colon reads as a typo.
 */
export const objectiveLead = (text: string) => text.trim().replace(/[.;:,]+$/, '');

/**
 * A KPI's value in its unit: "12 falls", and a percentage as every card writes one ("40%", not "40 %").
 */
export const kpiAmount = (t: Translator, value: number, unit: string) =>
  unit.trim() === '%' ? formatPercent(t, value) : `${formatCount(t, value)} ${unit}`.trim();

/** An objective with its measure, from where it started to its target and date, and the latest value. */
function objectiveText(t: Translator, objective: Objective): string {
  const { kpi } = objective;
  const amount = (value: number) => kpiAmount(t, value, kpi.unit);
  const latest = kpi.readings?.at(-1);
  return t('initiative.objective', {
    objective: objectiveLead(objective.text),
    name: kpi.name,
    baseline: amount(kpi.baseline),
    target: amount(kpi.target),
    due: formatDay(kpi.due, t.locale),
    latest:
      latest === undefined
        ? t('digest.kpi.noValue')
        : t('digest.kpi.latest', { value: amount(latest.value), on: formatDay(latest.on, t.locale) }),
  });
}

/** Each initiative with where it is, why, who it involves, its objectives and measures, and what to edit. */
export function initiativesCard(
  t: Translator,
  initiatives: readonly Initiative[],
  nameOf: (aadObjectId: string) => string | undefined,
  /** The reader's roles: each button is offered only to those its verb lets press it (leaders read). */
  roles: readonly Role[],
  saved?: Initiative,
): Card {
  const may = (verb: Verb) => VERB_ROLES[verb].some((role) => roles.includes(role));
  const names = (ids: readonly string[]) =>
    ids
      .map(nameOf)
      .filter((name): name is string => name !== undefined)
      .join(', ') || t('initiative.nobody');
  const day = (iso: string | undefined) =>
    iso === undefined ? t('initiative.dateNotSet') : formatDay(iso, t.locale);
  return expandTemplate('initiatives', {
    title: t('initiative.listTitle'),
    saved: saved === undefined ? '' : t('initiative.saved', { title: saved.title }),
    empty: t('initiative.listEmpty'),
    items: initiatives.map((initiative) => {
      const stage = initiative.stages[initiative.currentStage];
      return {
        id: initiative.id,
        title: initiative.title,
        stage:
          stage === undefined
            ? t('initiative.listNoStage')
            : t('initiative.listStage', {
                number: initiative.currentStage + 1,
                total: initiative.stages.length,
                stage: stage.title,
              }),
        people: t('initiative.listPeople', {
          owners: names(initiative.owners),
          champions: names(initiative.champions),
        }),
        facts: [
          { label: t('initiative.fact.why'), value: initiative.why },
          { label: t('initiative.fact.vision'), value: initiative.vision },
          { label: t('initiative.fact.audience'), value: audienceText(t, initiative) },
          ...(stage === undefined
            ? []
            : [
                {
                  label: t('initiative.fact.stageDates'),
                  value: t('initiative.stageDates', {
                    start: day(stage.plannedStart),
                    end: day(stage.plannedEnd),
                  }),
                },
              ]),
          { label: t('initiative.fact.started'), value: day(initiative.createdAt) },
        ],
        objectivesHeading: t('initiative.objectivesHeading'),
        objectives:
          initiative.objectives.length === 0
            ? [t('initiative.noObjectives')]
            : initiative.objectives.map((objective) => objectiveText(t, objective)),
        editDetails: t('initiative.editDetails'),
        editDetailsVerb: VERBS.initiativeEdit,
        canEditDetails: may(VERBS.initiativeEdit),
        editStages: t('initiative.editStages'),
        editVerb: VERBS.stagesEdit,
        canEditStages: may(VERBS.stagesEdit),
        exportEvidence: t('initiative.exportEvidence'),
        exportVerb: VERBS.evidenceExport,
        canExport: may(VERBS.evidenceExport),
        inviteChampions: t('champion.invite.button'),
        inviteVerb: VERBS.championInviteForm,
        canInvite: may(VERBS.championInviteForm),
      };
    }),
  });
}
