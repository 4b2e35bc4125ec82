import { randomUUID } from 'node:crypto';
import { audienceOf, type Broadcast, type Delivery, figuresOf } from '../domain/broadcasts/broadcast.js';
import { audienceOptions, validateDraft } from '../domain/broadcasts/broadcastDraft.js';
import { EMPTY_DRAFT, stageUpdateDraft } from '../domain/broadcasts/broadcasting.js';
import { type CommentInput, recordComment } from '../domain/feedback/feedback.js';
import type { ReplyHandles } from '../domain/feedback/replyHandles.js';
import type { CommentClassifier } from '../domain/feedback/themes.js';
import { advanceStage } from '../domain/initiatives/changes.js';
import type { Initiative } from '../domain/initiatives/initiative.js';
import type { Member } from '../domain/people/member.js';
import type { ReachPolicy } from '../domain/people/reach.js';
import type { RespondentKeys } from '../domain/people/respondentKeys.js';
import type { BootstrapRoles } from '../domain/people/roles.js';
import type { Pulse } from '../domain/pulses/pulse.js';
import { newRound, openedRound, type PulsingDeps, submitAnswers } from '../domain/pulses/pulsing.js';
import { isReadiness, OPEN_QUESTION_ID, templateItems } from '../domain/pulses/questionBank.js';
import { isoWeek } from '../domain/shared/isoWeek.js';
import { addLocalDays, localDayAndTime, zonedToInstant } from '../domain/shared/timeZone.js';
import type { Storage } from '../storage/openStorage.js';
import { DEMO_TENANT_ID } from './oakView.js';
import {
  type DemoComment,
  type DemoUpdate,
  FEEDBACK,
  ROUNDS,
  roll,
  type Shift,
  STAGE_ADVANCE_DAYS,
  scoreAround,
  UPDATES,
} from './oakViewHistory.js';

export type HistoryStores = Pick<
  Storage,
  | 'members'
  | 'initiatives'
  | 'broadcasts'
  | 'deliveries'
  | 'comments'
  | 'savedLists'
  | 'pulses'
  | 'rounds'
  | 'answers'
  | 'installations'
  | 'escalations'
>;

/** What Huddle reads comments and keys answers with: the history is written exactly as the bot writes. */
export interface HistoryReading {
  keys: RespondentKeys;
  classifier: CommentClassifier;
  replyHandles: ReplyHandles;
  bootstrap: BootstrapRoles;
  safeguardingResendMs: number;
  anonymityThreshold: number;
  reach: ReachPolicy;
}

const ZONE = 'Europe/London';
const DEMO_PULSE_ID = 'oak-view-readiness-pulse';
const updateId = (index: number) => `oak-view-update-${index + 1}`;

/** A moment of the history: `day` days after `start`, at `time` on London's clock. */
function at(start: Date, day: number, time: string): Date {
  const { day: date } = localDayAndTime(addLocalDays(start, day, ZONE), ZONE);
  return zonedToInstant(date, time, ZONE) ?? addLocalDays(start, day, ZONE);
}
const later = (moment: Date, hours: number) => new Date(moment.getTime() + hours * 3_600_000);
const shiftOf = (member: Member): Shift => (member.groups.shiftPattern === 'nights' ? 'nights' : 'days');

/**
 * The initiative as it stood at the end of `day`: moved on through its stages on the history's days, as
 * `advance stage` moves it (which records the moment in `updatedAt`).
 */
export function initiativeOn(atStart: Initiative, start: Date, day: number): Initiative {
  return STAGE_ADVANCE_DAYS.filter((advanced) => advanced <= day).reduce(
    (current, advanced) => advanceStage(current, at(start, advanced, '09:30')),
    atStart,
  );
}

/**
 * Writes Oak View's six weeks: stage updates sent and acknowledged, with the concerns they drew; a weekly
 * readiness pulse answered round by round through `submitAnswers`; comments given with `feedback`, all
 * read by `recordComment` as the bot reads them. Rows that exist are left alone and answers to a closed
 * round are refused, so loading the demo again writes nothing new.
 */
export async function seedHistory(
  stores: HistoryStores,
  reading: HistoryReading,
  atStart: Initiative,
  start: Date,
): Promise<void> {
  const members = await stores.members.list(DEMO_TENANT_ID);
  const staff = members.filter((member) => member.roles.length === 0);
  const manager = members.find((member) => member.aadObjectId === atStart.owners[0]);
  const history: History = {
    stores,
    start,
    members,
    staff,
    createdBy: {
      aadObjectId: manager?.aadObjectId ?? '',
      name: manager?.name ?? '',
      locale: 'en-GB',
      timeZone: ZONE,
    },
    depsAt: (moment) => ({
      ...stores,
      ...reading,
      clock: { now: () => moment },
      newId: randomUUID,
      // Nothing runs while the demo loads; the scheduler finds anything due when it starts.
      scheduler: { nudge: () => {} },
      metrics: { escalationRaised: () => {} },
      // The demo's classifier reads with the disclosure screen already: no second reading to wait for.
      secondReading: { due: async () => {} },
    }),
  };
  for (const [index, update] of UPDATES.entries()) {
    await seedUpdate(history, initiativeOn(atStart, start, update.day), index, update);
  }
  await seedPulse(history, initiativeOn(atStart, start, 1));
  for (const [index, feedback] of FEEDBACK.entries()) {
    await seedComment(history, at(start, feedback.day, '14:00'), feedback, `feedback ${index}`, {
      id: `oak-view-feedback-${index + 1}`,
      source: 'feedback',
      initiativeId: atStart.id,
    });
  }
}

interface History {
  stores: HistoryStores;
  start: Date;
  members: Member[];
  staff: Member[];
  createdBy: Broadcast['createdBy'];
  depsAt: (moment: Date) => PulsingDeps;
}

/**
 * One update as Alex sent it: the draft `advance stage` opens (or his own), checked as the compose card
 * checks it; every member's delivery sent, most of them acknowledged some hours later.
 */
async function seedUpdate(history: History, then: Initiative, index: number, update: DemoUpdate) {
  const { stores, members } = history;
  const sentAt = at(history.start, update.day, `${String(update.hour).padStart(2, '0')}:00`);
  const draft =
    update.kind === 'stage'
      ? stageUpdateDraft(then)
      : { ...EMPTY_DRAFT, headline: update.kind.headline, initiativeId: then.id };
  const checked = validateDraft(
    { ...draft, message: `${update.message}\n\n${draft.message}`.trim() },
    {
      options: audienceOptions(history.depsAt(sentAt).reach, members, [then], []),
      initiatives: [then],
      now: sentAt,
      timeZone: ZONE,
      members,
    },
  );
  if (!checked.ok) throw new Error(`the demo's update ${index + 1} is not a valid draft`);
  const id = updateId(index);
  const deliveries = members.map((member): Delivery => {
    const person = member.aadObjectId;
    const delivered = later(sentAt, roll(person, `${id} sent`) / 10);
    const gotIt = roll(person, `${id} got it`) < update.acknowledged[shiftOf(member)];
    return {
      broadcastId: id,
      tenantId: DEMO_TENANT_ID,
      memberId: person,
      status: 'sent',
      attempts: 1,
      // The demo's people were never in Teams: their chats say so, and a sent row is never sent again.
      conversation: member.personalConversation ?? { conversation: { id: `oak-view-demo:${person}` } },
      locale: member.locale,
      timeZone: member.timeZone,
      quietHours: member.quietHours,
      groups: member.groups,
      sentAt: delivered.toISOString(),
      acknowledgedAt: gotIt ? later(delivered, roll(person, `${id} read`) * 36).toISOString() : undefined,
    };
  });
  const finishedAt = later(sentAt, 0.1);
  await stores.broadcasts.createMissing({
    tenantId: DEMO_TENANT_ID,
    id,
    initiativeId: then.id,
    stageIndex: checked.draft.stageIndex,
    content: checked.draft.content,
    audience: checked.draft.audience.audience,
    urgent: false,
    sendAt: sentAt.toISOString(),
    status: 'done',
    createdBy: history.createdBy,
    recipients: deliveries.length,
    figures: figuresOf(deliveries, update.concerns.length, finishedAt),
    createdAt: sentAt.toISOString(),
    updatedAt: finishedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
  });
  await stores.deliveries.createMissing(deliveries);
  for (const [number, concern] of update.concerns.entries()) {
    await seedComment(history, later(sentAt, 2 + number * 5), concern, `${id} concern ${number}`, {
      id: `${id}-concern-${number + 1}`,
      source: 'concern',
      initiativeId: then.id,
      broadcastId: id,
    });
  }
}

/**
 * The weekly readiness pulse Alex set up on day 1, its six rounds each answered by whoever `ROUNDS` says
 * and then closed, and the seventh waiting to open, as the scheduler leaves a weekly pulse.
 */
async function seedPulse(history: History, then: Initiative) {
  const { stores, members } = history;
  const created = at(history.start, 1, '08:30');
  const pulse: Pulse = {
    tenantId: DEMO_TENANT_ID,
    id: DEMO_PULSE_ID,
    title: 'How is digital care planning going?',
    initiativeId: then.id,
    items: templateItems('readiness', then),
    audience: { kind: 'all' },
    opensAt: at(history.start, 1, '09:00').toISOString(),
    closesAt: at(history.start, 5, '17:00').toISOString(),
    cadence: 'weekly',
    anonymity: 'anonymous',
    status: 'active',
    createdBy: history.createdBy,
    createdAt: created.toISOString(),
    updatedAt: created.toISOString(),
  };
  if ((await stores.pulses.get(DEMO_TENANT_ID, pulse.id)) === undefined) await stores.pulses.create(pulse);
  // Everyone was sent it: the history is of a home where all staff had Huddle.
  const recipients = audienceOf(members, pulse.audience, pulse.initiativeId, [then], []);
  for (const [index, plan] of ROUNDS.entries()) {
    const round = openedRound(newRound(pulse, index + 1), recipients);
    await stores.rounds.createMissing(round);
    for (const { member, comment } of answering(history.staff, round.number, plan.answered, plan.comments)) {
      const person = member.aadObjectId;
      const occasion = `round ${round.number}`;
      const fields: Record<string, string> = {};
      for (const item of pulse.items) {
        if (item.kind === 'agree5' && isReadiness(item.dimension)) {
          const mean = plan.readiness[shiftOf(member)][item.dimension];
          fields[`q_${item.id}`] = String(scoreAround(mean, person, `${occasion} ${item.id}`));
        }
      }
      if (comment !== undefined) {
        fields[`q_${OPEN_QUESTION_ID}`] = comment.text;
        fields[`tags_${OPEN_QUESTION_ID}`] = comment.tag ?? '';
      }
      const answeredAt = later(new Date(round.opensAt), roll(person, `${occasion} when`) * 84);
      const deps = history.depsAt(answeredAt);
      const result = await submitAnswers(
        deps,
        { tenantId: DEMO_TENANT_ID, aadObjectId: person, name: member.name, groups: member.groups },
        {
          pulseId: pulse.id,
          round: round.number,
          token: deps.keys.cardToken(DEMO_TENANT_ID, pulse.id, round.number, person, member.groups),
          fields,
          editing: false,
        },
      );
      if (result.kind === 'retry')
        throw new Error(`the demo's answers to round ${round.number} were refused`);
    }
    await stores.rounds.modify(DEMO_TENANT_ID, pulse.id, round.number, (current) =>
      current.status === 'open' ? { ...current, status: 'closed' } : undefined,
    );
  }
  await stores.rounds.createMissing(newRound(pulse, ROUNDS.length + 1));
}

/**
 * Who answers a round (each shift's count, in an order fixed per round) and which of them write the
 * round's open answers: the night shift's words to someone on nights, the rest to whoever answers next.
 */
function answering(
  staff: readonly Member[],
  round: number,
  counts: Record<Shift, number>,
  comments: readonly DemoComment[],
): { member: Member; comment: DemoComment | undefined }[] {
  const occasion = `round ${round} answered`;
  const answered = (['days', 'nights'] as const).flatMap((shift) =>
    staff
      .filter((member) => shiftOf(member) === shift)
      .sort((a, b) => roll(a.aadObjectId, occasion) - roll(b.aadObjectId, occasion))
      .slice(0, counts[shift])
      .map((member) => ({ member, comment: undefined as DemoComment | undefined })),
  );
  for (const comment of comments) {
    const writer =
      answered.find(
        (one) =>
          one.comment === undefined && (comment.shift === undefined || shiftOf(one.member) === comment.shift),
      ) ?? noWriter(`round ${round}'s open answers`);
    writer.comment = comment;
  }
  return answered;
}

const noWriter = (what: string): never => {
  throw new Error(`nobody in the Oak View demo can write ${what}`);
};

/** A comment written as the bot records it, by someone on the right shift, unless it is there already. */
async function seedComment(
  history: History,
  moment: Date,
  comment: DemoComment,
  occasion: string,
  where: Pick<CommentInput, 'source' | 'initiativeId' | 'broadcastId'> & { id: string },
) {
  const ref = {
    tenantId: DEMO_TENANT_ID,
    initiativeId: where.initiativeId,
    week: isoWeek(moment),
    id: where.id,
  };
  if ((await history.stores.comments.get(ref)) !== undefined) return;
  const writers = history.staff.filter(
    (member) => comment.shift === undefined || shiftOf(member) === comment.shift,
  );
  const writer =
    writers.reduce<Member | undefined>(
      (best, member) =>
        best === undefined || roll(member.aadObjectId, occasion) < roll(best.aadObjectId, occasion)
          ? member
          : best,
      undefined,
    ) ?? noWriter(occasion);
  await recordComment(history.depsAt(moment), {
    tenantId: DEMO_TENANT_ID,
    ...where,
    text: comment.text,
    anonymous: comment.named !== true,
    author: { aadObjectId: writer.aadObjectId, name: writer.name },
    groups: writer.groups,
    tags: comment.tag === undefined ? undefined : [comment.tag],
  });
}
