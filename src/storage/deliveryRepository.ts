import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { DELIVERY_STATUSES, type Delivery } from '../domain/broadcasts/broadcast.js';
import type { SealedBox } from '../domain/shared/sealedBox.js';
import { CorruptRowError, statusOf, toStorageError } from './errors.js';
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
  conversation: jsonColumn(z.record(z.unknown())).optional(),
  locale: z.string().optional(),
  timeZone: z.string().optional(),
  quietStart: z.string().optional(),
  groups: jsonColumn(groupsSchema).optional(),
  quietEnd: z.string().optional(),
  /** An anonymous recipient's columns above, sealed (see `Delivery.anonymousRecipient`). */
  sealedRecipient: z.string().optional(),
  notBefore: z.string().optional(),
  claimedBy: z.string().optional(),
  claimedUntil: z.string().optional(),
  activityId: z.string().optional(),
  sentBy: z.string().optional(),
  sentAt: z.string().optional(),
  reason: z.string().optional(),
  acknowledgedAt: z.string().optional(),
});

/** What a sealed recipient holds: the columns that would say who it is. */
const recipientColumns = z.object({
  conversation: z.record(z.unknown()).optional(),
  locale: z.string(),
  timeZone: z.string(),
  quietStart: z.string(),
  quietEnd: z.string(),
  groups: groupsSchema.optional(),
});

/** The columns the figures need, read without the conversation reference (the bulk of each row). */
const outcomeRow = z.object({
  rowKey: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  notBefore: z.string().optional(),
  acknowledgedAt: z.string().optional(),
  groups: jsonColumn(groupsSchema).optional(),
});
export type DeliveryOutcome = Pick<
  Delivery,
  'memberId' | 'status' | 'notBefore' | 'acknowledgedAt' | 'groups'
>;

export interface StoredDelivery {
  delivery: Delivery;
  etag: string;
}

/**
 * One row per recipient of a broadcast: PK broadcast id, RK member id (DESIGN.md). The row is the
 * idempotency record: it is checked and claimed before a send and updated after it.
 */
export class DeliveryRepository {
  constructor(
    private readonly table: TableClient,
    private readonly box: SealedBox,
  ) {}

  /**
   * Inserts rows that do not exist yet and leaves existing ones untouched, so enqueueing a broadcast
   * again after a crash never resets a row that was already sent. Transactions of 100 while all rows are
   * new; a transaction that meets an existing row is redone row by row.
   */
  async createMissing(deliveries: readonly Delivery[]): Promise<void> {
    for (let start = 0; start < deliveries.length; start += TRANSACTION_LIMIT) {
      const batch = deliveries.slice(start, start + TRANSACTION_LIMIT).map((row) => this.toEntity(row));
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
    return readRow(this.table, broadcastId, memberId, 'delivery', (entity) => this.fromEntity(entity));
  }

  /** Writes `delivery` if the row still has `etag`; a `ConcurrencyError` means another worker got there. */
  async replace(delivery: Delivery, etag: string): Promise<string> {
    try {
      const result = await this.table.updateEntity(this.toEntity(delivery), 'Replace', { etag });
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

  /**
   * Creates the changed row under its new key and deletes the old one in one transaction (both are in the
   * broadcast's partition). A transaction's delete takes no ETag, so a worker's write landing between the
   * read and the move is lost: the row then keeps the status from just before it.
   */
  async rekey(
    broadcastId: string,
    memberId: string,
    change: (current: Delivery) => Delivery,
  ): Promise<boolean> {
    const row = await this.get(broadcastId, memberId);
    if (row === undefined) return false;
    try {
      await this.table.submitTransaction([
        ['create', this.toEntity(change(row.delivery))],
        ['delete', { partitionKey: toKey(broadcastId), rowKey: toKey(memberId) }],
      ]);
    } catch (error) {
      throw toStorageError('moving a delivery row', error);
    }
    return true;
  }

  /** Every recipient's outcome, cheaply: the scheduler counts these for the progress card every tick. */
  async outcomes(broadcastId: string): Promise<DeliveryOutcome[]> {
    const rows: DeliveryOutcome[] = [];
    try {
      const query = this.table.listEntities({
        queryOptions: {
          filter: odata`PartitionKey eq ${toKey(broadcastId)}`,
          select: ['RowKey', 'status', 'notBefore', 'acknowledgedAt', 'groups'],
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
    const rows = await readPartition(this.table, broadcastId, 'delivery', (entity) =>
      this.fromEntity(entity),
    );
    return rows.map((row) => row.delivery);
  }

  private toEntity(delivery: Delivery) {
    const recipient = {
      conversation: delivery.conversation,
      locale: delivery.locale,
      timeZone: delivery.timeZone,
      quietStart: delivery.quietHours.start,
      quietEnd: delivery.quietHours.end,
      groups: delivery.groups,
    };
    const columns =
      delivery.anonymousRecipient === true
        ? { sealedRecipient: this.box.seal(JSON.stringify(recipient), sealedFor(delivery)) }
        : {
            ...recipient,
            conversation:
              recipient.conversation === undefined ? undefined : JSON.stringify(recipient.conversation),
            groups: recipient.groups === undefined ? undefined : JSON.stringify(recipient.groups),
          };
    return { ...toEntity(delivery), ...columns };
  }

  private fromEntity(entity: unknown): StoredDelivery {
    const {
      partitionKey,
      rowKey,
      etag,
      sealedRecipient,
      conversation,
      locale,
      timeZone,
      quietStart,
      quietEnd,
      groups,
      ...row
    } = parseRow(deliveryRow, entity, 'delivery');
    const where = { broadcastId: fromKey(partitionKey), memberId: fromKey(rowKey) };
    const opened =
      sealedRecipient === undefined ? undefined : this.box.open(sealedRecipient, sealedFor(where));
    const recipient = recipientColumns.safeParse(
      sealedRecipient === undefined
        ? { conversation, locale, timeZone, quietStart, quietEnd, groups }
        : opened === undefined
          ? undefined
          : JSON.parse(opened),
    );
    if (!recipient.success) {
      throw new CorruptRowError('a delivery row has no readable recipient', undefined);
    }
    const { quietStart: start, quietEnd: end, ...who } = recipient.data;
    return {
      etag,
      delivery: {
        ...row,
        ...who,
        ...where,
        anonymousRecipient: sealedRecipient === undefined ? undefined : true,
        quietHours: { start, end },
      },
    };
  }
}

/** A sealed recipient opens only on its own row. */
const sealedFor = (where: Pick<Delivery, 'broadcastId' | 'memberId'>) =>
  `delivery recipient\n${where.broadcastId}\n${where.memberId}`;

/** The columns that say nothing about who the recipient is. */
function toEntity(delivery: Delivery) {
  return {
    partitionKey: toKey(delivery.broadcastId),
    rowKey: toKey(delivery.memberId),
    tenantId: delivery.tenantId,
    status: delivery.status,
    attempts: delivery.attempts,
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
