import { type QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { z } from 'zod';
import { credential, type ResolvedStorage, serviceUrl } from './account.js';
import { toStorageError } from './errors.js';

/**
 * One unit of outbox work: some recipients of one broadcast. Queue messages are read back from storage
 * that other processes (and people with storage access) can write, so they are parsed like any other
 * untrusted input.
 */
export const workItemSchema = z.object({
  tenantId: z.string().min(1).max(128),
  broadcastId: z.string().min(1).max(64),
  memberIds: z.array(z.string().min(1).max(128)).min(1).max(64),
});
export type WorkItem = z.infer<typeof workItemSchema>;

/** A work item taken from the queue, invisible to other workers until `visibleAgainAt`. */
export interface TakenItem {
  /** `undefined` when the message was not a valid work item; it is removed without being acted on. */
  item: WorkItem | undefined;
  dequeueCount: number;
  messageId: string;
  popReceipt: string;
}

/** Azure's limits: 32 messages per receive, 7 days of initial invisibility. */
export const MAX_TAKE = 32;
const MAX_DELAY_SECONDS = 7 * 24 * 3600;

/** The outbox's Azure Queue (Azurite locally). Messages never expire: the delivery rows decide what is done. */
export class OutboxQueue {
  constructor(private readonly queue: QueueClient) {}

  async put(item: WorkItem, delaySeconds = 0): Promise<void> {
    try {
      await this.queue.sendMessage(JSON.stringify(item), {
        visibilityTimeout: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))),
        messageTimeToLive: -1,
      });
    } catch (error) {
      throw toStorageError('queueing outbox work', error);
    }
  }

  async take(max: number, visibilitySeconds: number): Promise<TakenItem[]> {
    let received: Awaited<ReturnType<QueueClient['receiveMessages']>>;
    try {
      received = await this.queue.receiveMessages({
        numberOfMessages: Math.max(1, Math.min(MAX_TAKE, max)),
        visibilityTimeout: visibilitySeconds,
      });
    } catch (error) {
      throw toStorageError('taking outbox work', error);
    }
    return received.receivedMessageItems.map((message) => ({
      item: parseItem(message.messageText),
      dequeueCount: message.dequeueCount,
      messageId: message.messageId,
      popReceipt: message.popReceipt,
    }));
  }

  /** Removes a finished item. Already gone (another worker finished it after it reappeared) is fine. */
  async done(taken: TakenItem): Promise<void> {
    try {
      await this.queue.deleteMessage(taken.messageId, taken.popReceipt);
    } catch (error) {
      const failure = toStorageError('finishing outbox work', error);
      if (failure.statusCode !== 404) throw failure;
    }
  }

  /**
   * Keeps an item invisible for another `visibilitySeconds` while its worker is still on it. Azure gives a
   * new pop receipt each time, which `taken` then carries. False when the item is gone or was taken by
   * another worker meanwhile (its receipt no longer matches).
   */
  async extend(taken: TakenItem, visibilitySeconds: number): Promise<boolean> {
    try {
      const result = await this.queue.updateMessage(
        taken.messageId,
        taken.popReceipt,
        undefined,
        visibilitySeconds,
      );
      if (result.popReceipt !== undefined) taken.popReceipt = result.popReceipt;
      return true;
    } catch (error) {
      const failure = toStorageError('extending outbox work', error);
      if (failure.statusCode === 404 || failure.statusCode === 400) return false;
      throw failure;
    }
  }

  /** How many items wait (approximate, as Azure reports it); for tests and the benchmark. */
  async approximateLength(): Promise<number> {
    const properties = await this.queue.getProperties();
    return properties.approximateMessagesCount ?? 0;
  }
}

function parseItem(text: string): WorkItem | undefined {
  try {
    const parsed = workItemSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Queue names are lower-case letters, digits and hyphens. */
export const outboxQueueName = (prefix: string) => `${prefix.toLowerCase()}-outbox`;

export async function openOutboxQueue(storage: ResolvedStorage, prefix: string): Promise<OutboxQueue> {
  const service =
    storage.kind === 'connectionString'
      ? QueueServiceClient.fromConnectionString(storage.connectionString)
      : new QueueServiceClient(serviceUrl(storage.accountName, 'queue'), credential(storage.clientId));
  const queue = service.getQueueClient(outboxQueueName(prefix));
  try {
    await queue.createIfNotExists();
  } catch (error) {
    throw toStorageError(`creating queue ${outboxQueueName(prefix)}`, error);
  }
  return new OutboxQueue(queue);
}
