import type { AudienceOption, DraftInput, ValidDraft } from '../domain/broadcasts/broadcastDraft.js';
import { DRAFT_LIMITS } from '../domain/broadcasts/broadcastDraft.js';
import type { ReachCount } from '../domain/people/reach.js';
import type { FieldError } from '../domain/shared/errors.js';
import type { Translator } from '../i18n/strings.js';
import { audienceChoices, audienceTitle } from './audienceText.js';
import { reachNote } from './reachText.js';
import { type Card, expandTemplate } from './render.js';
import { formatWhen, updateCard } from './updateCards.js';
import { VERBS } from './verbs.js';

/** The compose form and the preview a manager checks before sending. */

/** Error values that name a field carry its label key; show the label in the manager's language. */
export const errorText = (t: Translator, error: FieldError) =>
  t(
    error.key,
    Object.fromEntries(
      Object.entries(error.values).map(([name, value]) => [
        name,
        name === 'field' ? t(String(value)) : value,
      ]),
    ),
  );

export function composeCard(
  t: Translator,
  model: {
    values: DraftInput;
    options: readonly AudienceOption[];
    errors: readonly FieldError[];
    context?: string | undefined;
    timeZone: string;
  },
): Card {
  const label = (name: string) => t(`broadcast.label.${name}`);
  return expandTemplate('broadcast-compose', {
    title: t('broadcast.composeTitle'),
    context: model.context ?? '',
    errorsTitle: t('broadcast.errorsTitle'),
    errors: model.errors.map((error) => errorText(t, error)),
    labels: {
      headline: label('headline'),
      message: label('message'),
      audience: label('audience'),
      when: label('when'),
      now: label('now'),
      later: label('later'),
      date: label('date'),
      time: t('broadcast.label.time', { zone: model.timeZone }),
      urgent: label('urgent'),
      urgentHelp: label('urgentHelp'),
      imageUrl: label('imageUrl'),
      link: label('link'),
      preview: label('preview'),
      required: label('required'),
    },
    limits: { headline: DRAFT_LIMITS.headline, message: DRAFT_LIMITS.message },
    values: { ...model.values, urgent: model.values.urgent ? 'true' : 'false' },
    audiences: audienceChoices(t, model.options),
    previewVerb: VERBS.broadcastPreview,
  });
}

export function previewCard(
  t: Translator,
  model: {
    input: DraftInput;
    draft: ValidDraft;
    recipients: number;
    reach: ReachCount;
    inQuietHours: number;
    timeZone: string;
  },
): Card {
  const { draft } = model;
  // The card staff will get, made by the same function, so the preview cannot leave anything out (the link).
  const update = updateCard(t, {
    broadcastId: '',
    content: draft.content,
    urgent: draft.urgent,
    state: { kind: 'preview' },
  });
  return expandTemplate('broadcast-preview', {
    title: t('broadcast.previewTitle'),
    facts: [
      {
        label: t('broadcast.fact.audience'),
        value: audienceTitle(t, draft.audience),
      },
      { label: t('broadcast.fact.recipients'), value: `${model.recipients}` },
      {
        label: t('broadcast.fact.when'),
        value:
          draft.sendAt === undefined
            ? t('broadcast.whenNow')
            : formatWhen(draft.sendAt.toISOString(), t.locale, model.timeZone),
      },
      { label: t('broadcast.fact.urgent'), value: t(draft.urgent ? 'broadcast.yes' : 'broadcast.no') },
    ],
    reach: reachNote(t, model.reach),
    note:
      !draft.urgent && draft.sendAt === undefined && model.inQuietHours > 0
        ? t('broadcast.quietNote', { count: model.inQuietHours })
        : '',
    preview: { heading: t('broadcast.previewHeading'), buttons: t('broadcast.previewButtons'), ...update },
    // The draft travels in the card: confirming re-validates it, so nothing is stored until then.
    draft: { ...model.input, urgent: model.input.urgent ? 'true' : 'false' },
    confirm: t('broadcast.confirm'),
    confirmVerb: VERBS.broadcastConfirm,
    edit: t('broadcast.edit'),
    editVerb: VERBS.broadcastEdit,
    discard: t('broadcast.discard'),
    discardVerb: VERBS.broadcastDiscard,
  });
}
