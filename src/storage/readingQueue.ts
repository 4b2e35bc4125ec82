import { z } from 'zod';
import type { WordsRef } from '../domain/feedback/comment.js';
import type { ResolvedStorage } from './account.js';
import { openWorkQueue, type WorkQueue } from './workQueue.js';

/** Words to read again (see `readAgain`): where they are stored, nothing of the words or their writer. */
const readingItemSchema = z.object({
  tenantId: z.string().min(1).max(128),
  initiativeId: z.string().min(1).max(128).optional(),
  week: z.string().regex(/^\d{4}-W\d{2}$/),
  id: z.string().min(1).max(128),
  messageId: z.string().min(1).max(128).optional(),
}) satisfies z.ZodType<WordsRef>;

export type ReadingQueue = WorkQueue<WordsRef>;

export const openReadingQueue = (storage: ResolvedStorage, prefix: string): Promise<ReadingQueue> =>
  openWorkQueue(storage, prefix, 'readings', readingItemSchema, 'a second reading');
