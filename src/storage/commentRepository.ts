import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { Comment } from '../domain/comment.js';
import { toStorageError } from './errors.js';
import { groupsSchema } from './groupColumns.js';
import { fromKey, toKey } from './keys.js';
import { jsonColumn, parseRow, upsertRow } from './rows.js';

const commentRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  tenantId: z.string(),
  initiativeId: z.string().optional(),
  broadcastId: z.string().optional(),
  source: z.literal('concern'),
  text: z.string(),
  anonymous: z.boolean(),
  author: jsonColumn(z.object({ aadObjectId: z.string(), name: z.string() })).optional(),
  groups: jsonColumn(groupsSchema),
  week: z.string(),
  day: z.string(),
});

/**
 * Comments: PK `<tenant>|<initiative or "general">|<ISO week>`, so one week of one initiative is one
 * partition (DESIGN.md) and tenants never share a partition. RK is a random id, not a time, for the same
 * reason anonymous comments carry only their day.
 */
export class CommentRepository {
  constructor(private readonly table: TableClient) {}

  add(comment: Comment): Promise<void> {
    return upsertRow(
      this.table,
      {
        partitionKey: partitionOf(comment.tenantId, comment.initiativeId, comment.week),
        rowKey: toKey(comment.id),
        tenantId: comment.tenantId,
        initiativeId: comment.initiativeId,
        broadcastId: comment.broadcastId,
        source: comment.source,
        text: comment.text,
        anonymous: comment.anonymous,
        author: comment.author === undefined ? undefined : JSON.stringify(comment.author),
        groups: JSON.stringify(comment.groups),
        week: comment.week,
        day: comment.day,
      },
      'comment',
    );
  }

  /** Concerns raised about one broadcast, looking in the weeks it could have been answered in. */
  async forBroadcast(
    tenantId: string,
    initiativeId: string | undefined,
    weeks: readonly string[],
    broadcastId: string,
  ): Promise<Comment[]> {
    const found: Comment[] = [];
    for (const week of weeks) {
      const filter = odata`PartitionKey eq ${partitionOf(tenantId, initiativeId, week)} and broadcastId eq ${broadcastId}`;
      try {
        for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
          found.push(fromEntity(entity));
        }
      } catch (error) {
        throw toStorageError('listing comments', error);
      }
    }
    return found;
  }
}

const partitionOf = (tenantId: string, initiativeId: string | undefined, week: string) =>
  `${toKey(tenantId)}|${toKey(initiativeId ?? 'general')}|${week}`;

function fromEntity(entity: unknown): Comment {
  const { partitionKey: _, rowKey, ...row } = parseRow(commentRow, entity, 'comment');
  return { ...row, id: fromKey(rowKey) };
}
