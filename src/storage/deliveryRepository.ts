import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { DELIVERY_STATUSES, type Delivery } from '../domain/broadcast.js';
import { statusOf, toStorageError } from './errors.js';
import { groupsSchema } from './groupColumns.js';
import { fromKey, toKey } from './keys.js';
import { jsonColumn, modifyRow, parseRow, readPartition, readRow, TRANSACTION_LIMIT } from './rows.js';

const deliveryRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string(),
  tenantId: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int().min(0),
  conversation: jsonColumn(z.record(z.unknown())),
  locale: z.string(),
  timeZone: z.string(),
  quietStart: z.string(),
  groups: jsonColumn(groupsSchema).optional(),
  quietEnd: z.string(),
  notBefore: z.string().optional(),
  claimedBy: z.string().optional(),
  claimedUntil: z.string().optional(),
  activityId: z.string().optional(),
  sentBy: z.string().optional(),
  sentAt: z.string().optional(),
  reason: z.string().optional(),
  acknowledgedAt: z.string().optional(),
});

/** The columns the figures need, read without the conversation reference (the bulk of each row). */
const outcomeRow = z.object({
  rowKey: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  notBefore: z.string().optional(),
  acknowledgedAt: z.string().optional(),
});
export type DeliveryOutcome = Pick<Delivery, 'memberId' | 'status' | 'notBefore' | 'acknowledgedAt'>;

export interface StoredDelivery {
  delivery: Delivery;
  etag: string;
}

/**
 * One row per recipient of a broadcast: PK broadcast id, RK member id (DESIGN.md). The row is the
 * idempotency record: it is checked and claimed before a send and updated after it.
 */
export class DeliveryRepository {
  constructor(private readonly table: TableClient) {}

  /**
   * Inserts rows that do not exist yet and leaves existing ones untouched, so enqueueing a broadcast
   * again after a crash never resets a row that was already sent. Transactions of 100 while all rows are
   * new; a transaction that meets an existing row is redone row by row.
   */
  async createMissing(deliveries: readonly Delivery[]): Promise<void> {
    for (let start = 0; start < deliveries.length; start += TRANSACTION_LIMIT) {
      const batch = deliveries.slice(start, start + TRANSACTION_LIMIT).map(toEntity);
      try {
        await this.table.submitTransaction(batch.map((entity) => ['create', entity]));
      } catch (error) {
        if (statusOf(error) !== 409) throw toStorageError('saving delivery rows', error);
        for (const entity of batch) {
          try {
            await this.table.createEntity(entity);
          } catch (single) {
            if (statusOf(single) !== 409) throw toStorageError('saving a delivery row', single);
          }
        }
      }
    }
  }

  get(broadcastId: string, memberId: string): Promise<StoredDelivery | undefined> {
    return readRow(this.table, broadcastId, memberId, 'delivery', fromEntity);
  }

  /** Writes `delivery` if the row still has `etag`; a `ConcurrencyError` means another worker got there. */
  async replace(delivery: Delivery, etag: string): Promise<string> {
    try {
      const result = await this.table.updateEntity(toEntity(delivery), 'Replace', { etag });
      return result.etag ?? '';
    } catch (error) {
      throw toStorageError('saving a delivery row', error);
    }
  }

  /** Applies `change` to the current row, retrying on a concurrent write. */
  async modify(
    broadcastId: string,
    memberId: string,
    change: (current: Delivery) => Delivery | undefined,
  ): Promise<Delivery | undefined> {
    const result = await modifyRow(
      async () => {
        const row = await this.get(broadcastId, memberId);
        return row === undefined ? undefined : { value: row.delivery, etag: row.etag };
      },
      (next, etag) => this.replace(next, etag),
      change,
    );
    return result?.value;
  }

  /** Every recipient's outcome, cheaply: the scheduler counts these for the progress card every tick. */
  async outcomes(broadcastId: string): Promise<DeliveryOutcome[]> {
    const rows: DeliveryOutcome[] = [];
    try {
      const query = this.table.listEntities({
        queryOptions: {
          filter: odata`PartitionKey eq ${toKey(broadcastId)}`,
          select: ['RowKey', 'status', 'notBefore', 'acknowledgedAt'],
        },
      });
      for await (const entity of query) {
        const { rowKey, ...outcome } = parseRow(outcomeRow, entity, 'delivery');
        rows.push({ ...outcome, memberId: fromKey(rowKey) });
      }
    } catch (error) {
      throw toStorageError('counting deliveries', error);
    }
    return rows;
  }

  async list(broadcastId: string): Promise<Delivery[]> {
    return (await readPartition(this.table, broadcastId, 'delivery', fromEntity)).map((row) => row.delivery);
  }
}

function toEntity(delivery: Delivery) {
  return {
    partitionKey: toKey(delivery.broadcastId),
    rowKey: toKey(delivery.memberId),
    tenantId: delivery.tenantId,
    status: delivery.status,
    attempts: delivery.attempts,
    conversation: JSON.stringify(delivery.conversation),
    locale: delivery.locale,
    timeZone: delivery.timeZone,
    groups: delivery.groups === undefined ? undefined : JSON.stringify(delivery.groups),
    quietStart: delivery.quietHours.start,
    quietEnd: delivery.quietHours.end,
    notBefore: delivery.notBefore,
    claimedBy: delivery.claimedBy,
    claimedUntil: delivery.claimedUntil,
    activityId: delivery.activityId,
    sentBy: delivery.sentBy,
    sentAt: delivery.sentAt,
    reason: delivery.reason,
    acknowledgedAt: delivery.acknowledgedAt,
  };
}

function fromEntity(entity: unknown): StoredDelivery {
  const { partitionKey, rowKey, etag, quietStart, quietEnd, ...row } = parseRow(
    deliveryRow,
    entity,
    'delivery',
  );
  return {
    etag,
    delivery: {
      ...row,
      broadcastId: fromKey(partitionKey),
      memberId: fromKey(rowKey),
      quietHours: { start: quietStart, end: quietEnd },
    },
  };
}
