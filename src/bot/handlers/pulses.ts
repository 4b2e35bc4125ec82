import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { noticeCard } from '../../cards/cards.js';
import {
  pulseCard,
  pulseFormCard,
  pulseItemsCard,
  pulseStatusCard,
  pulseThanksCard,
} from '../../cards/pulseCards.js';
import { formatWhen } from '../../cards/updateCards.js';
import { VERBS } from '../../cards/verbs.js';
import type { Initiative } from '../../domain/initiatives/initiative.js';
import type { Manager, MemberGroups } from '../../domain/people/member.js';
import type { PulseRound } from '../../domain/pulses/pulse.js';
import {
  IN_CHATS,
  type ItemEdits,
  PULSE_LIMITS,
  type PulseSettingsInput,
  reminderTimes,
} from '../../domain/pulses/pulseForm.js';
import {
  isOpen,
  ownAnswers,
  type PreparedPulse,
  type PulseChoices,
  type PulseTarget,
  parseValues,
  preparePulse,
  pulseChoices,
  type Respondent,
  schedulePulse,
  stopPulse,
  submitAnswers,
  targetOf,
  viewPulse,
} from '../../domain/pulses/pulsing.js';
import type { FieldError } from '../../domain/shared/errors.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { isTimeZone, localDayAndTime } from '../../domain/shared/timeZone.js';
import { groupsSchema } from '../../storage/groupColumns.js';
import { onAction, unsaved } from '../actionRoute.js';
import { formData, pulseRef, roundRef } from '../cardData.js';
import { onCommand } from '../commandRoute.js';
import { tellWriter } from '../commentInput.js';
import type { BotDeps } from '../deps.js';
import { managerOf, sendCard, type Turn } from '../turn.js';

/**
 * What every pulse card's buttons carry: which round, the reader's token, the groups they were sent with
 * (covered by the token) and their time zone (only for showing times).
 */
const answerRef = roundRef.extend({
  token: z.string().min(1).max(64),
  groups: z
    .string()
    .max(2_000)
    .transform((text, ctx) => {
      const parsed = groupsSchema.strict().safeParse(safeJson(text));
      if (!parsed.success) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not a group snapshot' });
        return z.NEVER;
      }
      return parsed.data;
    }),
  zone: z.string().max(100).refine(isTimeZone),
});
/**
 * A pulse card's submit: the reference, then one string per input. Bounded by the request size only, so
 * an over-long open answer gets a message saying how long it is rather than a bare refusal.
 */
const answerData = answerRef
  .extend({ editing: z.enum(['true', 'false']).optional().default('false') })
  .catchall(z.string().max(300_000));

/** A step through a pulse card: the submit's fields so far, and which question to show next. */
const stepData = answerData.extend({
  step: z.coerce.number().int().min(0).max(PULSE_LIMITS.items),
  changing: z.enum(['true', 'false']).optional().default('false'),
});

const settingsOf = (form: Record<string, string>): PulseSettingsInput => ({
  title: form.title ?? '',
  initiativeId: form.initiativeId ?? '',
  template: form.template ?? '',
  audience: form.audience ?? '',
  opens: form.opens === 'later' ? 'later' : 'now',
  openDate: form.openDate ?? '',
  openTime: form.openTime ?? '',
  closeDate: form.closeDate ?? '',
  closeTime: form.closeTime ?? '',
  cadence: form.cadence ?? '',
  anonymity: form.anonymity ?? '',
  where: form.where ?? IN_CHATS,
});

const editsOf = (form: Record<string, string>): ItemEdits => {
  const itemIds = (form.itemIds ?? '').split(',').filter((id) => id !== '');
  return {
    itemIds,
    keep: Object.fromEntries(itemIds.map((id) => [id, form[`keep_${id}`] !== 'false'])),
    wording: Object.fromEntries(
      itemIds.flatMap((id) => (form[`text_${id}`] === undefined ? [] : [[id, form[`text_${id}`] ?? '']])),
    ),
    custom: { kind: form.customKind ?? '', text: form.customText ?? '', options: form.customOptions ?? '' },
  };
};

/**
 * Pulse surveys. Managers: `pulse` (settings -> check the questions -> scheduled) and stop; results are
 * in results.ts. Staff: answer the card, change their answers while the round is open.
 */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'pulse', async (context, turn) => {
    const manager = managerOf(turn, deps);
    // The form opens on the first initiative; the audience choices are read for it.
    const choices = await pulseChoices(deps, manager.tenantId);
    const values = defaultSettings(deps, turn, choices.initiatives[0]);
    await sendCard(context, await settingsForm(deps, manager, turn, values, [], choices));
  });

  onAction(app, deps, VERBS.pulseItems, { data: formData }, async (_context, turn, form) => {
    const manager = managerOf(turn, deps);
    const settings = settingsOf(form);
    const prepared = await preparePulse(deps, manager, settings, undefined);
    if (!prepared.ok) return settingsForm(deps, manager, turn, settings, prepared.errors, prepared);
    const edits: ItemEdits = {
      itemIds: prepared.pulse.items.map((item) => item.id),
      keep: {},
      wording: {},
      custom: { kind: '', text: '', options: '' },
    };
    return itemsCard(turn, manager, settings, edits, prepared, []);
  });

  onAction(app, deps, VERBS.pulseBack, { data: formData }, async (_context, turn, form) =>
    settingsForm(deps, managerOf(turn, deps), turn, settingsOf(form), []),
  );

  onAction(app, deps, VERBS.pulseConfirm, { data: formData, once: true }, async (_context, turn, form) => {
    const manager = managerOf(turn, deps);
    const settings = settingsOf(form);
    const edits = editsOf(form);
    const scheduled = await schedulePulse(deps, manager, settings, edits);
    if (!scheduled.ok) {
      // Settings that have gone stale (the opening time passed) go back to the settings form.
      const settingsOnly = await preparePulse(deps, manager, settings, undefined);
      return unsaved(
        settingsOnly.ok
          ? itemsCard(turn, manager, settings, edits, settingsOnly, scheduled.errors)
          : await settingsForm(deps, manager, turn, settings, scheduled.errors, settingsOnly),
      );
    }
    deps.scheduler.nudge();
    deps.logger.info(
      {
        pulseId: scheduled.pulse.id,
        items: scheduled.pulse.items.length,
        cadence: scheduled.pulse.cadence,
      },
      'pulse scheduled',
    );
    return pulseStatusCard(turn.t, scheduled);
  });

  onAction(app, deps, VERBS.pulseStop, { data: pulseRef }, async (_context, turn, data) => {
    const tenantId = managerOf(turn, deps).tenantId;
    const pulse = await stopPulse(deps, tenantId, data.pulseId);
    const rounds = await deps.rounds.forPulse(tenantId, pulse.id);
    const latest = rounds.sort((a, b) => b.number - a.number)[0];
    if (latest === undefined) throw new UserInputError('pulse.gone', {});
    deps.logger.info({ pulseId: pulse.id }, 'pulse stopped');
    return pulseStatusCard(turn.t, { pulse, round: latest });
  });

  // Answering reads no member: everyone is staff, and the card carries the groups and time zone.
  const answering = { withMember: false };
  onAction(app, deps, VERBS.pulseSubmit, { ...answering, data: answerData }, async (context, turn, data) => {
    const { pulseId, round, token, editing, groups, zone, ...fields } = data;
    const person = respondentOf(turn, groups);
    const result = await submitAnswers(deps, person, {
      pulseId,
      round,
      token,
      fields,
      editing: editing === 'true',
    });
    const view = viewOf(result.target, { token, groups, zone });
    if (result.kind === 'closed') return closedCard(turn, 'pulse.closed', result.target.round, view.timeZone);
    if (result.kind === 'retry')
      return pulseCard(turn.t, { ...view, values: result.values, tags: result.tags, errors: result.errors });
    deps.metrics.answerStored();
    // Which pulse, never who or what: an anonymous answer must not be traceable through the logs either.
    deps.logger.info({ pulseId, round }, 'pulse answered');
    for (const escalation of result.escalations) await tellWriter(context, deps, turn, escalation);
    return pulseThanksCard(turn.t, { ...view, values: result.answer.values, now: deps.clock.now() });
  });

  // One question at a time: each tap shows the next question (or the answers to check) in place, carrying
  // the answers so far. Nothing is stored until Send my answers, which is the submit above.
  onAction(app, deps, VERBS.pulseStep, { ...answering, data: stepData }, async (_context, turn, data) => {
    const { pulseId, round, token, editing, groups, zone, step, changing, ...fields } = data;
    const target = await targetOf(deps, respondentOf(turn, groups), { pulseId, round, token });
    const view = viewOf(target, { token, groups, zone });
    if (!isOpen(target.round, deps.clock.now()))
      return closedCard(turn, 'pulse.closed', target.round, view.timeZone);
    const { values, tags } = parseValues(target.pulse.items, fields);
    return pulseCard(turn.t, {
      ...view,
      values,
      tags,
      step,
      changing: changing === 'true',
      editing: editing === 'true',
    });
  });

  // A pulse in a channel turns into the reader's own card: Teams asks as they look at it (`refresh`), or
  // when they tap. The reply is theirs alone; the post stays the same for everyone else.
  onAction(app, deps, VERBS.pulseView, { data: roundRef }, async (_context, turn, data) => {
    const view = await viewPulse(deps, turn.member, { tenantId: turn.person.tenantId, ...data });
    const zone = turn.member?.timeZone ?? deps.defaults.timeZone;
    if (view.kind === 'closed') return closedCard(turn, 'pulse.closedView', view.round, zone);
    if (view.kind === 'notForYou') return noticeCard(turn.t('pulse.notForYou', { title: view.pulse.title }));
    const card = {
      ...viewOf(view.target, { token: view.token, groups: view.groups, zone }),
      initiativeTitle: view.initiativeTitle,
    };
    if (view.answer === undefined) return pulseCard(turn.t, card);
    return pulseThanksCard(turn.t, { ...card, values: view.answer.values, now: deps.clock.now() });
  });

  onAction(app, deps, VERBS.pulseEdit, { ...answering, data: answerRef }, async (_context, turn, data) => {
    const target = await targetOf(deps, respondentOf(turn, data.groups), data);
    const view = viewOf(target, data);
    if (!isOpen(target.round, deps.clock.now()))
      return closedCard(turn, 'pulse.closed', target.round, view.timeZone);
    const answer = await ownAnswers(deps, target, target.pulse.tenantId);
    return pulseCard(turn.t, { ...view, values: answer?.values, editing: true });
  });
}

function respondentOf(
  turn: Turn & { person: NonNullable<Turn['person']> },
  groups: MemberGroups,
): Respondent {
  return {
    tenantId: turn.person.tenantId,
    aadObjectId: turn.person.aadObjectId,
    name: turn.person.name,
    groups,
  };
}

function viewOf(target: PulseTarget, card: { token: string; groups: MemberGroups; zone: string }) {
  return {
    pulse: target.pulse,
    round: target.round,
    token: card.token,
    groups: card.groups,
    timeZone: card.zone,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A round that has closed: `key` says so to someone who tried to answer, or who only looked. */
const closedCard = (
  turn: Turn,
  key: 'pulse.closed' | 'pulse.closedView',
  round: PulseRound,
  timeZone: string,
) => noticeCard(turn.t(key, { when: formatWhen(round.closesAt, turn.t.locale, timeZone) }));

/** The settings form; `choices` when the caller has just read them, so they are not read twice. */
async function settingsForm(
  deps: BotDeps,
  manager: Manager,
  turn: Turn,
  values: PulseSettingsInput,
  errors: readonly FieldError[],
  choices?: PulseChoices,
) {
  const known = choices ?? (await pulseChoices(deps, manager.tenantId, values.initiativeId));
  return pulseFormCard(turn.t, {
    values,
    audiences: known.options,
    initiatives: known.initiatives,
    channels: known.channels,
    partial: known.partial,
    errors,
    timeZone: manager.timeZone,
    threshold: deps.anonymityThreshold,
  });
}

function itemsCard(
  turn: Turn,
  manager: Manager,
  settings: PulseSettingsInput,
  edits: ItemEdits,
  prepared: Extract<PreparedPulse, { ok: true }>,
  errors: readonly FieldError[],
) {
  const opensAt = prepared.pulse.opensAt ?? new Date();
  return pulseItemsCard(turn.t, {
    settings,
    pulse: prepared.pulse,
    edits,
    recipients: prepared.recipients,
    reach: prepared.reach,
    errors,
    timeZone: manager.timeZone,
    reminders: reminderTimes(opensAt, prepared.pulse.closesAt),
  });
}

/**
 * A pulse open from now until five days ahead at 17:00 in the manager's zone: about the first initiative
 * with the questions for its stage, or, with none, a general pulse on wellbeing.
 */
function defaultSettings(deps: BotDeps, turn: Turn, initiative: Initiative | undefined): PulseSettingsInput {
  const timeZone = turn.member?.timeZone ?? deps.defaults.timeZone;
  const close = localDayAndTime(new Date(deps.clock.now().getTime() + 5 * 86_400_000), timeZone);
  return {
    title: turn.t(initiative === undefined ? 'pulse.defaultTitleGeneral' : 'pulse.defaultTitle'),
    initiativeId: initiative?.id ?? '',
    template: initiative === undefined ? 'wellbeing' : 'stage',
    audience: 'all',
    opens: 'now',
    openDate: '',
    openTime: '',
    closeDate: close.day,
    closeTime: '17:00',
    cadence: 'once',
    anonymity: 'anonymous',
    where: IN_CHATS,
  };
}
