import type { Logger } from 'pino';
import type { Card } from '../cards/render.js';
import type { Broadcast, Delivery } from '../domain/broadcasts/broadcast.js';
import { decideAfterFailure, type RetryPolicy } from '../domain/broadcasts/deliveryPolicy.js';
import type { ConversationReference } from '../domain/people/member.js';
import type { InstallationStore, MemberStore } from '../domain/people/ports.js';
import type { ReachPolicy } from '../domain/people/reach.js';
import type { Clock } from '../domain/shared/ports.js';
import type { DeliveryClaims, HeldDelivery } from './deliveryClaims.js';
import { personalChatOf } from './personalChats.js';
import {
  type AppInstaller,
  conversationIdOf,
  type DeliveryMetrics,
  type OpenResult,
  type ProactiveSender,
} from './ports.js';
import type { ConversationRateLimiter, TenantRateLimiter } from './rateLimiter.js';
import { DONE, type Outcome } from './recipientOutcome.js';
import type { ThrottleSignal } from './throttleSignal.js';

export interface ChatOpenerDeps {
  members: MemberStore;
  /** Where to find the team through which a personal chat is opened. */
  installations: InstallationStore;
  sender: ProactiveSender;
  /** Installs Huddle for people Teams gives no way to; absent while proactive installation is off. */
  installer?: AppInstaller | undefined;
  /** Whom Huddle may install itself for. */
  reach: ReachPolicy;
  /** What the sending manager is told when Graph refuses to install Huddle for want of consent. */
  installRefusedNotice: (broadcast: Broadcast) => Card;
  tenantLimiter: TenantRateLimiter;
  conversationLimiter: ConversationRateLimiter;
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  random: () => number;
  metrics: DeliveryMetrics;
  claims: DeliveryClaims;
  throttle: ThrottleSignal;
  /** False once the worker is stopping: nothing more is asked of Teams. */
  running: () => boolean;
}

/**
 * The chat to send in, with the row as this worker last wrote or read it (holding its claim, if it opened
 * the chat) and the chat on it; or what became of the recipient.
 */
export type ChatForSend = (HeldDelivery & { conversation: ConversationReference }) | { outcome: Outcome };

/**
 * Finds the conversation a recipient's card goes to, opening their personal chat (through a team they
 * share with Huddle, or by installing Huddle for them) when there is none yet, and settles their row when
 * it cannot be had.
 */
export class ChatOpener {
  constructor(private readonly deps: ChatOpenerDeps) {}

  /**
   * The recipient's conversation: the one stored when they were queued or, for someone Huddle shares only
   * a team with, their personal chat, opened now (or by an earlier send) and stored on the member. Teams'
   * refusal settles the row as gone; a throttled or failed opening is retried like a send. Teams or
   * Graph is asked only once the row is claimed, so a person queued twice (a work item back after a
   * slow storage answer, or two workers) has one chat opened, by the claim's holder; the other leaves
   * them to it.
   */
  async chatFor(broadcast: Broadcast, delivery: Delivery, etag: string): Promise<ChatForSend> {
    if (delivery.conversation !== undefined) {
      return { delivery, etag, conversation: delivery.conversation };
    }
    const { installer, sender, claims } = this.deps;
    let held: HeldDelivery | undefined;
    let claiming: Promise<boolean> | undefined;
    const claim = () => {
      claiming ??= claims.claim(delivery, etag).then((claimed) => {
        held = claimed;
        return claimed !== undefined;
      });
      return claiming;
    };
    const chat = await personalChatOf(
      {
        ...this.deps,
        claim,
        open: (team, userId, tenantId) => this.open(broadcast, team, userId, tenantId),
        chatReference: (...reference) => sender.chatReference(...reference),
        install:
          installer === undefined
            ? undefined
            : { installer, policy: this.deps.reach, fallback: broadcast.managerConversation },
      },
      delivery.tenantId,
      delivery.memberId,
    );
    if (chat.kind === 'taken') return { outcome: DONE };
    // Written from here on by the claim's ETag when this worker claimed the row.
    const row = held ?? { delivery, etag };
    if (chat.kind === 'open') {
      const { conversation } = chat;
      return { delivery: { ...row.delivery, conversation }, etag: row.etag, conversation };
    }
    if (chat.kind === 'unreachable') {
      this.deps.metrics.gone();
      await claims.settle(row.delivery, row.etag, {
        status: 'gone',
        reason: `no personal chat: ${chat.reason}`,
      });
      if (chat.firstRefusal) await this.tellInstallRefused(broadcast);
      return { outcome: DONE };
    }
    // Stopping while waiting for a rate slot: the claim is let go and the item reappears for another.
    if (!this.deps.running()) {
      await claims.release(row);
      return { outcome: { kind: 'abandoned' } };
    }
    const { failure } = chat;
    // Graph's throttling slows installations only (its Retry-After pauses the installer's own pace).
    if (failure.status === 429 && chat.by === 'teams') this.deps.throttle.throttled(failure.retryAfterMs);
    const attempts = delivery.attempts + 1;
    const decision = decideAfterFailure(failure, attempts, this.deps.retry, this.deps.random);
    if (decision.kind === 'retry') {
      const at = new Date(this.deps.clock.now().getTime() + decision.delayMs);
      await claims.settle(row.delivery, row.etag, { attempts, notBefore: at.toISOString() });
      return { outcome: { kind: 'later', at } };
    }
    this.deps.metrics.failed();
    await claims.settle(row.delivery, row.etag, {
      status: 'failed',
      attempts,
      reason: `opening chat: ${decision.reason}`,
    });
    return { outcome: DONE };
  }

  /** Opening a chat is a request to Teams like a send, and counts against the tenant's rate the same way. */
  private async open(
    broadcast: Broadcast,
    team: ConversationReference,
    teamsUserId: string,
    tenantId: string,
  ): Promise<OpenResult> {
    const giveBack = await this.deps.tenantLimiter.acquire(broadcast.urgent);
    if (!this.deps.running()) {
      giveBack();
      return { kind: 'failed', failure: { code: 'Stopping' } };
    }
    const answered = await this.deps.tenantLimiter.admit();
    return this.deps.sender.openPersonalChat(team, teamsUserId, tenantId).finally(answered);
  }

  /**
   * Graph refused to install Huddle for want of an admin's consent: the manager sending hears it once, in
   * their chat, with what the admin must do; `reach` and the previews say it from then on.
   */
  private async tellInstallRefused(broadcast: Broadcast): Promise<void> {
    this.deps.logger.warn(
      { tenantId: broadcast.tenantId },
      'Graph refused to install Huddle: TeamsAppInstallation.ReadWriteSelfForUser.All is not granted',
    );
    const conversation = broadcast.managerConversation;
    if (conversation === undefined) return;
    await this.deps.conversationLimiter.acquire(conversationIdOf(conversation));
    await this.deps.tenantLimiter.acquire(true);
    const answered = await this.deps.tenantLimiter.admit();
    const result = await this.deps.sender
      .send(conversation, this.deps.installRefusedNotice(broadcast))
      .finally(answered);
    if (result.kind === 'failed') {
      this.deps.logger.warn({ failure: result.failure }, 'could not tell the manager installing was refused');
    }
  }
}
