import { z } from 'zod';
import type { CommentRef } from '../domain/feedback/comment.js';
import type { ResolvedStorage } from './account.js';
import { openWorkQueue, type WorkQueue } from './workQueue.js';

/** A comment to read again (see `readAgain`): where it is stored, nothing of its words or its writer. */
const readingItemSchema = z.object({
  tenantId: z.string().min(1).max(128),
  initiativeId: z.string().min(1).max(128).optional(),
  week: z.string().regex(/^\d{4}-W\d{2}$/),
  id: z.string().min(1).max(128),
}) satisfies z.ZodType<CommentRef>;

export type ReadingQueue = WorkQueue<CommentRef>;

export const openReadingQueue = (storage: ResolvedStorage, prefix: string): Promise<ReadingQueue> =>
  openWorkQueue(storage, prefix, 'readings', readingItemSchema, 'a second reading');
