import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { COMMENT_SOURCES, type Comment, type CommentRef } from '../domain/feedback/comment.js';
import type { CommentStore } from '../domain/feedback/ports.js';
import {
  type CommentAnalysis,
  RESISTANCE_KINDS,
  RESISTANCE_LEVELS,
  THEMES,
  type Theme,
} from '../domain/feedback/themes.js';
import { statusOf, toStorageError } from './errors.js';
import { groupsSchema } from './groupColumns.js';
import { fromKey, toKey, weekPartition } from './keys.js';
import { deleteWeeksBefore, jsonColumn, modifyRow, parseRow, replaceRow, upsertRow } from './rows.js';

const commentRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  tenantId: z.string(),
  initiativeId: z.string().optional(),
  broadcastId: z.string().optional(),
  source: z.enum(COMMENT_SOURCES),
  pulseId: z.string().optional(),
  round: z.number().int().min(1).optional(),
  text: z.string(),
  anonymous: z.boolean(),
  author: jsonColumn(z.object({ aadObjectId: z.string(), name: z.string() })).optional(),
  groups: jsonColumn(groupsSchema),
  week: z.string(),
  day: z.string(),
  analysis: jsonColumn(
    z.object({
      primaryTheme: z.enum(THEMES),
      themes: z.array(z.enum(THEMES)),
      sentiment: z.number().min(-1).max(1),
      resistance: z.enum(RESISTANCE_LEVELS),
      resistanceKind: z.enum(RESISTANCE_KINDS).optional(),
      safeguarding: z.boolean(),
      by: z.enum(['local', 'model']),
    }),
  ).optional(),
  escalationId: z.string().optional(),
  replyHandle: z.string().optional(),
  tags: jsonColumn(z.array(z.enum(THEMES))).optional(),
  managerTheme: z.enum(THEMES).optional(),
});

/**
 * Comments: PK `<tenant>|<initiative or "general">|<ISO week>`, so one week of one initiative is one
 * partition (DESIGN.md) and tenants never share a partition. RK is a random id, not a time, for the same
 * reason anonymous comments carry only their day.
 */
export class CommentRepository implements CommentStore {
  constructor(private readonly table: TableClient) {}

  add(comment: Comment): Promise<void> {
    return upsertRow(this.table, toEntity(comment), 'comment');
  }

  async get(where: CommentRef): Promise<Comment | undefined> {
    return (await this.read(where))?.value;
  }

  /** A scan of the tenant's partitions, filtered by day: a few weeks of comments are a few hundred rows. */
  async recent(tenantId: string, sinceDay: string): Promise<Comment[]> {
    const tenant = toKey(tenantId);
    const found = await this.listWhere(
      odata`PartitionKey gt ${`${tenant}|`} and PartitionKey lt ${`${tenant}}`} and day ge ${sinceDay}`,
    );
    return found.sort((a, b) => b.day.localeCompare(a.day));
  }

  async dropReplyHandle(where: CommentRef): Promise<void> {
    await this.modify(where, (current) =>
      current.replyHandle === undefined ? undefined : { ...current, replyHandle: undefined },
    );
  }

  async setEscalation(
    where: CommentRef,
    escalationId: string,
    { keepReplyHandle } = { keepReplyHandle: false },
  ): Promise<void> {
    await this.modify(where, (current) =>
      current.escalationId === escalationId
        ? undefined
        : { ...current, escalationId, replyHandle: keepReplyHandle ? current.replyHandle : undefined },
    );
  }

  async setReading(where: CommentRef, analysis: CommentAnalysis): Promise<void> {
    await this.modify(where, (current) => ({ ...current, analysis }));
  }

  async dropEscalation(where: CommentRef, escalationId: string): Promise<void> {
    await this.modify(where, (current) =>
      current.escalationId === escalationId ? { ...current, escalationId: undefined } : undefined,
    );
  }

  async setManagerTheme(where: CommentRef, theme: Theme): Promise<Comment | undefined> {
    return this.modify(where, (current) => ({ ...current, managerTheme: theme }));
  }

  /** Read-change-write of one comment; `undefined` when it is gone. */
  private async modify(where: CommentRef, change: (current: Comment) => Comment | undefined) {
    const result = await modifyRow(
      () => this.read(where),
      (next, etag) => replaceRow(this.table, toEntity(next), etag, 'comment'),
      change,
    );
    return result?.value;
  }

  /** Retention: removes the reply handles of comments written before `day`; returns how many. */
  async dropHandlesBefore(day: string): Promise<number> {
    const expired = await this.listWhere(odata`day lt ${day} and replyHandle gt ${''}`);
    for (const comment of expired) await this.dropReplyHandle(comment);
    return expired.length;
  }

  private async listWhere(filter: string): Promise<Comment[]> {
    const found: Comment[] = [];
    try {
      for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
        found.push(fromEntity(entity));
      }
    } catch (error) {
      throw toStorageError('listing comments', error);
    }
    return found;
  }

  private async read(where: CommentRef): Promise<{ value: Comment; etag: string } | undefined> {
    let entity: { etag: string };
    try {
      entity = await this.table.getEntity(
        weekPartition(where.tenantId, where.initiativeId, where.week),
        toKey(where.id),
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw toStorageError('reading a comment', error);
    }
    return { value: fromEntity(entity), etag: entity.etag };
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
      found.push(
        ...(await this.listWhere(
          odata`PartitionKey eq ${weekPartition(tenantId, initiativeId, week)} and broadcastId eq ${broadcastId}`,
        )),
      );
    }
    return found;
  }

  async inWeeks(
    tenantId: string,
    initiativeId: string | undefined,
    weeks: readonly string[],
    afterDay: string,
  ): Promise<Comment[]> {
    const found: Comment[] = [];
    for (const week of weeks) {
      found.push(
        ...(await this.listWhere(
          odata`PartitionKey eq ${weekPartition(tenantId, initiativeId, week)} and day gt ${afterDay}`,
        )),
      );
    }
    return found;
  }

  forPulse(
    tenantId: string,
    initiativeId: string | undefined,
    week: string,
    pulseId: string,
  ): Promise<Comment[]> {
    return this.listWhere(
      odata`PartitionKey eq ${weekPartition(tenantId, initiativeId, week)} and pulseId eq ${pulseId}`,
    );
  }

  /** Retention: removes comments written before `week`; returns how many. */
  deleteWeeksBefore(week: string): Promise<number> {
    return deleteWeeksBefore(this.table, week, 'comment');
  }

  async remove(where: CommentRef): Promise<void> {
    try {
      await this.table.deleteEntity(
        weekPartition(where.tenantId, where.initiativeId, where.week),
        toKey(where.id),
      );
    } catch (error) {
      if (statusOf(error) !== 404) throw toStorageError('removing a comment', error);
    }
  }
}

function toEntity(comment: Comment) {
  return {
    partitionKey: weekPartition(comment.tenantId, comment.initiativeId, comment.week),
    rowKey: toKey(comment.id),
    tenantId: comment.tenantId,
    initiativeId: comment.initiativeId,
    broadcastId: comment.broadcastId,
    pulseId: comment.pulseId,
    round: comment.round,
    source: comment.source,
    text: comment.text,
    anonymous: comment.anonymous,
    author: comment.author === undefined ? undefined : JSON.stringify(comment.author),
    groups: JSON.stringify(comment.groups),
    week: comment.week,
    day: comment.day,
    analysis: comment.analysis === undefined ? undefined : JSON.stringify(comment.analysis),
    escalationId: comment.escalationId,
    replyHandle: comment.replyHandle,
    tags: comment.tags === undefined || comment.tags.length === 0 ? undefined : JSON.stringify(comment.tags),
    managerTheme: comment.managerTheme,
  };
}

function fromEntity(entity: unknown): Comment {
  const { partitionKey: _, rowKey, ...row } = parseRow(commentRow, entity, 'comment');
  return { ...row, id: fromKey(rowKey) };
}
