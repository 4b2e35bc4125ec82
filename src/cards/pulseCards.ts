import type { AudienceOption } from '../domain/broadcasts/broadcastDraft.js';
import { THEMES, type Theme } from '../domain/feedback/themes.js';
import type { Initiative } from '../domain/initiatives/initiative.js';
import type { MemberGroups } from '../domain/people/member.js';
import type { ReachCount } from '../domain/people/reach.js';
import { groupsText } from '../domain/people/respondentKeys.js';
import {
  ANONYMITY,
  type AnswerValue,
  CADENCES,
  ITEM_KINDS,
  OPEN_TEXT_MAX,
  type Pulse,
  type PulseChannel,
  type PulseItem,
  type PulseRound,
  scaleOf,
} from '../domain/pulses/pulse.js';
import {
  IN_CHATS,
  type ItemEdits,
  NO_CHOICE,
  PULSE_LIMITS,
  type PulseSettingsInput,
  type ValidPulse,
} from '../domain/pulses/pulseForm.js';
import { QUESTION_BANK, TEMPLATES } from '../domain/pulses/questionBank.js';
import type { FieldError } from '../domain/shared/errors.js';
import type { Translator } from '../i18n/strings.js';
import { errorText } from './broadcastCards.js';
import { reachNote } from './reachText.js';
import { type Card, expandTemplate } from './render.js';
import { formatWhen } from './updateCards.js';
import { VERBS } from './verbs.js';

/** Cards of pulse surveys: the one staff answer (and its thank-you), the manager's forms, and results. */

/** The words for one point of an item's scale, e.g. "Agree", "🙂 Good", "7". */
export function answerLabel(t: Translator, item: PulseItem, value: AnswerValue | undefined): string {
  if (value === undefined || value === '') return t('pulse.noAnswer');
  if (typeof value === 'string') return value;
  switch (item.kind) {
    case 'agree5':
      return t(`pulse.agree.${value}`);
    case 'mood':
      return t(`pulse.mood.${value}`);
    case 'scale10':
      return value === 0 || value === 10 ? t(`pulse.scale.${value}`) : String(value);
    case 'choice':
      return item.options[value] ?? String(value);
    case 'text':
      return String(value);
  }
}

function choicesOf(t: Translator, item: PulseItem) {
  const scale = scaleOf(item);
  if (scale === undefined) return [];
  const values = Array.from({ length: scale.max - scale.min + 1 }, (_, index) => scale.min + index);
  return values.map((value) => ({ title: answerLabel(t, item, value), value: String(value) }));
}

export interface PulseCardModel {
  pulse: Pulse;
  round: PulseRound;
  /** Proves the card was made for its reader, with these groups (see RespondentKeys). */
  token: string;
  groups: MemberGroups;
  initiativeTitle?: string | undefined;
  /** The reader's own time zone, for the closing time. */
  timeZone: string;
  values?: Record<string, AnswerValue> | undefined;
  /** What the open answers were tagged with, to show the card again as the person left it. */
  tags?: Readonly<Record<string, readonly Theme[]>> | undefined;
  errors?: readonly FieldError[] | undefined;
  reminder?: boolean | undefined;
  /** Shown to change earlier answers: sending it may have to remove an open answer that was emptied. */
  editing?: boolean | undefined;
}

const privacyLine = (t: Translator, pulse: Pulse) =>
  pulse.anonymity === 'anonymous'
    ? t('pulse.anonymous')
    : t('pulse.confidential', { manager: pulse.createdBy.name });

/** The card staff answer: every item, required except the open question, filled with earlier answers. */
export function pulseCard(t: Translator, model: PulseCardModel): Card {
  const { pulse, round } = model;
  const scored = pulse.items.filter((item) => item.kind !== 'text').length;
  return expandTemplate('pulse', {
    reminder: model.reminder ? t('pulse.reminder') : '',
    initiativeTitle: model.initiativeTitle ?? '',
    title: pulse.title,
    intro: t('pulse.intro', { count: Math.max(scored, pulse.items.length) }),
    privacy: privacyLine(t, pulse),
    closes: t('pulse.closes', { when: formatWhen(round.closesAt, t.locale, model.timeZone) }),
    errors: (model.errors ?? []).map((error) => t(error.key, error.values)),
    items: pulse.items.map((item) => ({
      inputId: `q_${item.id}`,
      label: item.text,
      kind: item.kind,
      // Eleven radio buttons fill a phone screen; a drop-down keeps 0-10 to one line.
      style: item.kind === 'scale10' ? 'compact' : 'expanded',
      choices: choicesOf(t, item),
      value: model.values?.[item.id] === undefined ? '' : String(model.values[item.id]),
      required: t('pulse.required'),
      maxLength: OPEN_TEXT_MAX,
      tagsId: `tags_${item.id}`,
      tags: model.tags?.[item.id]?.join(',') ?? '',
    })),
    tagsLabel: t('comment.tags'),
    tagChoices: THEMES.map((theme) => ({ title: t(`tag.${theme}`), value: theme })),
    submit: t('pulse.submit'),
    submitVerb: VERBS.pulseSubmit,
    pulseId: pulse.id,
    round: String(round.number),
    token: model.token,
    groups: groupsText(model.groups),
    zone: model.timeZone,
    editing: model.editing ? 'true' : 'false',
  });
}

/**
 * A pulse posted in a team channel, the same for everyone: it says what the pulse is and how long it is
 * open, and its `refresh` turns it into each reader's own card (their questions, or their answers) as
 * they look at it. Teams does that by itself for the people in `userIds`; everyone else taps the button.
 */
export function pulseChannelCard(
  t: Translator,
  model: {
    pulse: Pulse;
    round: PulseRound;
    initiativeTitle?: string | undefined;
    userIds: readonly string[];
    /** The service's time zone: a channel has no reader's own. */
    timeZone: string;
  },
): Card {
  const { pulse, round } = model;
  return expandTemplate('pulse-channel', {
    initiativeTitle: model.initiativeTitle ?? '',
    title: pulse.title,
    intro: t('pulse.intro', { count: pulse.items.length }),
    ownView: t('pulse.ownView'),
    privacy: privacyLine(t, pulse),
    closes: t('pulse.closes', { when: formatWhen(round.closesAt, t.locale, model.timeZone) }),
    open: t('pulse.open'),
    viewVerb: VERBS.pulseView,
    pulseId: pulse.id,
    round: String(round.number),
    userIds: [...model.userIds],
  });
}

/** What replaces the card after answering: the answers given, and until when they can be changed. */
export function pulseThanksCard(
  t: Translator,
  model: PulseCardModel & { values: Record<string, AnswerValue>; now: Date },
): Card {
  const { pulse, round } = model;
  const closes = formatWhen(round.closesAt, t.locale, model.timeZone);
  return expandTemplate('pulse-thanks', {
    initiativeTitle: model.initiativeTitle ?? '',
    title: pulse.title,
    thanks: t('pulse.thanks'),
    privacy: privacyLine(t, pulse),
    answers: pulse.items.map((item) => ({
      question: item.text,
      answer: answerLabel(t, item, model.values[item.id]),
    })),
    canChange: t('pulse.canChange', { when: closes }),
    canEdit: model.now.getTime() < Date.parse(round.closesAt),
    edit: t('pulse.edit'),
    editVerb: VERBS.pulseEdit,
    pulseId: pulse.id,
    round: String(round.number),
    token: model.token,
    groups: groupsText(model.groups),
    zone: model.timeZone,
  });
}

const whereText = (t: Translator, channel: PulseChannel | undefined) =>
  channel === undefined
    ? t('pulse.where.chats')
    : t('pulse.where.channel', { team: channel.name ?? t('pulse.where.unnamedTeam') });

const options = (t: Translator, prefix: string, values: readonly string[]) =>
  values.map((value) => ({ title: t(`${prefix}.${value}`), value }));

/** The pulse settings form. */
export function pulseFormCard(
  t: Translator,
  model: {
    values: PulseSettingsInput;
    audiences: readonly AudienceOption[];
    initiatives: readonly Initiative[];
    channels: readonly PulseChannel[];
    errors: readonly FieldError[];
    timeZone: string;
    threshold: number;
  },
): Card {
  const label = (name: string) => t(`pulse.label.${name}`);
  return expandTemplate('pulse-form', {
    title: t('pulse.formTitle'),
    intro: t('pulse.formIntro', { threshold: model.threshold }),
    errorsTitle: t('pulse.errorsTitle'),
    errors: model.errors.map((error) => errorText(t, error)),
    labels: {
      title: label('title'),
      initiative: label('initiative'),
      template: label('template'),
      audience: label('audience'),
      opens: label('opens'),
      now: label('now'),
      later: label('later'),
      openDate: label('openDate'),
      closeDate: label('closeDate'),
      time: t('pulse.label.time', { zone: model.timeZone }),
      cadence: label('cadence'),
      anonymity: label('anonymity'),
      where: label('where'),
      next: label('next'),
      required: label('required'),
    },
    titleMax: PULSE_LIMITS.title,
    values: {
      ...model.values,
      initiativeId: model.values.initiativeId || NO_CHOICE,
      where: model.values.where || IN_CHATS,
    },
    initiatives: [
      { title: label('noInitiative'), value: NO_CHOICE },
      ...model.initiatives.map((initiative) => ({ title: initiative.title, value: initiative.id })),
    ],
    templates: options(t, 'pulse.template', TEMPLATES),
    audiences: model.audiences.map((option) => ({
      title: t(option.label.key, option.label.values),
      value: option.key,
    })),
    cadences: options(t, 'pulse.cadence', CADENCES),
    anonymities: options(t, 'pulse.anonymity', ANONYMITY),
    places: [
      { title: t('pulse.where.chats'), value: IN_CHATS },
      ...model.channels.map((channel) => ({
        title: whereText(t, channel),
        value: channel.conversationId,
      })),
    ],
    nextVerb: VERBS.pulseItems,
  });
}

/** The items to check and edit, with a summary of the settings; scheduling happens from here. */
export function pulseItemsCard(
  t: Translator,
  model: {
    settings: PulseSettingsInput;
    pulse: ValidPulse;
    /** The items as the manager last saw them (ids from the bank) and their edits. */
    edits: ItemEdits;
    recipients: number;
    /** Absent for a pulse in a channel, which everyone in its audience can answer. */
    reach: ReachCount | undefined;
    errors: readonly FieldError[];
    timeZone: string;
    reminders: readonly Date[];
  },
): Card {
  const { pulse, edits } = model;
  const when = (at: Date | undefined) =>
    at === undefined ? t('pulse.now') : formatWhen(at.toISOString(), t.locale, model.timeZone);
  const bank = new Map(QUESTION_BANK.map((item) => [item.id, item]));
  const bankItems = edits.itemIds.flatMap((id) => bank.get(id) ?? []);
  return expandTemplate('pulse-items', {
    title: t('pulse.itemsTitle', { title: pulse.title }),
    facts: [
      { label: t('pulse.fact.audience'), value: t(pulse.audience.label.key, pulse.audience.label.values) },
      { label: t('pulse.fact.recipients'), value: String(model.recipients) },
      { label: t('pulse.fact.where'), value: whereText(t, pulse.channel) },
      { label: t('pulse.fact.opens'), value: when(pulse.opensAt) },
      { label: t('pulse.fact.closes'), value: when(pulse.closesAt) },
      {
        label: t('pulse.fact.reminders'),
        value:
          model.reminders.length === 0 ? t('pulse.fact.noReminders') : model.reminders.map(when).join('; '),
      },
      { label: t('pulse.fact.cadence'), value: t(`pulse.cadence.${pulse.cadence}`) },
      { label: t('pulse.fact.anonymity'), value: t(`pulse.anonymity.${pulse.anonymity}`) },
    ],
    reach: model.reach === undefined ? '' : reachNote(t, model.reach),
    confidentialNote: pulse.anonymity === 'confidential' ? t('pulse.confidentialNote') : '',
    errorsTitle: t('pulse.errorsTitle'),
    errors: model.errors.map((error) => errorText(t, error)),
    itemsHeading: t('pulse.itemsHeading'),
    items: bankItems.map((item) => ({
      keepId: `keep_${item.id}`,
      keepTitle: t('pulse.keep', { kind: t(`pulse.kind.${item.kind}`) }),
      keep: edits.keep[item.id] === false ? 'false' : 'true',
      textId: `text_${item.id}`,
      textLabel: t('pulse.label.question'),
      textMax: PULSE_LIMITS.itemText,
      text: edits.wording[item.id] ?? item.text,
    })),
    customHeading: t('pulse.customHeading'),
    labels: {
      customKind: t('pulse.label.customKind'),
      customText: t('pulse.label.customText'),
      customOptions: t('pulse.label.customOptions'),
    },
    kinds: [{ title: t('pulse.kind.none'), value: NO_CHOICE }, ...options(t, 'pulse.kind', ITEM_KINDS)],
    custom: { ...edits.custom, kind: edits.custom.kind || NO_CHOICE },
    textMax: PULSE_LIMITS.itemText,
    // The settings and the item list travel in the card; scheduling validates everything again.
    settings: { ...model.settings, itemIds: edits.itemIds.join(',') },
    confirm: t('pulse.confirm'),
    confirmVerb: VERBS.pulseConfirm,
    back: t('pulse.back'),
    backVerb: VERBS.pulseBack,
  });
}

/** A scheduled (or stopped) pulse, with a button to stop it. */
export function pulseStatusCard(
  t: Translator,
  model: { pulse: Pulse; round: PulseRound; recipients?: number | undefined },
): Card {
  const { pulse, round } = model;
  const zone = pulse.createdBy.timeZone;
  const at = (iso: string) => formatWhen(iso, t.locale, zone);
  return expandTemplate('pulse-status', {
    title: t('pulse.statusTitle', { title: pulse.title }),
    status: t(`pulse.status.${pulse.status}`),
    facts: [
      ...(model.recipients === undefined
        ? []
        : [{ label: t('pulse.fact.recipients'), value: String(model.recipients) }]),
      { label: t('pulse.fact.where'), value: whereText(t, pulse.channel) },
      { label: t('pulse.fact.opens'), value: at(round.opensAt) },
      { label: t('pulse.fact.closes'), value: at(round.closesAt) },
      {
        label: t('pulse.fact.reminders'),
        value:
          round.reminders.length === 0
            ? t('pulse.fact.noReminders')
            : round.reminders.map((one) => at(one.at)).join('; '),
      },
      { label: t('pulse.fact.cadence'), value: t(`pulse.cadence.${pulse.cadence}`) },
      { label: t('pulse.fact.anonymity'), value: t(`pulse.anonymity.${pulse.anonymity}`) },
      { label: t('pulse.fact.items'), value: String(pulse.items.length) },
    ],
    canStop: pulse.status === 'active',
    stop: t('pulse.stop'),
    stopVerb: VERBS.pulseStop,
    pulseId: pulse.id,
  });
}
