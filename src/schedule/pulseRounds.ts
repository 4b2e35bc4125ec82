import type { Logger } from 'pino';
import type { Broadcast, BroadcastAudience } from '../domain/broadcasts/broadcast.js';
import { audienceSources } from '../domain/broadcasts/broadcasting.js';
import type { SavedListStore } from '../domain/broadcasts/ports.js';
import type { InitiativeStore } from '../domain/initiatives/ports.js';
import type { Member } from '../domain/people/member.js';
import type { MemberStore } from '../domain/people/ports.js';
import type { ReachPolicy } from '../domain/people/reach.js';
import type { PulseStore, RoundStore } from '../domain/pulses/ports.js';
import { type Pulse, type PulseRound, roundSendId, USER_VIEWS_MAX } from '../domain/pulses/pulse.js';
import { newRound, openedRound, pulseAudience } from '../domain/pulses/pulsing.js';
import type { BroadcastRepository } from '../storage/broadcastRepository.js';

export interface PulseRoundDeps {
  pulses: PulseStore;
  rounds: RoundStore;
  broadcasts: BroadcastRepository;
  members: MemberStore;
  initiatives: InitiativeStore;
  savedLists: SavedListStore;
  reach: ReachPolicy;
  logger: Logger;
}

/**
 * The pulse part of a scheduler tick. A due round opens: its send goes into the outbox as a broadcast
 * (due now, expiring when the round closes) and a recurring pulse gets its next round. A due reminder
 * becomes another send to the same audience; the outbox skips whoever has answered by then. A round past
 * its close is closed. Send ids are derived from the round, so a tick repeated after a crash finds the
 * send it already made rather than making a second.
 */
export async function advancePulseRounds(deps: PulseRoundDeps, now: Date): Promise<void> {
  for (const round of await deps.rounds.unfinished()) {
    const pulse = await deps.pulses.get(round.tenantId, round.pulseId);
    if (pulse === undefined) continue;
    if (round.status === 'scheduled' && Date.parse(round.opensAt) <= now.getTime()) {
      await openRound(deps, pulse, round, now);
    } else if (round.status === 'open' && Date.parse(round.closesAt) <= now.getTime()) {
      await deps.rounds.modify(round.tenantId, round.pulseId, round.number, (current) =>
        current.status === 'open' ? { ...current, status: 'closed' } : undefined,
      );
      deps.logger.info({ pulseId: pulse.id, round: round.number }, 'pulse round closed');
    } else if (round.status === 'open') {
      await sendDueReminders(deps, pulse, round, now);
    }
  }
}

async function openRound(deps: PulseRoundDeps, pulse: Pulse, round: PulseRound, now: Date): Promise<void> {
  if (pulse.status === 'stopped' || Date.parse(round.closesAt) <= now.getTime()) {
    await deps.rounds.modify(round.tenantId, round.pulseId, round.number, (current) => ({
      ...current,
      status: 'closed',
    }));
    return;
  }
  const { members, initiatives, lists } = await audienceSources(deps, pulse.tenantId);
  const recipients = pulseAudience(deps.reach, members, pulse, initiatives, lists);
  await deps.broadcasts.createMissing(
    roundSend(pulse, round, 'open', now, openingAudience(pulse, recipients)),
  );
  if (pulse.cadence !== 'once') await deps.rounds.createMissing(newRound(pulse, round.number + 1));
  await deps.rounds.modify(round.tenantId, round.pulseId, round.number, (current) =>
    current.status === 'scheduled' ? openedRound(current, recipients) : undefined,
  );
  deps.logger.info(
    { pulseId: pulse.id, round: round.number, recipients: recipients.length },
    'pulse round opened',
  );
}

async function sendDueReminders(
  deps: PulseRoundDeps,
  pulse: Pulse,
  round: PulseRound,
  now: Date,
): Promise<void> {
  for (const [index, reminder] of round.reminders.entries()) {
    if (reminder.sent || Date.parse(reminder.at) > now.getTime()) continue;
    await deps.broadcasts.createMissing(roundSend(pulse, round, `reminder${index + 1}`, now, pulse.audience));
    await deps.rounds.modify(round.tenantId, round.pulseId, round.number, (current) => ({
      ...current,
      reminders: current.reminders.map((one, at) => (at === index ? { ...one, sent: true } : one)),
    }));
    deps.logger.info(
      { pulseId: pulse.id, round: round.number, reminder: index + 1 },
      'pulse reminder queued',
    );
  }
}

/**
 * Who a round's opening goes to: the pulse's audience in their chats, or one post in the pulse's channel
 * that Teams refreshes into each person's own view. Up to `USER_VIEWS_MAX` people that happens by itself;
 * above it, naming some would favour them, so nobody is named and everyone taps to see theirs.
 */
function openingAudience(pulse: Pulse, recipients: readonly Member[]): BroadcastAudience {
  if (pulse.channel === undefined) return pulse.audience;
  const userIds =
    recipients.length > USER_VIEWS_MAX ? [] : recipients.flatMap((member) => member.teamsUserId ?? []);
  return { kind: 'channel', conversationId: pulse.channel.conversationId, userIds };
}

/**
 * An outbox send of a round: not urgent (quiet hours hold it back), and never after the round closes.
 * Reminders go to each person's chat even for a pulse posted in a channel: the outbox skips whoever has
 * answered, wherever they answered.
 */
function roundSend(
  pulse: Pulse,
  round: PulseRound,
  send: 'open' | `reminder${number}`,
  now: Date,
  audience: BroadcastAudience,
): Broadcast {
  return {
    tenantId: pulse.tenantId,
    id: roundSendId(pulse.id, round.number, send),
    initiativeId: pulse.initiativeId,
    content: { headline: pulse.title, message: '' },
    pulse: { pulseId: pulse.id, round: round.number, send: send === 'open' ? 'open' : 'reminder' },
    expiresAt: round.closesAt,
    audience,
    urgent: false,
    sendAt: now.toISOString(),
    status: 'scheduled',
    createdBy: pulse.createdBy,
    recipients: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}
