import {
  ACTION_LIMITS,
  isOverdue,
  type LoopAction,
  NO_INITIATIVE,
  publishable,
} from '../domain/actions/action.js';
import type { AudienceOption } from '../domain/broadcasts/broadcastDraft.js';
import type { Theme } from '../domain/feedback/themes.js';
import type { Initiative } from '../domain/initiatives/initiative.js';
import type { FieldError } from '../domain/shared/errors.js';
import type { Translator } from '../i18n/strings.js';
import { audienceChoices } from './audienceText.js';
import { errorText } from './broadcastCards.js';
import { type Card, expandTemplate } from './render.js';
import { formatDay } from './updateCards.js';
import { VERBS } from './verbs.js';

/** "New action": what we heard, what we will do, who, by when, which change, who should hear. */
export function actionFormCard(
  t: Translator,
  model: {
    values: {
      heard: string;
      willDo: string;
      owner: string;
      due: string;
      initiativeId: string;
      audience: string;
      fromCommentId: string;
      fromInitiativeId: string;
      fromWeek: string;
      fromTheme: Theme | '';
      /** Where the page of `comments` it started from begins (both empty for the newest page). */
      commentsDay: string;
      commentsId: string;
    };
    owners: readonly { aadObjectId: string; name: string }[];
    initiatives: readonly Initiative[];
    options: readonly AudienceOption[];
    errors?: readonly FieldError[];
  },
): Card {
  return expandTemplate('action-form', {
    title: t('action.form.title'),
    intro: formIntro(t, model.values),
    errors: (model.errors ?? []).map((error) => errorText(t, error)),
    heardLabel: t('action.form.heard'),
    heardMax: ACTION_LIMITS.heard,
    willDoLabel: t('action.form.willDo'),
    willDoMax: ACTION_LIMITS.willDo,
    ownerLabel: t('action.form.owner'),
    dueLabel: t('action.form.due'),
    initiativeLabel: t('action.form.initiative'),
    audienceLabel: t('action.form.audience'),
    ...model.values,
    initiativeId: model.values.initiativeId === '' ? NO_INITIATIVE : model.values.initiativeId,
    owners: model.owners.map((owner) => ({ title: owner.name, value: owner.aadObjectId })),
    initiatives: [
      { title: t('action.form.noInitiative'), value: NO_INITIATIVE },
      ...model.initiatives.map((initiative) => ({ title: initiative.title, value: initiative.id })),
    ],
    audiences: audienceChoices(t, model.options),
    save: t('action.form.save'),
    verb: VERBS.actionCreate,
    // Started from a comment, the form took the list's place: back brings that page again, unsaved.
    back: t('action.form.backToComments'),
    backVerb: VERBS.commentsOlder,
  });
}

/** Where the form starts from decides what it says first: a comment is never quoted, a theme is named. */
function formIntro(t: Translator, from: { fromCommentId: string; fromTheme: Theme | '' }): string {
  if (from.fromCommentId !== '') return t('action.form.introFromComment');
  if (from.fromTheme !== '') return t('action.form.introFromTheme', { theme: t(`tag.${from.fromTheme}`) });
  return t('action.form.intro');
}

/**
 * **Record an action** beside the themes on the digest and `results`: which theme it answers (the first
 * shown is chosen), then the action form for the change they were counted in (`initiativeId`, or none).
 */
export function actionFromThemeCard(
  t: Translator,
  model: { themes: readonly Theme[]; initiativeId: string },
): { title: string; card: Card } {
  return {
    title: t('action.fromTheme.title'),
    card: expandTemplate('action-from-theme', {
      intro: t('action.fromTheme.intro'),
      themeLabel: t('action.fromTheme.theme'),
      theme: model.themes[0] ?? '',
      themes: model.themes.map((theme) => ({ title: t(`tag.${theme}`), value: theme })),
      open: t('action.fromTheme.open'),
      verb: VERBS.actionFromTheme,
      initiativeId: model.initiativeId,
    }),
  };
}

/** `actions`: open and overdue first, then those done or dropped lately, each with what can be done next. */
export function actionsCard(
  t: Translator,
  model: { actions: readonly LoopAction[]; today: string; canManage: boolean; notice?: string },
): Card {
  return expandTemplate('actions', {
    title: t('action.list.title'),
    notice: model.notice ?? '',
    empty: t('action.list.empty'),
    actions: model.actions.map((action) => {
      const next = model.canManage ? publishable(action) : undefined;
      const buttons = [
        ...(next === undefined
          ? []
          : [
              {
                title: t(`action.publish.${next}`),
                verb: VERBS.actionPublish,
                data: { actionId: action.id },
              },
            ]),
        ...(model.canManage && action.status === 'open'
          ? [
              {
                title: t('action.start'),
                verb: VERBS.actionStatus,
                data: { actionId: action.id, to: 'inProgress' },
              },
            ]
          : []),
        ...(model.canManage && (action.status === 'open' || action.status === 'inProgress')
          ? [{ title: t('action.done'), verb: VERBS.actionStatus, data: { actionId: action.id, to: 'done' } }]
          : []),
      ];
      return {
        id: action.id,
        heard: t('action.heard', { heard: action.heard }),
        willDo: t('action.willDo', { willDo: action.willDo }),
        facts: [
          {
            label: t('action.fact.status'),
            value: `${t(`action.status.${action.status}`)}${isOverdue(action, model.today) ? ` · ${t('action.overdue')}` : ''}${action.dropReason === undefined ? '' : `: ${action.dropReason}`}`,
          },
          ...(action.fromTheme === undefined
            ? []
            : [{ label: t('action.fact.fromTheme'), value: t(`tag.${action.fromTheme}`) }]),
          { label: t('action.fact.owner'), value: action.owner.name },
          { label: t('action.fact.due'), value: formatDay(action.due, t.locale) },
          {
            label: t('action.fact.published'),
            value:
              action.published.length === 0
                ? t('action.published.none')
                : action.published.map((as) => t(`action.published.${as}`)).join(', '),
          },
        ],
        buttons,
        canDrop: model.canManage && (action.status === 'open' || action.status === 'inProgress'),
        dropTitle: t('action.drop'),
        reasonLabel: t('action.dropReason'),
        dropConfirm: t('action.dropConfirm'),
        statusVerb: VERBS.actionStatus,
      };
    }),
  });
}

/** The message of a "You said, we did" card. */
export const loopMessage = (t: Translator) => (action: LoopAction, as: 'willDo' | 'done') =>
  t(as === 'done' ? 'loop.messageDone' : 'loop.messageWillDo', {
    heard: action.heard,
    willDo: action.willDo,
    due: formatDay(action.due, t.locale),
  });
