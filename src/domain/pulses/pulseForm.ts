import type { AudienceOption } from '../broadcasts/broadcastDraft.js';
import type { Initiative } from '../initiatives/initiative.js';
import type { FieldError } from '../shared/errors.js';
import { addLocalDays, zonedToInstant } from '../shared/timeZone.js';
import {
  ANONYMITY,
  type Anonymity,
  CADENCE_DAYS,
  CADENCES,
  type Cadence,
  ITEM_KINDS,
  type PulseChannel,
  type PulseItem,
} from './pulse.js';
import { QUESTION_BANK, TEMPLATES, type TemplateName, templateItems, templatesFor } from './questionBank.js';

/** What a manager chose on the pulse card, shape-checked at the edge; every field a string. */
export interface PulseSettingsInput {
  title: string;
  initiativeId: string;
  template: string;
  audience: string;
  opens: 'now' | 'later';
  openDate: string;
  openTime: string;
  closeDate: string;
  closeTime: string;
  cadence: string;
  anonymity: string;
  /** `IN_CHATS`, or the conversation id of a team channel where Huddle is installed. */
  where: string;
}

/**
 * The manager's changes to the items: which to keep (by id) and their wording, plus at most one question
 * of their own. `undefined` before they have seen the items.
 */
export interface ItemEdits {
  itemIds: string[];
  keep: Record<string, boolean>;
  wording: Record<string, string>;
  custom: { kind: string; text: string; options: string };
}

export const PULSE_LIMITS = { title: 120, itemText: 200, items: 10, option: 60, options: 6 } as const;
const MAX_DAYS_AHEAD = 90;
const MAX_OPEN_DAYS = 28;
const MIN_OPEN_MS = 3_600_000;
export const CUSTOM_ITEM_ID = 'custom-1';
/** The value of "none" in a choice list (Adaptive Cards need every choice to have a value). */
export const NO_CHOICE = 'none';
/** `where` for a pulse sent to each person's chat with Huddle. */
export const IN_CHATS = 'chats';

export interface ValidPulse {
  title: string;
  initiative: Initiative | undefined;
  template: TemplateName;
  audience: AudienceOption;
  /** `undefined` for "open now". */
  opensAt: Date | undefined;
  closesAt: Date;
  cadence: Cadence;
  anonymity: Anonymity;
  items: PulseItem[];
  channel: PulseChannel | undefined;
}

/**
 * Checks a pulse's settings and (when given) the edited items, listing every problem at once: a known
 * initiative, template and audience, and for a general pulse a template that does not ask about a change; an opening time now or ahead (at most 90 days), a closing time at
 * least an hour after opening and at most 28 days, and for recurring pulses no longer than the cadence so
 * rounds never overlap; at least one item, each worded, at most ten.
 */
export function validatePulse(
  input: PulseSettingsInput,
  edits: ItemEdits | undefined,
  context: {
    options: readonly AudienceOption[];
    /** Every audience the tenant has, whatever the change: a group outside the change is not a gone one. */
    known: readonly string[];
    initiatives: readonly Initiative[];
    /** Team channels where Huddle is installed. */
    channels: readonly PulseChannel[];
    now: Date;
    timeZone: string;
  },
): { ok: true; pulse: ValidPulse } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const title = input.title.trim();
  if (title === '') errors.push({ key: 'pulse.error.titleMissing', values: {} });
  if (title.length > PULSE_LIMITS.title)
    errors.push({
      key: 'pulse.error.tooLong',
      values: { field: 'pulse.label.title', length: title.length, max: PULSE_LIMITS.title },
    });

  const initiativeId = input.initiativeId === NO_CHOICE ? '' : input.initiativeId;
  const initiative =
    initiativeId === '' ? undefined : context.initiatives.find((one) => one.id === initiativeId);
  if (initiativeId !== '' && initiative === undefined)
    errors.push({ key: 'pulse.error.unknownInitiative', values: {} });
  const template = TEMPLATES.find((name) => name === input.template);
  if (template === undefined) errors.push({ key: 'pulse.error.unknownTemplate', values: {} });
  // The form offers the sets that fit the change it was shown with; "No particular change" can be chosen on it after.
  else if (initiativeId === '' && !templatesFor(false).includes(template))
    errors.push({ key: 'pulse.error.templateNeedsChange', values: {} });
  const audience = context.options.find((option) => option.key === input.audience);
  // The choices are those within the chosen initiative: a group outside it was offered before it was chosen.
  if (audience === undefined)
    errors.push(
      initiative !== undefined && context.known.includes(input.audience)
        ? { key: 'pulse.error.audienceNotInChange', values: { initiative: initiative.title } }
        : { key: 'pulse.error.unknownAudience', values: {} },
    );
  const cadence = CADENCES.find((name) => name === input.cadence);
  if (cadence === undefined) errors.push({ key: 'pulse.error.unknownCadence', values: {} });
  const anonymity = ANONYMITY.find((name) => name === input.anonymity);
  if (anonymity === undefined) errors.push({ key: 'pulse.error.unknownAnonymity', values: {} });
  const inChats = input.where === IN_CHATS || input.where === '';
  const channel = inChats ? undefined : context.channels.find((one) => one.conversationId === input.where);
  if (!inChats && channel === undefined) errors.push({ key: 'pulse.error.unknownChannel', values: {} });

  const now = context.now.getTime();
  const opensAt =
    input.opens === 'now'
      ? undefined
      : instant(input.openDate, input.openTime, context.timeZone, 'open', errors);
  if (opensAt !== undefined && opensAt.getTime() < now - 60_000)
    errors.push({ key: 'pulse.error.openPast', values: {} });
  if (opensAt !== undefined && opensAt.getTime() > now + MAX_DAYS_AHEAD * 86_400_000)
    errors.push({ key: 'pulse.error.tooFar', values: {} });
  const closesAt = instant(input.closeDate, input.closeTime, context.timeZone, 'close', errors);
  const start = opensAt?.getTime() ?? now;
  if (closesAt !== undefined) {
    const length = closesAt.getTime() - start;
    if (length < MIN_OPEN_MS) errors.push({ key: 'pulse.error.closeTooSoon', values: {} });
    else if (length > MAX_OPEN_DAYS * 86_400_000)
      errors.push({ key: 'pulse.error.openTooLong', values: { days: MAX_OPEN_DAYS } });
    else if (
      cadence !== undefined &&
      cadence !== 'once' &&
      closesAt.getTime() > addLocalDays(new Date(start), CADENCE_DAYS[cadence], context.timeZone).getTime()
    )
      errors.push({ key: 'pulse.error.overlaps', values: { days: CADENCE_DAYS[cadence] } });
  }

  const items = template === undefined ? [] : itemsOf(template, initiative, edits, errors);
  if (
    errors.length > 0 ||
    template === undefined ||
    audience === undefined ||
    cadence === undefined ||
    anonymity === undefined ||
    closesAt === undefined
  )
    return { ok: false, errors };
  return {
    ok: true,
    pulse: { title, initiative, template, audience, opensAt, closesAt, cadence, anonymity, items, channel },
  };
}

function instant(
  date: string,
  time: string,
  timeZone: string,
  which: 'open' | 'close',
  errors: FieldError[],
): Date | undefined {
  if (date.trim() === '' || time.trim() === '') {
    errors.push({ key: `pulse.error.${which}Missing`, values: {} });
    return undefined;
  }
  const at = zonedToInstant(date.trim(), time.trim(), timeZone);
  if (at === undefined) errors.push({ key: 'pulse.error.badDate', values: {} });
  return at;
}

/** The template's items with the manager's edits applied, or the template as it is before any edits. */
function itemsOf(
  template: TemplateName,
  initiative: Initiative | undefined,
  edits: ItemEdits | undefined,
  errors: FieldError[],
): PulseItem[] {
  if (edits === undefined) return templateItems(template, initiative);
  const bank = new Map(QUESTION_BANK.map((item) => [item.id, item]));
  const items: PulseItem[] = [];
  for (const id of edits.itemIds) {
    const item = bank.get(id);
    if (item === undefined) {
      errors.push({ key: 'pulse.error.unknownItem', values: {} });
      continue;
    }
    if (edits.keep[id] === false) continue;
    const text = oneLine(edits.wording[id] ?? item.text);
    if (text === '') errors.push({ key: 'pulse.error.itemEmpty', values: { question: item.text } });
    else if (text.length > PULSE_LIMITS.itemText)
      errors.push({
        key: 'pulse.error.tooLong',
        values: { field: 'pulse.label.question', length: text.length, max: PULSE_LIMITS.itemText },
      });
    items.push({ ...item, text });
  }
  const custom = customItem(edits.custom, errors);
  if (custom !== undefined) items.push(custom);
  if (items.length === 0) errors.push({ key: 'pulse.error.noItems', values: {} });
  if (items.length > PULSE_LIMITS.items)
    errors.push({ key: 'pulse.error.tooManyItems', values: { max: PULSE_LIMITS.items } });
  return items;
}

/**
 * A question is one line on the pulse card. Its box in the editor is multi-line so long wording shows in
 * full, and a line break typed there becomes a space.
 */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function customItem(custom: ItemEdits['custom'], errors: FieldError[]): PulseItem | undefined {
  const text = oneLine(custom.text);
  if (text === '' && custom.options.trim() === '') return undefined;
  if (custom.kind === NO_CHOICE && text === '') return undefined;
  const kind = ITEM_KINDS.find((one) => one === custom.kind);
  if (kind === undefined) {
    errors.push({ key: 'pulse.error.customKind', values: {} });
    return undefined;
  }
  if (text === '') errors.push({ key: 'pulse.error.customText', values: {} });
  if (text.length > PULSE_LIMITS.itemText)
    errors.push({
      key: 'pulse.error.tooLong',
      values: { field: 'pulse.label.question', length: text.length, max: PULSE_LIMITS.itemText },
    });
  if (kind !== 'choice') return { id: CUSTOM_ITEM_ID, kind, text };
  const options = custom.options
    .split(',')
    .map((option) => option.trim())
    .filter((option) => option !== '');
  if (options.length < 2 || options.length > PULSE_LIMITS.options)
    errors.push({ key: 'pulse.error.options', values: { max: PULSE_LIMITS.options } });
  if (options.some((option) => option.length > PULSE_LIMITS.option))
    errors.push({ key: 'pulse.error.optionTooLong', values: { max: PULSE_LIMITS.option } });
  return { id: CUSTOM_ITEM_ID, kind, text, options };
}

/**
 * When reminders go: 48 hours after opening and 24 hours before closing, only those strictly inside the
 * window, and only one if the two would fall within an hour of each other.
 */
export function reminderTimes(opensAt: Date, closesAt: Date): Date[] {
  const candidates = [
    new Date(opensAt.getTime() + 48 * 3_600_000),
    new Date(closesAt.getTime() - 24 * 3_600_000),
  ]
    .filter((at) => at.getTime() > opensAt.getTime() && at.getTime() < closesAt.getTime())
    .sort((a, b) => a.getTime() - b.getTime());
  return candidates.filter(
    (at, index) => index === 0 || at.getTime() - (candidates[index - 1]?.getTime() ?? 0) >= 3_600_000,
  );
}

/**
 * The window of round `number` (from 1): the first round's window moved on by whole cadence periods of
 * calendar days in the time zone the manager set it in, so its wall-clock times hold across clock changes.
 */
export function roundWindow(
  pulse: { opensAt: string; closesAt: string; cadence: Cadence; createdBy: { timeZone: string } },
  number: number,
): { opensAt: Date; closesAt: Date } {
  const days = (number - 1) * CADENCE_DAYS[pulse.cadence];
  const shift = (at: string) => addLocalDays(new Date(at), days, pulse.createdBy.timeZone);
  return { opensAt: shift(pulse.opensAt), closesAt: shift(pulse.closesAt) };
}
