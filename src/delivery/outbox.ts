import type { Broadcast, Delivery } from '../domain/broadcast.js';
import type { Member } from '../domain/member.js';
import type { DeliveryRepository } from '../storage/deliveryRepository.js';
import type { OutboxQueue } from '../storage/outboxQueue.js';
import { CHUNK_SIZE } from './worker.js';

/** Queue writes in flight at once while enqueueing a large audience. */
const PARALLEL_PUTS = 8;

/**
 * Puts a broadcast in the outbox: one delivery row per recipient (existing rows are left alone, so doing
 * this twice after a crash is harmless), then work items of up to `CHUNK_SIZE` recipients on the queue.
 * Rows first: a work item whose row is missing would be dropped as done.
 */
export async function enqueueBroadcast(
  outbox: { deliveries: DeliveryRepository; queue: OutboxQueue },
  broadcast: Broadcast,
  recipients: readonly Member[],
): Promise<void> {
  const deliveries: Delivery[] = recipients.flatMap((member) =>
    member.personalConversation === undefined
      ? []
      : [
          {
            broadcastId: broadcast.id,
            tenantId: broadcast.tenantId,
            memberId: member.aadObjectId,
            status: 'pending',
            attempts: 0,
            conversation: member.personalConversation,
            locale: member.locale,
            timeZone: member.timeZone,
            quietHours: member.quietHours,
          },
        ],
  );
  await outbox.deliveries.createMissing(deliveries);
  const chunks: string[][] = [];
  for (let start = 0; start < deliveries.length; start += CHUNK_SIZE) {
    chunks.push(deliveries.slice(start, start + CHUNK_SIZE).map((delivery) => delivery.memberId));
  }
  for (let start = 0; start < chunks.length; start += PARALLEL_PUTS) {
    await Promise.all(
      chunks
        .slice(start, start + PARALLEL_PUTS)
        .map((memberIds) =>
          outbox.queue.put({ tenantId: broadcast.tenantId, broadcastId: broadcast.id, memberIds }),
        ),
    );
  }
}
