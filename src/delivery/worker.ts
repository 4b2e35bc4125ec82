import type { Card } from '../cards/render.js';
import { type Broadcast, type Delivery, FINAL_STATUSES } from '../domain/broadcasts/broadcast.js';
import { decideAfterFailure } from '../domain/broadcasts/deliveryPolicy.js';
import type { ConversationReference, UnreachableReason } from '../domain/people/member.js';
import { quietUntil } from '../domain/people/quietHours.js';
import { refusalReason } from '../domain/people/reach.js';
import type { BroadcastRepository } from '../storage/broadcastRepository.js';
import type { DeliveryRepository } from '../storage/deliveryRepository.js';
import type { OutboxQueue, TakenItem, WorkItem } from '../storage/outboxQueue.js';
import { QueuePoller } from '../storage/queuePoller.js';
import { TtlCache } from '../storage/ttlCache.js';
import { ChatOpener, type ChatOpenerDeps } from './chatOpener.js';
import { DeliveryClaims } from './deliveryClaims.js';
import { conversationIdOf, type SendResult } from './ports.js';
import { DONE, type Outcome } from './recipientOutcome.js';
import { Semaphore } from './semaphore.js';
import { ThrottleSignal } from './throttleSignal.js';

export interface WorkerDeps extends Omit<ChatOpenerDeps, 'claims' | 'throttle' | 'running'> {
  queue: OutboxQueue;
  deliveries: DeliveryRepository;
  broadcasts: BroadcastRepository;
  /**
   * The card one recipient receives, in their language, or why they no longer need it (a reminder to
   * someone who has answered meanwhile).
   */
  compose: (broadcast: Broadcast, delivery: Delivery) => Promise<{ card: Card } | { skip: string }>;
  /** Names this process in delivery claims. */
  senderId: string;
  timing: OutboxTiming;
}

export interface OutboxTiming {
  /** A send that takes longer than this is abandoned as "unconfirmed" (it may have arrived). */
  sendTimeoutMs: number;
  /** How long a taken work item stays invisible to other workers. */
  visibilitySeconds: number;
  /** Idle wait between polls of an empty queue. */
  pollMs: number;
}

/** A poison message (unreadable, or failing every time) is dropped after this many takes. */
const MAX_DEQUEUES = 50;
/** How long a read broadcast is trusted, so a cancel stops sending within about a second. */
const BROADCAST_CACHE_MS = 1_000;

/**
 * Takes outbox work from the queue and sends it, any number of these in any number of processes. Each
 * recipient's delivery row is checked before a send and claimed with its ETag (before their personal
 * chat is opened, when it must be), so two workers never open the same chat or send the same row; a
 * claim left behind by a process that died mid-send is not sent again but marked "unconfirmed" (Teams
 * most likely received it: a duplicate is the worse failure for staff). A work item is deleted only
 * after every recipient in it is settled or re-queued for later, so a crash at any point leaves the item
 * to reappear and be finished by whoever takes it next.
 */
export class DeliveryWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly broadcastCache = new TtlCache<Broadcast | undefined>(BROADCAST_CACHE_MS);
  private readonly recipients: Semaphore;
  private readonly poller: QueuePoller<WorkItem>;
  private readonly claims: DeliveryClaims;
  private readonly throttle: ThrottleSignal;
  private readonly chats: ChatOpener;

  constructor(private readonly deps: WorkerDeps) {
    this.poller = new QueuePoller(deps.queue, {
      ...deps.timing,
      maxTakes: MAX_DEQUEUES,
      logger: deps.logger,
    });
    // Enough recipients in progress to keep the rate busy while each waits half a second for Teams.
    this.recipients = new Semaphore(Math.max(8, Math.ceil(deps.tenantLimiter.currentRate / 2)));
    this.claims = new DeliveryClaims({
      ...deps,
      holdMs: deps.timing.sendTimeoutMs + CLAIM_SLACK_MS,
    });
    this.throttle = new ThrottleSignal({ ...deps, maxPauseMs: deps.retry.maxDelayMs });
    this.chats = new ChatOpener({
      ...deps,
      claims: this.claims,
      throttle: this.throttle,
      running: () => this.running,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Stops taking work, finishes sends already under way and abandons recipients still waiting for a
   * rate slot; their items stay on the queue and reappear for whoever runs next.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.deps.tenantLimiter.close();
    this.deps.installer?.close();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * About five seconds of sending at this process's share of the rate: enough to keep it busy, and no
   * more, since items in hand wait here instead of going to another instance.
   */
  private maxItemsInHand(): number {
    return Math.max(2, Math.ceil((this.deps.tenantLimiter.currentRate * SECONDS_IN_HAND) / CHUNK_SIZE));
  }

  private async run(): Promise<void> {
    while (this.running) {
      const room = this.maxItemsInHand() - this.inFlight.size;
      if (room <= 0) {
        await Promise.race(this.inFlight);
        continue;
      }
      const taken = await this.poller.take(room);
      for (const item of taken) {
        const work = this.processItem(item).catch((error: Error) => {
          // The item stays on the queue and reappears; nothing is lost.
          this.deps.logger.error({ err: { name: error.name, message: error.message } }, 'outbox item failed');
        });
        this.inFlight.add(work);
        void work.finally(() => this.inFlight.delete(work));
      }
    }
  }

  private async processItem(taken: TakenItem): Promise<void> {
    const item = await this.poller.workable(taken);
    if (item === undefined) return;
    const broadcast = await this.broadcast(item.tenantId, item.broadcastId);
    // While this worker is alive the item stays hidden; if it dies, the item is back within one visibility
    // period, so a restarted or surviving instance finishes the broadcast soon after a crash.
    const keepHidden = setInterval(
      () => {
        this.deps.queue.extend(taken, this.deps.timing.visibilitySeconds).catch((error: Error) => {
          this.deps.logger.warn({ err: { message: error.message } }, 'could not keep outbox work hidden');
        });
      },
      (this.deps.timing.visibilitySeconds * 1000) / 3,
    );
    try {
      await this.settleItem(taken, item, broadcast);
    } finally {
      clearInterval(keepHidden);
    }
  }

  private async settleItem(
    taken: TakenItem,
    item: WorkItem,
    broadcast: Broadcast | undefined,
  ): Promise<void> {
    if (broadcast !== undefined) {
      const outcomes = await Promise.all(
        item.memberIds.map((id) =>
          this.recipients.run(broadcast.urgent, () => this.processRecipient(broadcast, id)),
        ),
      );
      if (outcomes.some((outcome) => outcome.kind === 'abandoned')) return;
      await this.requeueLater(item, outcomes);
    }
    await this.deps.queue.done(taken);
  }

  /** Recipients to try again later go back on the queue, grouped by the second they are due. */
  private async requeueLater(item: WorkItem, outcomes: readonly Outcome[]): Promise<void> {
    const byDue = new Map<number, string[]>();
    outcomes.forEach((outcome, index) => {
      if (outcome.kind !== 'later') return;
      const due = Math.ceil(outcome.at.getTime() / 1000);
      byDue.set(due, [...(byDue.get(due) ?? []), item.memberIds[index] ?? '']);
    });
    const now = this.deps.clock.now().getTime() / 1000;
    for (const [due, memberIds] of byDue) {
      await this.deps.queue.put({ ...item, memberIds }, Math.max(0, due - now));
    }
  }

  private async processRecipient(broadcast: Broadcast, memberId: string): Promise<Outcome> {
    const stored = await this.deps.deliveries.get(broadcast.id, memberId);
    if (stored === undefined || FINAL_STATUSES.includes(stored.delivery.status)) return DONE;
    const { delivery, etag } = stored;
    const now = this.deps.clock.now();
    // Another worker is opening their chat or sending: it settles the row, or its claim runs out and the
    // row is looked at again then.
    if (delivery.claimedUntil !== undefined && Date.parse(delivery.claimedUntil) > now.getTime()) {
      return { kind: 'later', at: new Date(delivery.claimedUntil) };
    }
    // A claim to open a chat that ran out (its worker died) needs nothing: no card went out, so the row
    // is taken again below. A send claim that ran out may have been sent.
    if (delivery.status === 'sending') {
      await this.claims.settle(delivery, etag, {
        status: 'unconfirmed',
        reason: 'sending was interrupted; not sent again to avoid a duplicate',
      });
      return DONE;
    }
    if ((await this.broadcast(broadcast.tenantId, broadcast.id))?.status === 'cancelled') {
      await this.claims.settle(delivery, etag, { status: 'skipped', reason: 'broadcast cancelled' });
      return DONE;
    }
    const expired = (at: Date) =>
      broadcast.expiresAt !== undefined && at.getTime() >= Date.parse(broadcast.expiresAt);
    if (expired(now)) {
      await this.claims.settle(delivery, etag, {
        status: 'skipped',
        reason: 'closed before it could be sent',
      });
      return DONE;
    }
    if (delivery.notBefore !== undefined && Date.parse(delivery.notBefore) > now.getTime()) {
      return { kind: 'later', at: new Date(delivery.notBefore) };
    }
    if (!broadcast.urgent) {
      const quietEnds = quietUntil(now, delivery.quietHours, delivery.timeZone);
      if (quietEnds !== undefined && expired(quietEnds)) {
        await this.claims.settle(delivery, etag, {
          status: 'skipped',
          reason: 'quiet hours last until after closing',
        });
        return DONE;
      }
      if (quietEnds !== undefined) {
        await this.claims.settle(delivery, etag, { notBefore: quietEnds.toISOString() });
        return { kind: 'later', at: quietEnds };
      }
    }
    return this.send(broadcast, delivery, etag);
  }

  private async send(broadcast: Broadcast, pending: Delivery, etag: string): Promise<Outcome> {
    // Composed before taking a turn: template expansion costs a few milliseconds of CPU that must not sit
    // between the rate limiter's permission and the request.
    const composed = await this.deps.compose(broadcast, pending);
    if ('skip' in composed) {
      await this.claims.settle(pending, etag, { status: 'skipped', reason: composed.skip });
      return DONE;
    }
    const { card } = composed;
    const chat = await this.chats.chatFor(broadcast, pending, etag);
    if ('outcome' in chat) return chat.outcome;
    const { delivery, conversation } = chat;
    await this.deps.conversationLimiter.acquire(conversationIdOf(conversation));
    const giveBack = await this.deps.tenantLimiter.acquire(broadcast.urgent);
    if (!this.running) {
      giveBack();
      await this.claims.release(chat);
      return { kind: 'abandoned' };
    }
    // Cancelled while waiting for a slot: the rest are skipped, as the manager asked.
    if ((await this.broadcast(broadcast.tenantId, broadcast.id))?.status === 'cancelled') {
      giveBack();
      await this.claims.settle(delivery, chat.etag, { status: 'skipped', reason: 'broadcast cancelled' });
      return DONE;
    }
    // Claimed again for the send, with a fresh hold: a claim that opened the chat becomes this one.
    const claimed = await this.claims
      .claim({ ...delivery, status: 'sending', attempts: delivery.attempts + 1 }, chat.etag)
      .catch((error: Error) => {
        giveBack();
        throw error;
      });
    if (claimed === undefined) {
      giveBack();
      return DONE; // another worker has it
    }
    const answered = await this.deps.tenantLimiter.admit();
    const result = await this.sendWithTimeout(conversation, card).finally(answered);
    return this.record(claimed.delivery, claimed.etag, result);
  }

  private async sendWithTimeout(conversation: ConversationReference, card: Card): Promise<SendResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SendResult>((done) => {
      timer = setTimeout(
        () => done({ kind: 'failed', failure: { code: 'Timeout' }, delivered: 'unknown' }),
        this.deps.timing.sendTimeoutMs,
      );
    });
    try {
      return await Promise.race([this.deps.sender.send(conversation, card), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async record(claimed: Delivery, etag: string, result: SendResult): Promise<Outcome> {
    const now = this.deps.clock.now();
    if (result.kind === 'sent') {
      this.deps.metrics.sent();
      await this.claims.settle(claimed, etag, {
        status: 'sent',
        sentBy: this.deps.senderId,
        sentAt: now.toISOString(),
        activityId: result.activityId,
        reason: undefined,
      });
      return DONE;
    }
    const { failure } = result;
    if (failure.status === 429) this.throttle.throttled(failure.retryAfterMs);
    if (result.delivered === 'unknown') {
      await this.claims.settle(claimed, etag, {
        status: 'unconfirmed',
        reason: `${failure.code ?? 'no answer'}`,
      });
      return DONE;
    }
    const decision = decideAfterFailure(failure, claimed.attempts, this.deps.retry, this.deps.random);
    if (decision.kind === 'retry') {
      const at = new Date(now.getTime() + decision.delayMs);
      await this.claims.settle(claimed, etag, {
        status: 'pending',
        notBefore: at.toISOString(),
        reason: undefined,
      });
      return { kind: 'later', at };
    }
    await this.claims.settle(claimed, etag, { status: decision.kind, reason: decision.reason });
    if (decision.kind === 'gone') {
      this.deps.metrics.gone();
      await this.markUnreachable(claimed, refusalReason(failure.status, false), now);
    } else {
      this.deps.metrics.failed();
    }
    return DONE;
  }

  /** Teams refused a message for them (403: blocked or removed Huddle; 404: gone): not queued again. */
  private async markUnreachable(delivery: Delivery, reason: UnreachableReason, now: Date): Promise<void> {
    const member = await this.deps.members.get(delivery.tenantId, delivery.memberId);
    if (member === undefined) return;
    await this.deps.members.modify(delivery.tenantId, delivery.memberId, (current) => ({
      ...(current ?? member),
      unreachableAt: now.toISOString(),
      unreachableReason: reason,
      updatedAt: now.toISOString(),
    }));
  }

  private broadcast(tenantId: string, id: string): Promise<Broadcast | undefined> {
    return this.broadcastCache.get(id, () => this.deps.broadcasts.get(tenantId, id));
  }
}

/** How much sending, in seconds at the current rate, a worker takes from the queue at once. */
const SECONDS_IN_HAND = 5;

/** Recipients per queue message. */
export const CHUNK_SIZE = 50;
/**
 * A claim outlives the send timeout by this much, so a slow but live send is never taken for dead. A
 * claim to open a chat holds as long: should opening take longer still (Graph's install is three calls),
 * a second worker may open the same chat again, which Teams and Graph answer with the same chat, and only
 * one of the two wins the claim to send.
 */
const CLAIM_SLACK_MS = 5_000;

/**
 * How long a taken item stays hidden between renewals. Short, so a crashed worker's items come back
 * quickly; a recipient whose claim is still live when its item reappears simply waits for the claim.
 */
export const VISIBILITY_SECONDS = 10;
