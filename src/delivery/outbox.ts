import { ANONYMOUS_RECIPIENT, type Broadcast, type Delivery } from '../domain/broadcast.js';
import type { Member } from '../domain/member.js';
import type { DeliveryRepository } from '../storage/deliveryRepository.js';
import type { OutboxQueue } from '../storage/outboxQueue.js';
import { CHUNK_SIZE } from './worker.js';

/** Queue writes in flight at once while enqueueing a large audience. */
const PARALLEL_PUTS = 8;

/**
 * Puts a broadcast in the outbox: one delivery row per recipient (existing rows are left alone, so doing
 * this twice after a crash is harmless), then work items of up to `CHUNK_SIZE` recipients on the queue.
 * Rows first: a work item whose row is missing would be dropped as done. For a comment's writer
 * (`anonymous`, one recipient) the row is keyed `ANONYMOUS_RECIPIENT` and storage seals who it is for.
 */
export async function enqueueBroadcast(
  outbox: { deliveries: DeliveryRepository; queue: OutboxQueue },
  broadcast: Broadcast,
  recipients: readonly Member[],
  { anonymous }: { anonymous: boolean },
): Promise<void> {
  const deliveries: Delivery[] = recipients.flatMap((member) =>
    member.personalConversation === undefined
      ? []
      : [
          {
            broadcastId: broadcast.id,
            tenantId: broadcast.tenantId,
            memberId: anonymous ? ANONYMOUS_RECIPIENT : member.aadObjectId,
            anonymousRecipient: anonymous ? true : undefined,
            status: 'pending',
            attempts: 0,
            conversation: member.personalConversation,
            locale: member.locale,
            timeZone: member.timeZone,
            quietHours: member.quietHours,
            groups: member.groups,
          },
        ],
  );
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
