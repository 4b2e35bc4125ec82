import type { Change } from '../domain/changes.js';
import type { QuietHours } from '../domain/member.js';
import type { Translator } from '../i18n/strings.js';
import { type Card, expandTemplate } from './render.js';
import { updateSections } from './updateCards.js';
import { VERBS } from './verbs.js';

/** Cards any member uses: their quiet-hours settings, and what is changing for them. */

export function settingsCard(
  t: Translator,
  model: { quietHours: QuietHours; timeZone: string; error?: string; saved?: boolean },
): Card {
  return expandTemplate('settings', {
    title: t('settings.title'),
    intro: t('settings.intro'),
    error: model.error ?? '',
    startLabel: t('settings.start'),
    endLabel: t('settings.end'),
    quietStart: model.quietHours.start,
    quietEnd: model.quietHours.end,
    required: t('settings.required'),
    timeZoneNote: t('settings.timeZone', { zone: model.timeZone }),
    saved: model.saved ? t('settings.saved', { ...model.quietHours }) : '',
    save: t('settings.save'),
    saveVerb: VERBS.settingsSave,
  });
}

export function whatsChangingCard(t: Translator, changes: readonly Change[]): Card {
  return expandTemplate('whats-changing', {
    title: t('whatsChanging.title'),
    empty: t('whatsChanging.empty'),
    initiatives: changes.map((change) => ({
      title: change.title,
      stage: t('whatsChanging.stage', {
        number: change.stageNumber,
        total: change.stageCount,
        stage: change.stageTitle,
      }),
      explanation: change.content.message,
      sections: updateSections(t, change.content),
    })),
  });
}
