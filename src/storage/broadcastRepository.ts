import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { BROADCAST_STATUSES, type Broadcast, DIGEST_VIEWS } from '../domain/broadcasts/broadcast.js';
import { ConcurrencyError, toStorageError } from './errors.js';
import { broadcastAudienceSchema, groupsSchema } from './groupColumns.js';
import { fromKey, toKey } from './keys.js';
import { jsonColumn, modifyRow, parseRow, readPartition, readRow } from './rows.js';

const figures = z.object({
  recipients: z.number(),
  sent: z.number(),
  failed: z.number(),
  gone: z.number(),
  pending: z.number(),
  waiting: z.number(),
  skipped: z.number(),
  unconfirmed: z.number(),
  acknowledged: z.number(),
  concerns: z.number(),
});

const broadcastRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string(),
  initiativeId: z.string().optional(),
  stageIndex: z.number().int().min(0).optional(),
  content: jsonColumn(
    z.object({
      headline: z.string(),
      message: z.string(),
      initiativeTitle: z.string().optional(),
      why: z.string().optional(),
      whatItMeans: z.string().optional(),
      from: z.string().optional(),
      until: z.string().optional(),
      whoToAsk: z.array(z.string()).optional(),
      champions: z.array(z.object({ name: z.string(), groups: groupsSchema })).optional(),
      imageUrl: z.string().optional(),
      link: z.string().optional(),
      loop: z.enum(['willDo', 'done']).optional(),
    }),
  ),
  alert: jsonColumn(z.object({ escalationId: z.string(), number: z.number().int().min(1) })).optional(),
  followUp: jsonColumn(
    z.object({
      initiativeId: z.string().optional(),
      week: z.string(),
      commentId: z.string(),
      messageId: z.string(),
    }),
  ).optional(),
  question: jsonColumn(
    z.object({
      escalationId: z.string(),
      token: z.string(),
      initiativeId: z.string().optional(),
      week: z.string(),
      commentId: z.string(),
    }),
  ).optional(),
  pulse: jsonColumn(
    z.object({ pulseId: z.string(), round: z.number().int().min(1), send: z.enum(['open', 'reminder']) }),
  ).optional(),
  digest: jsonColumn(
    z.object({
      week: z.string(),
      view: z.enum(DIGEST_VIEWS),
      initiativeIds: z.array(z.string()),
    }),
  ).optional(),
  champion: jsonColumn(
    z.object({
      initiativeId: z.string(),
      step: z.enum(['invite', 'volunteered', 'accepted', 'declined']),
      volunteerId: z.string().optional(),
    }),
  ).optional(),
  overdueAction: jsonColumn(z.object({ actionId: z.string() })).optional(),
  expiresAt: z.string().optional(),
  audience: jsonColumn(broadcastAudienceSchema),
  urgent: z.boolean(),
  sendAt: z.string(),
  status: z.enum(BROADCAST_STATUSES),
  createdBy: jsonColumn(
    z.object({ aadObjectId: z.string(), name: z.string(), locale: z.string(), timeZone: z.string() }),
  ),
  managerConversation: jsonColumn(z.record(z.unknown())).optional(),
  progressActivityId: z.string().optional(),
  recipients: z.number().int().min(0),
  figures: jsonColumn(figures).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
});

/** Broadcasts: PK tenant, RK broadcast id. Status changes use ETags: a cancel and a finish can meet. */
export class BroadcastRepository {
  constructor(private readonly table: TableClient) {}

  async create(broadcast: Broadcast): Promise<void> {
    try {
      await this.table.createEntity(toEntity(broadcast));
    } catch (error) {
      throw toStorageError('saving a broadcast', error);
    }
  }

  async get(tenantId: string, id: string): Promise<Broadcast | undefined> {
    return (await readRow(this.table, tenantId, id, 'broadcast', fromEntity))?.broadcast;
  }

  async list(tenantId: string): Promise<Broadcast[]> {
    return (await readPartition(this.table, tenantId, 'broadcast', fromEntity)).map((row) => row.broadcast);
  }

  async dueBetween(tenantId: string, from: string, to: string): Promise<Broadcast[]> {
    return this.where(
      odata`PartitionKey eq ${toKey(tenantId)} and sendAt ge ${from} and sendAt lt ${to}`,
      'listing a week of broadcasts',
    );
  }

  /**
   * Reads, applies `change` and writes back if nobody else wrote meanwhile, retrying from a fresh read
   * otherwise. `change` returns `undefined` to leave the row as it is. Returns what was written (or the
   * row as read when nothing was), `undefined` when there is no such broadcast.
   */
  async modify(
    tenantId: string,
    id: string,
    change: (current: Broadcast) => Broadcast | undefined,
  ): Promise<{ broadcast: Broadcast; changed: boolean } | undefined> {
    const result = await modifyRow(
      async () => {
        const row = await readRow(this.table, tenantId, id, 'broadcast', fromEntity);
        return row === undefined ? undefined : { value: row.broadcast, etag: row.etag };
      },
      async (next, etag) => {
        try {
          await this.table.updateEntity(toEntity(next), 'Replace', { etag });
        } catch (error) {
          throw toStorageError('saving a broadcast', error);
        }
      },
      change,
    );
    return result === undefined ? undefined : { broadcast: result.value, changed: result.changed };
  }

  /** Creates the broadcast unless one with its id exists; false when it was already there. */
  async createMissing(broadcast: Broadcast): Promise<boolean> {
    try {
      await this.create(broadcast);
      return true;
    } catch (error) {
      if (error instanceof ConcurrencyError) return false;
      throw error;
    }
  }

  /**
   * Broadcasts of every tenant in one of `statuses` that have not finished, or finished since
   * `finishedSince`: what the scheduler has to look after.
   */
  async inStatus(statuses: readonly Broadcast['status'][], finishedSince: string): Promise<Broadcast[]> {
    const status = statuses.map((one) => odata`status eq ${one}`).join(' or ');
    const filter = `(${status}) and (${odata`finishedAt ge ${finishedSince}`} or not (finishedAt ge ''))`;
    return this.where(filter, 'listing broadcasts');
  }

  private async where(filter: string, doing: string): Promise<Broadcast[]> {
    const rows: Broadcast[] = [];
    try {
      for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
        rows.push(fromEntity(entity).broadcast);
      }
    } catch (error) {
      throw toStorageError(doing, error);
    }
    return rows;
  }
}

function toEntity(broadcast: Broadcast) {
  return {
    partitionKey: toKey(broadcast.tenantId),
    rowKey: toKey(broadcast.id),
    initiativeId: broadcast.initiativeId,
    stageIndex: broadcast.stageIndex,
    content: JSON.stringify(broadcast.content),
    pulse: broadcast.pulse === undefined ? undefined : JSON.stringify(broadcast.pulse),
    alert: broadcast.alert === undefined ? undefined : JSON.stringify(broadcast.alert),
    followUp: broadcast.followUp === undefined ? undefined : JSON.stringify(broadcast.followUp),
    question: broadcast.question === undefined ? undefined : JSON.stringify(broadcast.question),
    digest: broadcast.digest === undefined ? undefined : JSON.stringify(broadcast.digest),
    champion: broadcast.champion === undefined ? undefined : JSON.stringify(broadcast.champion),
    overdueAction:
      broadcast.overdueAction === undefined ? undefined : JSON.stringify(broadcast.overdueAction),
    expiresAt: broadcast.expiresAt,
    audience: JSON.stringify(broadcast.audience),
    urgent: broadcast.urgent,
    sendAt: broadcast.sendAt,
    status: broadcast.status,
    createdBy: JSON.stringify(broadcast.createdBy),
    managerConversation:
      broadcast.managerConversation === undefined ? undefined : JSON.stringify(broadcast.managerConversation),
    progressActivityId: broadcast.progressActivityId,
    recipients: broadcast.recipients,
    figures: broadcast.figures === undefined ? undefined : JSON.stringify(broadcast.figures),
    createdAt: broadcast.createdAt,
    updatedAt: broadcast.updatedAt,
    finishedAt: broadcast.finishedAt,
  };
}

function fromEntity(entity: unknown): { broadcast: Broadcast; etag: string } {
  const { partitionKey, rowKey, etag, ...row } = parseRow(broadcastRow, entity, 'broadcast');
  return { etag, broadcast: { ...row, tenantId: fromKey(partitionKey), id: fromKey(rowKey) } };
}
