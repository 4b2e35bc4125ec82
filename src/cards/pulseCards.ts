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
import type { PulseChoices } from '../domain/pulses/pulsing.js';
import { QUESTION_BANK, templatesFor } from '../domain/pulses/questionBank.js';
import type { FieldError } from '../domain/shared/errors.js';
import type { Translator } from '../i18n/strings.js';
import { audienceChoices, audienceTitle, partialChangesNote } from './audienceText.js';
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
  /** Which question to show (an index into the items), or the items' length for the answers to check. */
  step?: number | undefined;
  /** The question was opened with Change: answering it goes back to the answers to check. */
  changing?: boolean | undefined;
}

const privacyLine = (t: Translator, pulse: Pulse) =>
  pulse.anonymity === 'anonymous'
    ? t('pulse.anonymous')
    : t('pulse.confidential', { manager: pulse.createdBy.name });

/**
 * Where a card opens when no step is asked for: the first question on a fresh card; the answers to check
 * when there is something to put right, or every scored question already has an answer (changing them);
 * otherwise the first scored question without one.
 */
function openingStep(model: PulseCardModel): number {
  const { items } = model.pulse;
  const values = model.values ?? {};
  if ((model.errors ?? []).length > 0) return items.length;
  if (Object.keys(values).length === 0) return 0;
  const unanswered = items.findIndex((item) => item.kind !== 'text' && values[item.id] === undefined);
  return unanswered === -1 ? items.length : unanswered;
}

/** The answers so far as the card fields a submit sends (`q_<item>`, `tags_<item>`). */
function answerFields(model: PulseCardModel, leaveOut?: PulseItem): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const item of model.pulse.items) {
    if (item === leaveOut) continue;
    const value = model.values?.[item.id];
    if (value !== undefined) fields[`q_${item.id}`] = String(value);
    const tags = model.tags?.[item.id];
    if (tags !== undefined && tags.length > 0) fields[`tags_${item.id}`] = tags.join(',');
  }
  return fields;
}

/** The data a pulse card button carries: the card's reference, the answers so far, and where it goes. */
type ToStep = (next: number, fields: Record<string, string>, changing?: boolean) => Record<string, unknown>;

/** A scored question's choices, each a full-width button that answers it and moves on; the current one marked. */
function choiceButtons(t: Translator, model: PulseCardModel, item: PulseItem, next: number, toStep: ToStep) {
  const chosen = model.values?.[item.id];
  return choicesOf(t, item).map((choice) => ({
    title: choice.title,
    verb: VERBS.pulseStep,
    data: toStep(next, { ...answerFields(model), [`q_${item.id}`]: choice.value }),
    style: String(chosen) === choice.value ? 'positive' : 'default',
  }));
}

/** The open question: its box, what it is mostly about, and Next, whose words come from the boxes. */
function openAnswer(t: Translator, model: PulseCardModel, item: PulseItem, next: number, toStep: ToStep) {
  const written = model.values?.[item.id];
  return {
    inputId: `q_${item.id}`,
    label: item.text,
    maxLength: OPEN_TEXT_MAX,
    value: written === undefined ? '' : String(written),
    tagsId: `tags_${item.id}`,
    tags: model.tags?.[item.id]?.join(',') ?? '',
    next: t('pulse.next'),
    verb: VERBS.pulseStep,
    data: toStep(next, answerFields(model, item)),
  };
}

/**
 * The card staff answer, one question at a time so that a phone shows one screen and each answer is one
 * tap: every choice is a full-width button that moves the card on in place, carrying the answers so far,
 * so stopping halfway loses nothing. The last step lists the answers, each with Change, and Send my answers
 * stores them; nothing is stored before.
 */
export function pulseCard(t: Translator, model: PulseCardModel): Card {
  const { pulse, round } = model;
  const items = pulse.items;
  const step = Math.min(model.step ?? openingStep(model), items.length);
  const item = items[step];
  const ref = {
    pulseId: pulse.id,
    round: String(round.number),
    token: model.token,
    groups: groupsText(model.groups),
    zone: model.timeZone,
    editing: model.editing ? 'true' : 'false',
  };
  const toStep: ToStep = (next, fields, changing = false) => ({
    ...ref,
    ...fields,
    step: next,
    changing: changing ? 'true' : 'false',
  });
  // After a Change, answering goes straight back to the answers to check.
  const next = model.changing ? items.length : step + 1;
  const scored = items.filter((one) => one.kind !== 'text').length;
  const opening = step === 0 || item === undefined;
  return expandTemplate('pulse', {
    reminder: model.reminder ? t('pulse.reminder') : '',
    initiativeTitle: model.initiativeTitle ?? '',
    title: pulse.title,
    intro: step === 0 ? t('pulse.intro', { count: Math.max(scored, items.length) }) : '',
    privacy: opening ? privacyLine(t, pulse) : '',
    closes: opening ? t('pulse.closes', { when: formatWhen(round.closesAt, t.locale, model.timeZone) }) : '',
    errors: (model.errors ?? []).map((error) => t(error.key, error.values)),
    progress:
      item === undefined ? t('pulse.review') : t('pulse.progress', { number: step + 1, total: items.length }),
    question: item === undefined || item.kind === 'text' ? '' : item.text,
    choices: item === undefined || item.kind === 'text' ? [] : choiceButtons(t, model, item, next, toStep),
    openAnswers: item?.kind === 'text' ? [openAnswer(t, model, item, next, toStep)] : [],
    tagsLabel: t('comment.tags'),
    tagChoices: THEMES.map((theme) => ({ title: t(`tag.${theme}`), value: theme })),
    review:
      item === undefined
        ? items.map((one, index) => ({
            question: one.text,
            answer: answerLabel(t, one, model.values?.[one.id]),
            change: t('pulse.change'),
            verb: VERBS.pulseStep,
            data: toStep(index, answerFields(model), true),
          }))
        : [],
    send:
      item === undefined
        ? [{ title: t('pulse.submit'), verb: VERBS.pulseSubmit, data: { ...ref, ...answerFields(model) } }]
        : [],
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
    partial: PulseChoices['partial'];
    errors: readonly FieldError[];
    timeZone: string;
    threshold: number;
  },
): Card {
  const label = (name: string) => t(`pulse.label.${name}`);
  // Every path to this form (first show, Back, shown again with a problem) builds the sets from the change
  // chosen, so a general pulse is never offered questions about "this change".
  const initiativeId = model.values.initiativeId || NO_CHOICE;
  const general = initiativeId === NO_CHOICE;
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
      showChangeTemplates: label('showChangeTemplates'),
      required: label('required'),
    },
    titleMax: PULSE_LIMITS.title,
    values: {
      ...model.values,
      initiativeId,
      where: model.values.where || IN_CHATS,
    },
    initiatives: [
      { title: label('noInitiative'), value: NO_CHOICE },
      ...model.initiatives.map((initiative) => ({ title: initiative.title, value: initiative.id })),
    ],
    templates: options(t, 'pulse.template', templatesFor(!general)),
    // Only when there is a change to choose: the form cannot change its own lists as a choice is made.
    generalTemplates: general && model.initiatives.length > 0 ? t('pulse.generalTemplates') : '',
    showVerb: VERBS.pulseBack,
    audiences: audienceChoices(t, model.audiences),
    audienceNote: partialChangesNote(t, model.partial),
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
      { label: t('pulse.fact.audience'), value: audienceTitle(t, pulse.audience) },
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
