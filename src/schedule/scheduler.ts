import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Card } from '../cards/render.js';
import { channelRecipient, enqueueBroadcast, inPersonalChats, type Recipient } from '../delivery/outbox.js';
import type { ProactiveSender } from '../delivery/ports.js';
import { conversationIdOf } from '../delivery/ports.js';
import { currentFigures } from '../delivery/progress.js';
import type { ConversationRateLimiter, TenantRateLimiter } from '../delivery/rateLimiter.js';
import type { ActionStore } from '../domain/actions/ports.js';
import { type Broadcast, type Figures, recipientsOf } from '../domain/broadcasts/broadcast.js';
import { audienceSources } from '../domain/broadcasts/broadcasting.js';
import type { SavedListStore } from '../domain/broadcasts/ports.js';
import { followedUpComment, writerOf } from '../domain/feedback/followUp.js';
import type { ReplyHandles } from '../domain/feedback/replyHandles.js';
import type { InitiativeStore } from '../domain/initiatives/ports.js';
import type { MemberDefaults } from '../domain/people/member.js';
import type { InstallationStore, MemberStore, TeamRosters } from '../domain/people/ports.js';
import { type ReachPolicy, reachableUnder } from '../domain/people/reach.js';
import { advanceRosterWork } from '../domain/people/teamRosters.js';
import type { Clock } from '../domain/shared/ports.js';
import type { BroadcastRepository } from '../storage/broadcastRepository.js';
import type { CommentRepository } from '../storage/commentRepository.js';
import type { DeliveryRepository } from '../storage/deliveryRepository.js';
import type { OutboxQueue } from '../storage/outboxQueue.js';
import type { SchedulerLease } from '../storage/schedulerLease.js';
import { remindOverdueActions } from './actionReminders.js';
import { type DigestSendDeps, sendDueDigests } from './digests.js';
import { chaseEscalations, type EscalationChaseDeps } from './escalations.js';
import { advancePulseRounds, type PulseRoundDeps } from './pulseRounds.js';
import type { RetentionCleanup } from './retention.js';

export interface SchedulerDeps
  extends PulseRoundDeps,
    EscalationChaseDeps,
    Omit<DigestSendDeps, 'broadcasts' | 'comments' | 'escalations'> {
  retention: RetentionCleanup;
  lease: SchedulerLease;
  broadcasts: BroadcastRepository;
  deliveries: DeliveryRepository;
  comments: CommentRepository;
  members: MemberStore;
  initiatives: InitiativeStore;
  savedLists: SavedListStore;
  installations: InstallationStore;
  /** Read for the digest, and marked when an overdue action's owner is reminded. */
  actions: ActionStore;
  /** Whether guests and people of other organisations are messaged. */
  reach: ReachPolicy;
  /** Teams' rosters of the teams Huddle is added to, read here rather than in the install's turn. */
  rosters: TeamRosters;
  /** A team channel has no time zone or quiet hours of its own: it gets the service's. */
  defaults: MemberDefaults;
  queue: OutboxQueue;
  sender: ProactiveSender;
  /** Progress card updates count against the tenant's rate like any other send. */
  tenantLimiter: TenantRateLimiter;
  conversationLimiter: ConversationRateLimiter;
  renderProgress: (broadcast: Broadcast, figures: Figures) => Card;
  /** Opens the audience of a reply to a comment's writer. */
  replyHandles: ReplyHandles;
  clock: Clock;
  logger: Logger;
  tickMs: number;
}

/**
 * Whether a weekly digest is due, or an action has gone overdue, is asked once a minute: both turn on a
 * day and time, not a second.
 */
const DIGEST_CHECK_MS = 60_000;

/** How long after it finished a broadcast's progress card still follows "got it" and concerns. */
const FOLLOW_UP_MS = 24 * 3_600_000;

/**
 * The scheduler tick (DESIGN.md flow 2). Only the instance holding the blob lease acts, so with several
 * instances nothing is enqueued twice. Each tick: due broadcasts go into the outbox; broadcasts being
 * sent get their figures counted and the manager's progress card updated; a broadcast with nothing left
 * pending is finished and the card shows the final summary.
 */
export class Scheduler {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A nudge arrived since the current tick began: that tick may have read the schedule before it. */
  private nudged = false;
  private readonly countedAt = new Map<string, number>();
  private digestsCheckedAt = 0;

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.deps.lease.release();
  }

  /**
   * Runs a tick now instead of at the next interval (a manager just pressed "send now", a safeguarding alert
   * was raised). During a tick it is remembered: the tick may already have read what is due, so another
   * follows at once rather than an interval later.
   */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.nudged = false;
      try {
        await this.tick();
      } catch (error) {
        this.deps.logger.error(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'scheduler tick failed',
        );
      }
      if (!this.running) break;
      if (this.nudged) continue;
      const ac = new AbortController();
      this.wake = () => ac.abort();
      await sleep(this.deps.tickMs, undefined, { signal: ac.signal }).catch(() => {});
      this.wake = undefined;
    }
  }

  async tick(): Promise<void> {
    if (!(await this.deps.lease.hold())) return;
    const now = this.deps.clock.now();
    await this.deps.retention.runIfDue(now);
    // Rounds and alerts first: a round that opens now, or an alert sent again, becomes a broadcast that the
    // loop below starts at once.
    await advancePulseRounds(this.deps, now);
    await chaseEscalations(this.deps, now);
    if (now.getTime() - this.digestsCheckedAt >= DIGEST_CHECK_MS) {
      // Marked only once it ran through: a check that storage interrupted runs again at the next tick.
      await sendDueDigests(this.deps, now);
      await remindOverdueActions(this.deps, now);
      this.digestsCheckedAt = now.getTime();
    }
    // Before due broadcasts, so people just found in a team's roster are among their recipients.
    await this.advanceRosters();
    const open = await this.deps.broadcasts.inStatus(
      ['scheduled', 'sending', 'cancelled', 'done'],
      new Date(now.getTime() - FOLLOW_UP_MS).toISOString(),
    );
    for (const broadcast of open) {
      if (broadcast.status === 'scheduled' && Date.parse(broadcast.sendAt) <= now.getTime()) {
        await this.startSending(broadcast);
      } else if (broadcast.status !== 'scheduled') {
        await this.refresh(broadcast);
      }
    }
  }

  /** Team rosters to read or forget (see `Installation.roster`); one failing waits for the next tick. */
  private async advanceRosters(): Promise<void> {
    for (const installation of await this.deps.installations.withRosterWork()) {
      try {
        const people = await advanceRosterWork(this.deps, installation);
        this.deps.logger.info({ kind: installation.roster?.kind, people }, 'team roster worked through');
      } catch (error) {
        this.deps.logger.warn(
          {
            status: (error as { statusCode?: number }).statusCode,
            err: { message: (error as Error).message },
          },
          'team roster not read; tried again next tick',
        );
      }
    }
  }

  private async startSending(broadcast: Broadcast): Promise<void> {
    const recipients = await this.recipientsOf(broadcast);
    await enqueueBroadcast(this.deps, broadcast, recipients);
    const result = await this.deps.broadcasts.modify(broadcast.tenantId, broadcast.id, (current) =>
      current.status === 'scheduled'
        ? {
            ...current,
            status: 'sending',
            recipients: recipients.length,
            updatedAt: this.deps.clock.now().toISOString(),
          }
        : undefined,
    );
    this.deps.logger.info(
      { broadcastId: broadcast.id, recipients: recipients.length, urgent: broadcast.urgent },
      'broadcast enqueued',
    );
    if (result?.changed) await this.refresh(result.broadcast);
  }

  private async recipientsOf(broadcast: Broadcast): Promise<Recipient[]> {
    const { audience, tenantId } = broadcast;
    const about = broadcast.followUp ?? broadcast.question;
    if (audience.kind === 'channel') {
      const conversation = await this.channelConversation(broadcast, audience.conversationId);
      if (conversation === undefined) return [];
      const { locale, timeZone, quietHours } = this.deps.defaults;
      return [{ id: channelRecipient(audience.conversationId), conversation, locale, timeZone, quietHours }];
    }
    if (audience.kind === 'writer') {
      // Opened here, from the comment as it is now: the writer's id lives in memory for this one enqueue.
      const comment =
        about === undefined ? undefined : await this.deps.comments.get(followedUpComment(tenantId, about));
      const writerId =
        comment === undefined ? undefined : writerOf(this.deps, comment, this.deps.clock.now());
      const writer = writerId === undefined ? undefined : await this.deps.members.get(tenantId, writerId);
      return writer !== undefined && reachableUnder(this.deps.reach)(writer)
        ? inPersonalChats([writer], { anonymous: true })
        : [];
    }
    const { members, initiatives, lists } = await audienceSources(this.deps, tenantId);
    return inPersonalChats(
      recipientsOf(this.deps.reach, members, audience, broadcast.initiativeId, initiatives, lists),
    );
  }

  /**
   * Where a channel post goes: a digest to the channel where someone typed `digest here` (unless `digest
   * off` came since), anything else to the team Huddle is installed in (unless it was removed since).
   */
  private async channelConversation(broadcast: Broadcast, conversationId: string) {
    if (broadcast.digest !== undefined) {
      const channels = await this.deps.digestSettings.channels(broadcast.tenantId);
      return channels.find((channel) => channel.conversationId === conversationId)?.conversation;
    }
    const team = await this.deps.installations.get(broadcast.tenantId, conversationId);
    return team === undefined || !team.active ? undefined : team.conversationReference;
  }

  /**
   * Counting reads every delivery row, so large broadcasts are counted less often: about a millisecond of
   * interval per recipient (10 s for 10,000), never more often than the tick. Reading 10,000 rows every
   * two seconds took a third of the sending process's time and slowed the sends themselves.
   */
  private dueForCount(broadcast: Broadcast, now: Date): boolean {
    const sending = broadcast.finishedAt === undefined;
    // After sending, "got it" and concerns keep coming in for a day; a slower count is enough for them.
    const floor = sending ? this.deps.tickMs : this.deps.tickMs * 5;
    const interval = Math.min(15_000, Math.max(floor, broadcast.recipients));
    const last = this.countedAt.get(broadcast.id) ?? 0;
    if (now.getTime() - last < interval) return false;
    this.countedAt.set(broadcast.id, now.getTime());
    if (this.countedAt.size > 1_000) {
      for (const [id, at] of this.countedAt) if (at < now.getTime() - FOLLOW_UP_MS) this.countedAt.delete(id);
    }
    return true;
  }

  private async refresh(broadcast: Broadcast): Promise<void> {
    const now = this.deps.clock.now();
    if (!this.dueForCount(broadcast, now)) return;
    const figures = await currentFigures(this.deps, broadcast, now);
    const finished = figures.pending === 0;
    const unchanged = JSON.stringify(figures) === JSON.stringify(broadcast.figures);
    if (unchanged && (!finished || broadcast.finishedAt !== undefined)) return;
    const result = await this.deps.broadcasts.modify(broadcast.tenantId, broadcast.id, (current) => ({
      ...current,
      figures,
      status: finished && current.status === 'sending' ? 'done' : current.status,
      finishedAt: finished ? (current.finishedAt ?? now.toISOString()) : current.finishedAt,
      updatedAt: now.toISOString(),
    }));
    if (result === undefined) return;
    if (finished && broadcast.finishedAt === undefined)
      this.deps.logger.info({ broadcastId: broadcast.id, ...figures }, 'broadcast finished');
    await this.updateProgressCard(result.broadcast, figures);
  }

  private async updateProgressCard(broadcast: Broadcast, figures: Figures): Promise<void> {
    const { managerConversation, progressActivityId } = broadcast;
    if (managerConversation === undefined || progressActivityId === undefined) return;
    await this.deps.conversationLimiter.acquire(conversationIdOf(managerConversation));
    await this.deps.tenantLimiter.acquire(true);
    const card = this.deps.renderProgress(broadcast, figures);
    const answered = await this.deps.tenantLimiter.admit();
    const result = await this.deps.sender
      .update(managerConversation, progressActivityId, card)
      .finally(answered);
    if (result.kind === 'failed') {
      this.deps.logger.warn(
        { broadcastId: broadcast.id, status: result.failure.status },
        'progress card not updated',
      );
    }
  }
}
