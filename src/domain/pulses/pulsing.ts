import { audienceOf, recipientsOf } from '../broadcasts/broadcast.js';
import { type AudienceOption, audienceOptions, whoIsInChange } from '../broadcasts/broadcastDraft.js';
import { type AudienceSources, aboutOf, audienceSources } from '../broadcasts/broadcasting.js';
import type { SavedListStore } from '../broadcasts/ports.js';
import type { SavedList } from '../broadcasts/savedList.js';
import { type FeedbackDeps, recordComment } from '../feedback/feedback.js';
import type { Escalation } from '../feedback/safeguarding.js';
import { parseWriterTags, type Theme, WRITER_TAGS_MAX } from '../feedback/themes.js';
import type { Initiative } from '../initiatives/initiative.js';
import type { InitiativeStore } from '../initiatives/ports.js';
import type { Manager, Member, MemberGroups } from '../people/member.js';
import type { InstallationStore, MemberStore } from '../people/ports.js';
import { countReach, type ReachCount, type ReachPolicy } from '../people/reach.js';
import type { RespondentKeys } from '../people/respondentKeys.js';
import { type FieldError, UserInputError } from '../shared/errors.js';
import { isoWeek } from '../shared/isoWeek.js';
import type { AnswerStore, PulseStore, RoundStore } from './ports.js';
import {
  type AnswerValue,
  countGroups,
  OPEN_TEXT_MAX,
  type Pulse,
  type PulseAnswer,
  type PulseChannel,
  type PulseItem,
  type PulseRound,
  scaleOf,
} from './pulse.js';
import {
  type ItemEdits,
  NO_CHOICE,
  type PulseSettingsInput,
  reminderTimes,
  roundWindow,
  type ValidPulse,
  validatePulse,
} from './pulseForm.js';

/** Use cases of pulse surveys: create, answer (and change an answer), stop. Results: pulseReporting.ts. */
export interface PulsingDeps extends FeedbackDeps {
  members: MemberStore;
  initiatives: InitiativeStore;
  savedLists: SavedListStore;
  pulses: PulseStore;
  rounds: RoundStore;
  answers: AnswerStore;
  installations: InstallationStore;
  keys: RespondentKeys;
  anonymityThreshold: number;
}

/** Team channels where Huddle is installed now: where a pulse can be posted. */
export async function teamChannels(
  deps: { installations: InstallationStore },
  tenantId: string,
): Promise<PulseChannel[]> {
  return (await deps.installations.list(tenantId))
    .filter((installation) => installation.active && installation.scope === 'team')
    .map((installation) => ({ conversationId: installation.conversationId, name: installation.name }));
}

/**
 * Who a pulse is for. Sent to chats, only people Huddle can message; posted in a channel, everyone in the
 * audience, since they answer there without a chat with Huddle.
 */
export function pulseAudience(
  policy: ReachPolicy,
  members: readonly Member[],
  pulse: Pick<Pulse, 'audience' | 'initiativeId' | 'channel'>,
  initiatives: readonly Initiative[],
  lists: readonly SavedList[],
): Member[] {
  const audience = [members, pulse.audience, pulse.initiativeId, initiatives, lists] as const;
  return pulse.channel === undefined ? recipientsOf(policy, ...audience) : audienceOf(...audience);
}

/** The choices a pulse form offers: audiences, initiatives and team channels. */
export interface PulseChoices {
  /** Within the initiative chosen, if any. */
  options: AudienceOption[];
  initiatives: Initiative[];
  channels: PulseChannel[];
  /**
   * Initiatives that involve only some groups, and who they include: the form chooses the initiative and
   * the audience together, so it says before any press that "Everyone" then means only these people.
   */
  partial: { initiative: string; groups: string; count: number }[];
}

/** The choices come back either way, so a form can be shown again without a read. */
export type PreparedPulse =
  | ({ ok: false; errors: FieldError[] } & PulseChoices)
  | ({
      ok: true;
      pulse: ValidPulse;
      recipients: number;
      /** Sent to chats: everyone the audience names, and how many Huddle can reach. Absent in a channel. */
      reach: ReachCount | undefined;
    } & PulseChoices);

/**
 * What the pulse form offers this manager now, with the initiative chosen on it (`initiativeId`), or, for a
 * form opened afresh, the first initiative, which the form opens on.
 */
export async function pulseChoices(
  deps: PulsingDeps,
  tenantId: string,
  initiativeId?: string,
): Promise<PulseChoices & AudienceSources> {
  const [sources, channels] = await Promise.all([
    audienceSources(deps, tenantId),
    teamChannels(deps, tenantId),
  ]);
  const { members, initiatives, lists } = sources;
  const about =
    initiativeId === undefined
      ? initiatives[0]
      : aboutOf(initiatives, initiativeId === NO_CHOICE ? '' : initiativeId);
  return {
    ...sources,
    options: audienceOptions(deps.reach, members, initiatives, lists, about),
    channels,
    partial: initiatives.flatMap((initiative) => {
      const inChange = whoIsInChange(members, initiatives, initiative);
      return inChange === undefined ? [] : [{ initiative: initiative.title, ...inChange }];
    }),
  };
}

/** Validates a pulse and counts who it would reach, for the card where the manager checks the items. */
export async function preparePulse(
  deps: PulsingDeps,
  manager: Manager,
  input: PulseSettingsInput,
  edits: ItemEdits | undefined,
): Promise<PreparedPulse> {
  const { members, lists, ...choices } = await pulseChoices(deps, manager.tenantId, input.initiativeId);
  const checked = validatePulse(input, edits, {
    ...choices,
    known: audienceOptions(deps.reach, members, choices.initiatives, lists, undefined).map(({ key }) => key),
    now: deps.clock.now(),
    timeZone: manager.timeZone,
  });
  if (!checked.ok) return { ok: false, errors: checked.errors, ...choices };
  const valid = checked.pulse;
  const recipients = pulseAudience(
    deps.reach,
    members,
    { audience: valid.audience.audience, initiativeId: valid.initiative?.id, channel: valid.channel },
    choices.initiatives,
    lists,
  );
  if (recipients.length === 0)
    return { ok: false, errors: [{ key: 'pulse.error.noRecipients', values: {} }], ...choices };
  const reach =
    valid.channel === undefined
      ? countReach(
          audienceOf(members, valid.audience.audience, valid.initiative?.id, choices.initiatives, lists),
          deps.reach,
        )
      : undefined;
  return { ok: true, pulse: valid, recipients: recipients.length, reach, ...choices };
}

/** Saves a checked pulse and its first round; the scheduler opens the round when it is due. */
export async function schedulePulse(
  deps: PulsingDeps,
  manager: Manager,
  input: PulseSettingsInput,
  edits: ItemEdits,
): Promise<{ ok: true; pulse: Pulse; round: PulseRound } | Extract<PreparedPulse, { ok: false }>> {
  const prepared = await preparePulse(deps, manager, input, edits);
  if (!prepared.ok) return prepared;
  const valid = prepared.pulse;
  const now = deps.clock.now();
  const pulse: Pulse = {
    tenantId: manager.tenantId,
    id: deps.newId(),
    title: valid.title,
    initiativeId: valid.initiative?.id,
    items: valid.items,
    audience: valid.audience.audience,
    channel: valid.channel,
    opensAt: (valid.opensAt ?? now).toISOString(),
    closesAt: valid.closesAt.toISOString(),
    cadence: valid.cadence,
    anonymity: valid.anonymity,
    status: 'active',
    createdBy: {
      aadObjectId: manager.aadObjectId,
      name: manager.name,
      locale: manager.locale,
      timeZone: manager.timeZone,
    },
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.pulses.create(pulse);
  const round = newRound(pulse, 1);
  await deps.rounds.createMissing(round);
  return { ok: true, pulse, round };
}

/** Round `number` of a pulse, scheduled, with its reminder times. */
export function newRound(pulse: Pulse, number: number): PulseRound {
  const window = roundWindow(pulse, number);
  return {
    tenantId: pulse.tenantId,
    pulseId: pulse.id,
    number,
    opensAt: window.opensAt.toISOString(),
    closesAt: window.closesAt.toISOString(),
    reminders: reminderTimes(window.opensAt, window.closesAt).map((at) => ({
      at: at.toISOString(),
      sent: false,
    })),
    status: 'scheduled',
    recipients: 0,
    recipientsByGroup: {},
  };
}

/** The round's figures once it opens: who it went to, counted per group (no names). */
export function openedRound(round: PulseRound, recipients: readonly Member[]): PulseRound {
  return {
    ...round,
    status: 'open',
    recipients: recipients.length,
    recipientsByGroup: countGroups(recipients.map((member) => member.groups)),
  };
}

/** Stops a pulse: no more rounds, and a round that is open or waiting closes now. */
export async function stopPulse(
  deps: Pick<PulsingDeps, 'pulses' | 'rounds' | 'clock'>,
  tenantId: string,
  pulseId: string,
): Promise<Pulse> {
  const now = deps.clock.now().toISOString();
  const pulse = await deps.pulses.modify(tenantId, pulseId, (current) =>
    current.status === 'active' ? { ...current, status: 'stopped', updatedAt: now } : undefined,
  );
  if (pulse === undefined) throw new UserInputError('pulse.gone', {});
  for (const round of await deps.rounds.forPulse(tenantId, pulseId)) {
    if (round.status === 'closed') continue;
    await deps.rounds.modify(tenantId, pulseId, round.number, (current) =>
      current.status === 'closed'
        ? undefined
        : { ...current, status: 'closed', closesAt: current.status === 'open' ? now : current.closesAt },
    );
  }
  return pulse;
}

/** Whether answers are taken now: the round has opened, has not closed, and was not stopped. */
export const isOpen = (round: PulseRound, now: Date) =>
  round.status !== 'closed' &&
  Date.parse(round.opensAt) <= now.getTime() &&
  now.getTime() < Date.parse(round.closesAt);

/** What a person's card submit carries, shape-checked at the edge. */
export interface AnswerSubmit {
  pulseId: string;
  round: number;
  token: string;
  /** `q_<item id>` -> the input's value, as card inputs send it. */
  fields: Record<string, string>;
  /**
   * Sent from the card for changing answers. Only then can an open answer have been stored before, so
   * only then is an emptied one removed: a first answer costs one write, not a write and a delete.
   */
  editing: boolean;
}

/** Who is answering: from the Teams activity, and the groups their card carries (checked by its token). */
export interface Respondent {
  tenantId: string;
  aadObjectId: string;
  name: string;
  groups: MemberGroups;
}

/** A pulse and round a person may act on, with the key their answers are stored under. */
export interface PulseTarget {
  pulse: Pulse;
  round: PulseRound;
  respondent: string;
}

/**
 * Finds the pulse a card refers to and checks it was made for this person. Any mismatch (unknown pulse or
 * round, another person's card) is a refusal: the card is stale or has been tampered with.
 */
export async function targetOf(
  deps: Pick<PulsingDeps, 'pulses' | 'rounds' | 'keys'>,
  person: Respondent,
  ref: { pulseId: string; round: number; token: string },
): Promise<PulseTarget> {
  const [pulse, round] = await Promise.all([
    deps.pulses.get(person.tenantId, ref.pulseId),
    deps.rounds.get(person.tenantId, ref.pulseId, ref.round),
  ]);
  if (
    pulse === undefined ||
    round === undefined ||
    !deps.keys.cardTokenMatches(
      ref.token,
      person.tenantId,
      ref.pulseId,
      ref.round,
      person.aadObjectId,
      person.groups,
    )
  )
    throw new UserInputError('pulse.notYours', {});
  return {
    pulse,
    round,
    respondent: deps.keys.respondent(person.tenantId, pulse.id, round.number, person.aadObjectId),
  };
}

export type SubmitResult =
  /** `escalations`: open answers passed to the safeguarding lead, whose writer must be told at once. */
  | { kind: 'saved'; target: PulseTarget; answer: PulseAnswer; escalations: Escalation[] }
  /** The round closed (or was stopped): nothing was stored. */
  | { kind: 'closed'; target: PulseTarget }
  /** Something the person can put right; what they entered is kept. */
  | {
      kind: 'retry';
      target: PulseTarget;
      values: Record<string, AnswerValue>;
      tags: OpenAnswerTags;
      errors: FieldError[];
    };

/** What each open answer's writer said it is mostly about, by item id. */
export type OpenAnswerTags = Record<string, readonly Theme[]>;

/**
 * Records a person's answers to a round, replacing any earlier ones (an edit, a double tap, a Teams
 * retry: always one row). Refused with nothing stored after the round has closed, for a card that is not
 * theirs, or for values the card could not have sent. An anonymous answer carries no identity; the open
 * question's text also becomes a comment for the feedback pipeline, under an id derived the same way so
 * an edit replaces it.
 */
export async function submitAnswers(
  deps: PulsingDeps,
  person: Respondent,
  submit: AnswerSubmit,
): Promise<SubmitResult> {
  const target = await targetOf(deps, person, submit);
  const { pulse, round } = target;
  const now = deps.clock.now();
  if (!isOpen(round, now)) return { kind: 'closed', target };
  const { values, tags, errors } = parseValues(pulse.items, submit.fields);
  if (errors.length > 0) return { kind: 'retry', target, values, tags, errors };
  const week = isoWeek(new Date(round.opensAt));
  const answer: PulseAnswer = {
    tenantId: person.tenantId,
    pulseId: pulse.id,
    round: round.number,
    initiativeId: pulse.initiativeId,
    respondent: target.respondent,
    memberId: pulse.anonymity === 'confidential' ? person.aadObjectId : undefined,
    values,
    groups: person.groups,
    week,
    day: now.toISOString().slice(0, 10),
  };
  await deps.answers.put(answer);
  const escalations = await keepOpenAnswersAsComments(
    deps,
    person,
    target,
    { values, tags },
    week,
    submit.editing,
  );
  return { kind: 'saved', target, answer, escalations };
}

async function keepOpenAnswersAsComments(
  deps: PulsingDeps,
  person: Respondent,
  { pulse, round }: PulseTarget,
  { values, tags }: { values: Record<string, AnswerValue>; tags: OpenAnswerTags },
  week: string,
  editing: boolean,
): Promise<Escalation[]> {
  const escalations: Escalation[] = [];
  for (const item of pulse.items.filter((one) => one.kind === 'text')) {
    const id = `${deps.keys.openComment(person.tenantId, pulse.id, round.number, person.aadObjectId)}.${item.id}`;
    const text = values[item.id];
    if (typeof text !== 'string' || text === '') {
      if (editing)
        await deps.comments.remove({ tenantId: person.tenantId, initiativeId: pulse.initiativeId, week, id });
      continue;
    }
    const recorded = await recordComment(deps, {
      tenantId: person.tenantId,
      id,
      source: 'pulse',
      pulseId: pulse.id,
      round: round.number,
      initiativeId: pulse.initiativeId,
      week,
      text,
      anonymous: pulse.anonymity === 'anonymous',
      author: { aadObjectId: person.aadObjectId, name: person.name },
      groups: person.groups,
      tags: tags[item.id],
    });
    // parseValues keeps an open answer within OPEN_TEXT_MAX, an ordinary comment's limit.
    if (recorded.kind === 'tooLong') throw new Error('an open answer over the comment limit was not refused');
    if (recorded.escalation !== undefined) escalations.push(recorded.escalation);
  }
  return escalations;
}

/**
 * Reads each item's value from the card fields. A value the card could not have produced (a number off
 * the scale, a field for no item) means the data was tampered with: refused outright. An open answer over
 * the limit or a missing scored answer is the person's to fix.
 */
export function parseValues(
  items: readonly PulseItem[],
  fields: Record<string, string>,
): { values: Record<string, AnswerValue>; tags: OpenAnswerTags; errors: FieldError[] } {
  const open = items.filter((item) => item.kind === 'text');
  const known = new Set([...items.map((item) => `q_${item.id}`), ...open.map((item) => `tags_${item.id}`)]);
  if (Object.keys(fields).some((field) => !known.has(field))) throw new UserInputError('pulse.badAnswer', {});
  const values: Record<string, AnswerValue> = {};
  const tags: Record<string, Theme[]> = {};
  const errors: FieldError[] = [];
  for (const item of items) {
    const raw = (fields[`q_${item.id}`] ?? '').trim();
    const scale = scaleOf(item);
    if (scale === undefined) {
      const tagged = parseWriterTags(fields[`tags_${item.id}`] ?? '');
      if (!tagged.ok && tagged.problem === 'unknown') throw new UserInputError('pulse.badAnswer', {});
      tags[item.id] = tagged.tags;
      if (!tagged.ok) errors.push({ key: 'comment.tags.tooMany', values: { max: WRITER_TAGS_MAX } });
      if (raw.length > OPEN_TEXT_MAX) {
        errors.push({ key: 'pulse.error.textTooLong', values: { length: raw.length, max: OPEN_TEXT_MAX } });
        values[item.id] = raw.slice(0, OPEN_TEXT_MAX);
      } else if (raw !== '') values[item.id] = raw;
      continue;
    }
    if (raw === '') {
      errors.push({ key: 'pulse.error.unanswered', values: { question: item.text } });
      continue;
    }
    const number = /^\d{1,2}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(number >= scale.min && number <= scale.max)) throw new UserInputError('pulse.badAnswer', {});
    values[item.id] = number;
  }
  return { values, tags, errors };
}

/** What one person sees when they open a pulse posted in a channel: their own view of it. */
export type PulseView =
  | { kind: 'closed'; pulse: Pulse; round: PulseRound }
  | { kind: 'notForYou'; pulse: Pulse }
  | {
      kind: 'questions';
      target: PulseTarget;
      /** Their card token, for the groups they have now. */
      token: string;
      groups: MemberGroups;
      initiativeTitle: string | undefined;
      /** What they answered already, if they have. */
      answer: PulseAnswer | undefined;
    };

/**
 * A person's own view of a pulse round posted in a channel: the questions with a token made for them, or
 * their answers if they have given them. The channel is shared, so who may answer is checked here, against
 * the pulse's audience as it is now; someone Huddle has never seen is not in any audience.
 */
export async function viewPulse(
  deps: PulsingDeps,
  member: Member | undefined,
  ref: { tenantId: string; pulseId: string; round: number },
): Promise<PulseView> {
  const [pulse, round] = await Promise.all([
    deps.pulses.get(ref.tenantId, ref.pulseId),
    deps.rounds.get(ref.tenantId, ref.pulseId, ref.round),
  ]);
  if (pulse === undefined || round === undefined) throw new UserInputError('pulse.gone', {});
  if (!isOpen(round, deps.clock.now())) return { kind: 'closed', pulse, round };
  // Teams asks for everyone's view as they scroll past the post: read only what this audience needs.
  const needsInitiatives = pulse.initiativeId !== undefined || pulse.audience.kind === 'champions';
  const [initiatives, lists] = await Promise.all([
    needsInitiatives ? deps.initiatives.list(ref.tenantId) : [],
    pulse.audience.kind === 'list' ? deps.savedLists.list(ref.tenantId) : [],
  ]);
  if (member === undefined || pulseAudience(deps.reach, [member], pulse, initiatives, lists).length === 0)
    return { kind: 'notForYou', pulse };
  const target: PulseTarget = {
    pulse,
    round,
    respondent: deps.keys.respondent(ref.tenantId, pulse.id, round.number, member.aadObjectId),
  };
  return {
    kind: 'questions',
    target,
    token: deps.keys.cardToken(ref.tenantId, pulse.id, round.number, member.aadObjectId, member.groups),
    groups: member.groups,
    initiativeTitle: initiatives.find((initiative) => initiative.id === pulse.initiativeId)?.title,
    answer: await ownAnswers(deps, target, ref.tenantId),
  };
}

/** The answers a person gave in a round, to fill in the card when they edit. */
export async function ownAnswers(deps: PulsingDeps, target: PulseTarget, tenantId: string) {
  return deps.answers.get(
    tenantId,
    target.pulse.initiativeId,
    isoWeek(new Date(target.round.opensAt)),
    target.pulse.id,
    target.round.number,
    target.respondent,
  );
}
