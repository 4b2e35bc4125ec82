import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Card } from '../cards/render.js';
import { enqueueBroadcast } from '../delivery/outbox.js';
import type { ProactiveSender } from '../delivery/ports.js';
import { conversationIdOf } from '../delivery/ports.js';
import { currentFigures } from '../delivery/progress.js';
import type { ConversationRateLimiter, TenantRateLimiter } from '../delivery/rateLimiter.js';
import { type Broadcast, type Figures, recipientsOf } from '../domain/broadcast.js';
import type { Clock, InitiativeStore, MemberStore } from '../domain/stores.js';
import type { BroadcastRepository } from '../storage/broadcastRepository.js';
import type { CommentRepository } from '../storage/commentRepository.js';
import type { DeliveryRepository } from '../storage/deliveryRepository.js';
import type { OutboxQueue } from '../storage/outboxQueue.js';
import type { SchedulerLease } from '../storage/schedulerLease.js';

export interface SchedulerDeps {
  lease: SchedulerLease;
  broadcasts: BroadcastRepository;
  deliveries: DeliveryRepository;
  comments: CommentRepository;
  members: MemberStore;
  initiatives: InitiativeStore;
  queue: OutboxQueue;
  sender: ProactiveSender;
  /** Progress card updates count against the tenant's rate like any other send. */
  tenantLimiter: TenantRateLimiter;
  conversationLimiter: ConversationRateLimiter;
  renderProgress: (broadcast: Broadcast, figures: Figures) => Card;
  clock: Clock;
  logger: Logger;
  tickMs: number;
}

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

  /** Runs a tick now instead of at the next interval (a manager just pressed "send now"). */
  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.tick();
      } catch (error) {
        this.deps.logger.error(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'scheduler tick failed',
        );
      }
      if (!this.running) break;
      const ac = new AbortController();
      this.wake = () => ac.abort();
      await sleep(this.deps.tickMs, undefined, { signal: ac.signal }).catch(() => {});
      this.wake = undefined;
    }
  }

  async tick(): Promise<void> {
    if (!(await this.deps.lease.hold())) return;
    const now = this.deps.clock.now();
    const open = await this.deps.broadcasts.inStatus(['scheduled', 'sending', 'cancelled']);
    for (const broadcast of open) {
      if (broadcast.status === 'scheduled' && Date.parse(broadcast.sendAt) <= now.getTime()) {
        await this.startSending(broadcast);
      } else if (
        broadcast.status === 'sending' ||
        (broadcast.status === 'cancelled' && broadcast.finishedAt === undefined)
      ) {
        await this.refresh(broadcast);
      }
    }
  }

  private async startSending(broadcast: Broadcast): Promise<void> {
    const members = await this.deps.members.list(broadcast.tenantId);
    const initiative =
      broadcast.initiativeId === undefined
        ? undefined
        : await this.deps.initiatives.get(broadcast.tenantId, broadcast.initiativeId);
    const recipients = recipientsOf(
      members,
      broadcast.audience,
      initiative?.audience ?? { kind: 'all' },
      initiative?.champions ?? [],
    );
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

  private async refresh(broadcast: Broadcast): Promise<void> {
    const now = this.deps.clock.now();
    const figures = await currentFigures(this.deps, broadcast, now);
    const finished = figures.pending === 0;
    if (!finished && JSON.stringify(figures) === JSON.stringify(broadcast.figures)) return;
    const result = await this.deps.broadcasts.modify(broadcast.tenantId, broadcast.id, (current) => ({
      ...current,
      figures,
      status: finished && current.status === 'sending' ? 'done' : current.status,
      finishedAt: finished ? (current.finishedAt ?? now.toISOString()) : current.finishedAt,
      updatedAt: now.toISOString(),
    }));
    if (result === undefined) return;
    if (finished) this.deps.logger.info({ broadcastId: broadcast.id, ...figures }, 'broadcast finished');
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
