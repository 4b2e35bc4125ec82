import { CHANGE_MODELS } from '../domain/initiatives/changeModels.js';
import type { Initiative } from '../domain/initiatives/initiative.js';
import {
  INITIATIVE_LIMITS,
  type InitiativeInput,
  OBJECTIVE_ROWS,
  type StageInput,
} from '../domain/initiatives/initiativeForm.js';
import type { FieldError } from '../domain/shared/errors.js';
import type { Translator } from '../i18n/strings.js';
import { errorText } from './broadcastCards.js';
import { type Card, expandTemplate } from './render.js';
import { VERBS } from './verbs.js';

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

export function initiativeFormCard(
  t: Translator,
  model: {
    values: InitiativeInput;
    groups: readonly { key: string; field: string; value: string }[];
    people: readonly { aadObjectId: string; name: string }[];
    errors: readonly FieldError[];
  },
): Card {
  const label = (name: string) => t(`initiative.label.${name}`);
  return expandTemplate('initiative-form', {
    title: t('initiative.formTitle'),
    intro: t('initiative.formIntro'),
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
      create: label('create'),
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
    createVerb: VERBS.initiativeCreate,
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

export function initiativesCard(
  t: Translator,
  initiatives: readonly Initiative[],
  nameOf: (aadObjectId: string) => string | undefined,
  canManage: boolean,
): Card {
  const names = (ids: readonly string[]) =>
    ids
      .map(nameOf)
      .filter((name): name is string => name !== undefined)
      .join(', ') || t('initiative.nobody');
  return expandTemplate('initiatives', {
    title: t('initiative.listTitle'),
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
        editStages: t('initiative.editStages'),
        editVerb: VERBS.stagesEdit,
        canManage,
        inviteChampions: t('champion.invite.button'),
        inviteVerb: VERBS.championInviteForm,
      };
    }),
  });
}
