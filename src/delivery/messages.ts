import { noticeCard } from '../cards/cards.js';
import { championCard, championNoteCard } from '../cards/championCards.js';
import { digestCard, digestOverviewCard } from '../cards/digestCards.js';
import { safeguardingAlertCard, safeguardingQuestionCard } from '../cards/feedbackCards.js';
import { followUpCard } from '../cards/followUpCards.js';
import { pulseCard, pulseChannelCard } from '../cards/pulseCards.js';
import type { Card } from '../cards/render.js';
import { formatDay, updateCard } from '../cards/updateCards.js';
import { isOverdue } from '../domain/actions/action.js';
import type { ActionStore } from '../domain/actions/ports.js';
import type { Broadcast, Delivery } from '../domain/broadcasts/broadcast.js';
import { notesFor } from '../domain/champions/championNote.js';
import type { Digest } from '../domain/digest/digest.js';
import type { DigestSnapshotStore } from '../domain/digest/ports.js';
import { savedDigest } from '../domain/digest/weeklyDigest.js';
import { followedUpComment } from '../domain/feedback/followUp.js';
import type { CommentStore, EscalationStore, ThreadStore } from '../domain/feedback/ports.js';
import type { InitiativeStore } from '../domain/initiatives/ports.js';
import type { MemberStore } from '../domain/people/ports.js';
import type { RespondentKeys } from '../domain/people/respondentKeys.js';
import type { AnswerStore, PulseStore, RoundStore } from '../domain/pulses/ports.js';
import type { Pulse, PulseRound } from '../domain/pulses/pulse.js';
import { isoWeek } from '../domain/shared/isoWeek.js';
import type { Clock } from '../domain/shared/ports.js';
import { localDayAndTime } from '../domain/shared/timeZone.js';
import type { Localizer, Translator } from '../i18n/strings.js';
import { TtlCache } from '../storage/ttlCache.js';

export interface MessageDeps {
  actions: Pick<ActionStore, 'get'>;
  digestSnapshots: DigestSnapshotStore;
  members: Pick<MemberStore, 'list'>;
  pulses: PulseStore;
  rounds: RoundStore;
  answers: AnswerStore;
  escalations: EscalationStore;
  initiatives: InitiativeStore;
  comments: Pick<CommentStore, 'get'>;
  threads: ThreadStore;
  keys: RespondentKeys;
  localizer: Localizer;
  clock: Clock;
  /** The organisation's procedure and contacts, on the question to a writer. */
  safeguarding: { procedure: string; contacts: string };
}

/** Reads shared by every recipient of one send; a second is as stale as a stop may be noticed. */
const SHARED_READ_MS = 1_000;

/**
 * What the outbox sends each recipient: an update card, a safeguarding alert, a message of a follow-up on
 * a comment, a pulse card made for them (their card token inside), or a pulse's one post in a channel. A
 * reminder goes only to someone who has not answered; whether they have is checked at the moment of
 * sending with the same keyed hash the answer is stored under, so no list of non-responders is ever
 * written down.
 */
export function outboxMessages(deps: MessageDeps) {
  const digests = new TtlCache<Digest | undefined>(SHARED_READ_MS);
  const pulses = new TtlCache<{
    pulse: Pulse | undefined;
    round: PulseRound | undefined;
    initiativeTitle?: string | undefined;
  }>(SHARED_READ_MS);
  return async (broadcast: Broadcast, delivery: Delivery): Promise<{ card: Card } | { skip: string }> => {
    const t = deps.localizer.for(delivery.locale);
    if (broadcast.alert !== undefined)
      return alertMessage(deps, broadcast.tenantId, broadcast.alert, t, delivery);
    if (broadcast.followUp !== undefined)
      return followUpMessage(deps, broadcast, broadcast.followUp, t, delivery);
    if (broadcast.question !== undefined)
      return questionMessage(deps, broadcast.tenantId, broadcast.question, t);
    if (broadcast.champion !== undefined) return championMessage(deps, broadcast, broadcast.champion, t);
    if (broadcast.overdueAction !== undefined)
      return overdueMessage(deps, broadcast.tenantId, broadcast.overdueAction.actionId, t, delivery);
    if (broadcast.digest !== undefined) {
      const { week, view, initiativeIds } = broadcast.digest;
      const saved = (
        await Promise.all(
          initiativeIds.map((id) =>
            digests.get(`${broadcast.tenantId}|${id}|${week}`, () =>
              savedDigest(deps, broadcast.tenantId, id, week),
            ),
          ),
        )
      ).filter((digest): digest is Digest => digest !== undefined);
      const [first] = saved;
      if (view === 'leader') return { card: digestOverviewCard(t, saved) };
      if (first === undefined) return { skip: 'the digest is gone' };
      if (view === 'champion') {
        // Their groups as they were when the note was queued; a group too small has no note to show.
        const notes = notesFor({ groups: delivery.groups ?? {} }, first.figures.groups ?? []);
        if (notes.length === 0) return { skip: 'no group of theirs is big enough to show' };
        return { card: championNoteCard(t, first, notes) };
      }
      const today = localDayAndTime(deps.clock.now(), delivery.timeZone).day;
      return { card: digestCard(t, first, { audience: view, manages: view === 'manager', today }) };
    }
    const about = broadcast.pulse;
    if (about === undefined) {
      return {
        card: updateCard(t, {
          broadcastId: broadcast.id,
          content: broadcast.content,
          urgent: broadcast.urgent,
          state: { kind: 'open' },
          reader: delivery.groups,
        }),
      };
    }
    const { pulse, round, initiativeTitle } = await pulses.get(
      `${about.pulseId}|${about.round}`,
      async () => {
        const [pulse, round] = await Promise.all([
          deps.pulses.get(broadcast.tenantId, about.pulseId),
          deps.rounds.get(broadcast.tenantId, about.pulseId, about.round),
        ]);
        const initiative =
          pulse?.initiativeId === undefined
            ? undefined
            : await deps.initiatives.get(broadcast.tenantId, pulse.initiativeId);
        return { pulse, round, initiativeTitle: initiative?.title };
      },
    );
    if (pulse === undefined || round === undefined || round.status === 'closed')
      return { skip: 'the pulse has closed' };
    if (broadcast.audience.kind === 'channel') {
      const { userIds } = broadcast.audience;
      return {
        card: pulseChannelCard(t, { pulse, round, initiativeTitle, userIds, timeZone: delivery.timeZone }),
      };
    }
    if (about.send === 'reminder') {
      const respondent = deps.keys.respondent(broadcast.tenantId, pulse.id, round.number, delivery.memberId);
      const answered = await deps.answers.get(
        broadcast.tenantId,
        pulse.initiativeId,
        isoWeek(new Date(round.opensAt)),
        pulse.id,
        round.number,
        respondent,
      );
      if (answered !== undefined) return { skip: 'already answered' };
    }
    const groups = delivery.groups ?? {};
    return {
      card: pulseCard(t, {
        pulse,
        round,
        initiativeTitle,
        groups,
        token: deps.keys.cardToken(broadcast.tenantId, pulse.id, round.number, delivery.memberId, groups),
        timeZone: delivery.timeZone,
        reminder: about.send === 'reminder',
      }),
    };
  };
}

/**
 * A step of becoming a champion, with the change's title as it is now. The managers' copy names the
 * volunteer and their unit and shift; it is not sent once they have deleted their data.
 */
async function championMessage(
  deps: MessageDeps,
  broadcast: Broadcast,
  champion: NonNullable<Broadcast['champion']>,
  t: Translator,
): Promise<{ card: Card } | { skip: string }> {
  const initiative = await deps.initiatives.get(broadcast.tenantId, champion.initiativeId);
  if (initiative === undefined) return { skip: 'the initiative is gone' };
  const volunteer =
    champion.volunteerId === undefined
      ? undefined
      : (await deps.members.list(broadcast.tenantId)).find(
          (member) => member.aadObjectId === champion.volunteerId,
        );
  if (champion.step === 'volunteered' && volunteer === undefined) return { skip: 'the volunteer is gone' };
  return { card: championCard(t, { broadcast, step: champion.step, initiative, volunteer }) };
}

/**
 * The one reminder to an action's owner, read fresh: an action done or dropped while the reminder waited
 * for their quiet hours to end is not chased.
 */
async function overdueMessage(
  deps: MessageDeps,
  tenantId: string,
  actionId: string,
  t: Translator,
  delivery: Delivery,
): Promise<{ card: Card } | { skip: string }> {
  const action = await deps.actions.get(tenantId, actionId);
  const today = localDayAndTime(deps.clock.now(), delivery.timeZone).day;
  if (action === undefined || !isOverdue(action, today)) return { skip: 'the action is no longer overdue' };
  return {
    card: noticeCard(
      t('action.overdue.reminder', { willDo: action.willDo, due: formatDay(action.due, t.locale) }),
    ),
  };
}

/**
 * A safeguarding alert, read fresh for each lead: a lead who acknowledged while the alert was going out
 * is shown on the later copies, and an alert sent again is skipped once someone has it in hand.
 */
async function alertMessage(
  deps: MessageDeps,
  tenantId: string,
  alert: { escalationId: string; number: number },
  t: Translator,
  delivery: Delivery,
): Promise<{ card: Card } | { skip: string }> {
  const escalation = await deps.escalations.get(tenantId, alert.escalationId);
  if (escalation === undefined) return { skip: 'the escalation is gone' };
  if (alert.number > 1 && escalation.status === 'acknowledged') return { skip: 'already acknowledged' };
  return { card: safeguardingAlertCard(t, { escalation, alert: alert.number, timeZone: delivery.timeZone }) };
}

/**
 * "Is that right?" to the writer of words the second reading found may be a disclosure, with their words
 * (they may have written several comments since); not sent once they have answered or the lead has it.
 */
async function questionMessage(
  deps: MessageDeps,
  tenantId: string,
  question: NonNullable<Broadcast['question']>,
  t: Translator,
): Promise<{ card: Card } | { skip: string }> {
  const escalation = await deps.escalations.get(tenantId, question.escalationId);
  if (escalation?.status !== 'asked') return { skip: 'no longer waiting for the writer' };
  const { escalationId, token } = question;
  return {
    card: safeguardingQuestionCard(t, { ...deps.safeguarding, escalationId, token, words: escalation.text }),
  };
}

/**
 * One message of a follow-up, shown with the comment and the thread up to it. The writer's copy goes to
 * a sealed recipient; the manager's names nobody.
 */
async function followUpMessage(
  deps: MessageDeps,
  broadcast: Broadcast,
  followUp: NonNullable<Broadcast['followUp']>,
  t: Translator,
  delivery: Delivery,
): Promise<{ card: Card } | { skip: string }> {
  const comment = await deps.comments.get(followedUpComment(broadcast.tenantId, followUp));
  if (comment === undefined) return { skip: 'the comment is gone' };
  const toWriter = broadcast.audience.kind === 'writer';
  // A reply waiting for the writer's quiet hours to end is not sent once they have ended the conversation;
  // the writer's own last answer still reaches the manager.
  if (toWriter && comment.replyHandle === undefined) return { skip: 'the conversation has ended' };
  const thread = await deps.threads.list(broadcast.tenantId, comment.id);
  const upTo = thread.findIndex((message) => message.id === followUp.messageId);
  if (upTo === -1) return { skip: 'the message is gone' };
  return {
    card: followUpCard(t, {
      viewer: toWriter ? 'writer' : 'manager',
      comment,
      messages: thread.slice(0, upTo + 1),
      open: comment.replyHandle !== undefined,
      timeZone: delivery.timeZone,
    }),
  };
}
