import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { ThreadMessage } from '../domain/feedback/comment.js';
import type { ThreadStore } from '../domain/feedback/ports.js';
import { toKey } from './keys.js';
import { deleteRowsBefore, jsonColumn, parseRow, readPartition, upsertRow } from './rows.js';

const messageRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  tenantId: z.string(),
  commentId: z.string(),
  id: z.string(),
  from: z.enum(['manager', 'writer']),
  manager: jsonColumn(z.object({ aadObjectId: z.string(), name: z.string() })),
  text: z.string(),
  at: z.string(),
});

/**
 * Follow-ups on comments: PK `<tenant>|<comment id>`, so a thread is one partition; RK the time and the
 * message id, so a partition reads back in the order it was written.
 */
export class ThreadRepository implements ThreadStore {
  constructor(private readonly table: TableClient) {}

  add(message: ThreadMessage): Promise<void> {
    return upsertRow(
      this.table,
      {
        partitionKey: toKey(partitionOf(message.tenantId, message.commentId)),
        rowKey: toKey(rowOf(message)),
        tenantId: message.tenantId,
        commentId: message.commentId,
        id: message.id,
        from: message.from,
        manager: JSON.stringify(message.manager),
        text: message.text,
        at: message.at,
      },
      'follow-up message',
    );
  }

  list(tenantId: string, commentId: string): Promise<ThreadMessage[]> {
    return readPartition(this.table, partitionOf(tenantId, commentId), 'follow-up message', fromEntity);
  }

  /** Retention: removes messages written before `cutoff` (ISO); returns how many. */
  deleteBefore(cutoff: string): Promise<number> {
    return deleteRowsBefore(this.table, cutoff, 'follow-up message');
  }
}

const partitionOf = (tenantId: string, commentId: string) => `${tenantId}|${commentId}`;
const rowOf = (message: ThreadMessage) => `${message.at}|${message.id}`;

function fromEntity(entity: unknown): ThreadMessage {
  const { partitionKey: _, rowKey: __, ...row } = parseRow(messageRow, entity, 'follow-up message');
  return row;
}
