import { ANONYMOUS_RECIPIENT, type Broadcast, type Delivery } from '../domain/broadcasts/broadcast.js';
import type { ConversationReference, Member, MemberGroups, QuietHours } from '../domain/people/member.js';
import type { DeliveryRepository } from '../storage/deliveryRepository.js';
import type { OutboxQueue } from '../storage/outboxQueue.js';
import { CHUNK_SIZE } from './worker.js';

/** Queue writes in flight at once while enqueueing a large audience. */
const PARALLEL_PUTS = 8;

/** Where one copy of a broadcast goes, as its delivery row keeps it: a person's chat, or a team channel. */
export interface Recipient {
  /** The delivery's row key: a member id, `ANONYMOUS_RECIPIENT`, or `channelRecipient(...)`. */
  id: string;
  /** A comment's writer: storage seals who the row is for. */
  anonymous?: boolean | undefined;
  /** Absent: a personal chat the worker opens at the first send (see `Delivery.conversation`). */
  conversation?: ConversationReference | undefined;
  locale: string;
  timeZone: string;
  quietHours: QuietHours;
  groups?: MemberGroups | undefined;
}

/**
 * Members as recipients in their personal chats; a chat not opened yet is opened at the first send. An
 * anonymous recipient's row cannot name them, so the worker could not store a chat it opened: someone
 * without one is left out.
 */
export const inPersonalChats = (members: readonly Member[], { anonymous = false } = {}): Recipient[] =>
  members.flatMap((member) =>
    anonymous && member.personalConversation === undefined
      ? []
      : [
          {
            id: anonymous ? ANONYMOUS_RECIPIENT : member.aadObjectId,
            anonymous: anonymous ? true : undefined,
            conversation: member.personalConversation,
            locale: member.locale,
            timeZone: member.timeZone,
            quietHours: member.quietHours,
            groups: member.groups,
          },
        ],
  );

/** The row key of a post in a team channel; it cannot clash with a member's AAD object id. */
export const channelRecipient = (conversationId: string) => `channel:${conversationId}`;

/**
 * Puts a broadcast in the outbox: one delivery row per recipient (existing rows are left alone, so doing
 * this twice after a crash is harmless), then work items of up to `CHUNK_SIZE` recipients on the queue.
 * Rows first: a work item whose row is missing would be dropped as done.
 */
export async function enqueueBroadcast(
  outbox: { deliveries: DeliveryRepository; queue: OutboxQueue },
  broadcast: Broadcast,
  recipients: readonly Recipient[],
): Promise<void> {
  const deliveries: Delivery[] = recipients.map((recipient) => ({
    broadcastId: broadcast.id,
    tenantId: broadcast.tenantId,
    memberId: recipient.id,
    anonymousRecipient: recipient.anonymous,
    status: 'pending',
    attempts: 0,
    conversation: recipient.conversation,
    locale: recipient.locale,
    timeZone: recipient.timeZone,
    quietHours: recipient.quietHours,
    groups: recipient.groups,
  }));
  await outbox.deliveries.createMissing(deliveries);
  await queueRecipients(
    outbox.queue,
    broadcast.tenantId,
    broadcast.id,
    deliveries.map((delivery) => delivery.memberId),
  );
}

/** Work items of up to `CHUNK_SIZE` recipients; their delivery rows must exist already. */
export async function queueRecipients(
  queue: OutboxQueue,
  tenantId: string,
  broadcastId: string,
  memberIds: readonly string[],
): Promise<void> {
  const chunks: string[][] = [];
  for (let start = 0; start < memberIds.length; start += CHUNK_SIZE) {
    chunks.push(memberIds.slice(start, start + CHUNK_SIZE));
  }
  for (let start = 0; start < chunks.length; start += PARALLEL_PUTS) {
    await Promise.all(
      chunks
        .slice(start, start + PARALLEL_PUTS)
        .map((ids) => queue.put({ tenantId, broadcastId, memberIds: ids })),
    );
  }
}
