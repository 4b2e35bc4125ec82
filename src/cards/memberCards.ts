import type { SavedList } from '../domain/broadcasts/savedList.js';
import type { Change } from '../domain/initiatives/changes.js';
import type { MemberGroups, QuietHours } from '../domain/people/member.js';
import type { Translator } from '../i18n/strings.js';
import { type Card, expandTemplate } from './render.js';
import { updateSections } from './updateCards.js';
import { VERBS } from './verbs.js';

/** Cards any member uses: their quiet-hours settings, and what is changing for them. */

export function settingsCard(
  t: Translator,
  model: { quietHours: QuietHours; timeZone: string; error?: string; saved?: boolean },
): Card {
  const never = model.quietHours.start === model.quietHours.end;
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
    // Equal times mean no quiet hours at all (as HUDDLE_QUIET_HOURS=00:00-00:00 does): say so, not "08:00 until
    // 08:00", both on opening (two equal times alone read as quiet all day, or as not set) and once saved.
    current: model.saved || !never ? '' : t('settings.none'),
    saved: !model.saved
      ? ''
      : never
        ? t('settings.savedNever')
        : t('settings.saved', { ...model.quietHours }),
    save: t('settings.save'),
    saveVerb: VERBS.settingsSave,
  });
}

/** `reader`: the member's groups, so who to ask names the champions of their own unit or shift. */
export function whatsChangingCard(t: Translator, changes: readonly Change[], reader: MemberGroups): Card {
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
      sections: updateSections(t, change.content, reader),
    })),
  });
}

export function listsCard(
  t: Translator,
  model: {
    lists: readonly SavedList[];
    people: readonly { aadObjectId: string; name: string }[];
    values?: { name: string; members: string };
    message?: { text: string; good: boolean };
  },
): Card {
  const names = new Map(model.people.map((person) => [person.aadObjectId, person.name]));
  return expandTemplate('lists', {
    title: t('lists.title'),
    empty: t('lists.empty'),
    lists: model.lists.map((list) => ({
      id: list.id,
      name: list.name,
      people: t('lists.people', {
        count: list.memberIds.length,
        names: list.memberIds.map((id) => names.get(id) ?? '?').join(', '),
      }),
      deleteTitle: t('lists.delete'),
      deleteVerb: VERBS.listDelete,
    })),
    formTitle: t('lists.formTitle'),
    formHelp: t('lists.formHelp'),
    message: model.message?.text ?? '',
    messageColor: model.message?.good ? 'Accent' : 'Attention',
    nameLabel: t('lists.label.name'),
    membersLabel: t('lists.label.members'),
    values: model.values ?? { name: '', members: '' },
    people: [...model.people]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((person) => ({ title: person.name, value: person.aadObjectId })),
    save: t('lists.save'),
    saveVerb: VERBS.listSave,
  });
}
