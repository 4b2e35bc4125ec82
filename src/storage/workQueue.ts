import { type QueueClient, QueueServiceClient } from '@azure/storage-queue';
import type { z } from 'zod';
import { credential, type ResolvedStorage, serviceUrl } from './account.js';
import { toStorageError } from './errors.js';

/** A work item taken from the queue, invisible to other workers until its visibility ends. */
export interface Taken<T> {
  /** `undefined` when the message was not a valid work item; it is removed without being acted on. */
  item: T | undefined;
  dequeueCount: number;
  messageId: string;
  popReceipt: string;
}

/** Azure's limits: 32 messages per receive, 7 days of initial invisibility. */
const MAX_TAKE = 32;
const MAX_DELAY_SECONDS = 7 * 24 * 3600;

/**
 * Work for any process to take, in an Azure Queue (Azurite locally). Messages never expire: what the work
 * is about (delivery rows, a stored comment) decides when it is done. Messages are read back from storage
 * that other processes (and people with storage access) can write, so each is parsed with `schema`, like
 * any other untrusted input. `what` names the work in errors ("outbox work").
 */
export class WorkQueue<T> {
  constructor(
    private readonly queue: QueueClient,
    private readonly schema: z.ZodType<T>,
    readonly what: string,
  ) {}

  async put(item: T, delaySeconds = 0): Promise<void> {
    try {
      await this.queue.sendMessage(JSON.stringify(item), {
        visibilityTimeout: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))),
        messageTimeToLive: -1,
      });
    } catch (error) {
      throw toStorageError(`queueing ${this.what}`, error);
    }
  }

  async take(max: number, visibilitySeconds: number): Promise<Taken<T>[]> {
    let received: Awaited<ReturnType<QueueClient['receiveMessages']>>;
    try {
      received = await this.queue.receiveMessages({
        numberOfMessages: Math.max(1, Math.min(MAX_TAKE, max)),
        visibilityTimeout: visibilitySeconds,
      });
    } catch (error) {
      throw toStorageError(`taking ${this.what}`, error);
    }
    return received.receivedMessageItems.map((message) => ({
      item: this.parse(message.messageText),
      dequeueCount: message.dequeueCount,
      messageId: message.messageId,
      popReceipt: message.popReceipt,
    }));
  }

  /** Removes a finished item. Already gone (another worker finished it after it reappeared) is fine. */
  async done(taken: Taken<T>): Promise<void> {
    try {
      await this.queue.deleteMessage(taken.messageId, taken.popReceipt);
    } catch (error) {
      const failure = toStorageError(`finishing ${this.what}`, error);
      if (failure.statusCode !== 404) throw failure;
    }
  }

  /**
   * Keeps an item invisible for another `visibilitySeconds` while its worker is still on it. Azure gives a
   * new pop receipt each time, which `taken` then carries. False when the item is gone or was taken by
   * another worker meanwhile (its receipt no longer matches).
   */
  async extend(taken: Taken<T>, visibilitySeconds: number): Promise<boolean> {
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
      const failure = toStorageError(`extending ${this.what}`, error);
      if (failure.statusCode === 404 || failure.statusCode === 400) return false;
      throw failure;
    }
  }

  /** How many items wait (approximate, as Azure reports it); for tests and the benchmark. */
  async approximateLength(): Promise<number> {
    const properties = await this.queue.getProperties();
    return properties.approximateMessagesCount ?? 0;
  }

  private parse(text: string): T | undefined {
    try {
      const parsed = this.schema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Queue names are lower-case letters, digits and hyphens: `<prefix>-<name>`. */
export async function openWorkQueue<T>(
  storage: ResolvedStorage,
  prefix: string,
  name: string,
  schema: z.ZodType<T>,
  what: string,
): Promise<WorkQueue<T>> {
  const service =
    storage.kind === 'connectionString'
      ? QueueServiceClient.fromConnectionString(storage.connectionString)
      : new QueueServiceClient(serviceUrl(storage.accountName, 'queue'), credential(storage.clientId));
  const queueName = `${prefix.toLowerCase()}-${name}`;
  const queue = service.getQueueClient(queueName);
  try {
    await queue.createIfNotExists();
  } catch (error) {
    throw toStorageError(`creating queue ${queueName}`, error);
  }
  return new WorkQueue(queue, schema, what);
}
