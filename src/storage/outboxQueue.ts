import { z } from 'zod';
import type { ResolvedStorage } from './account.js';
import { openWorkQueue, type Taken, type WorkQueue } from './workQueue.js';

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
export type TakenItem = Taken<WorkItem>;
/** The outbox's queue: the delivery rows decide what is done. */
export type OutboxQueue = WorkQueue<WorkItem>;

export const OUTBOX_QUEUE = 'outbox';

export const openOutboxQueue = (storage: ResolvedStorage, prefix: string): Promise<OutboxQueue> =>
  openWorkQueue(storage, prefix, OUTBOX_QUEUE, workItemSchema, 'outbox work');
