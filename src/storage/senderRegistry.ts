import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { toStorageError } from './errors.js';
import { deleteRow, parseRow, upsertRow } from './rows.js';

const PARTITION = 'senders';
const senderRow = z.object({ rowKey: z.string(), lastSeen: z.string() });

/**
 * Which sender processes are alive, so each can take its share of the tenant's rate limit. Every process
 * writes a heartbeat; one that stops writing (killed) drops out after the stale time.
 */
export class SenderRegistry {
  constructor(private readonly table: TableClient) {}

  heartbeat(senderId: string, now: Date): Promise<void> {
    return upsertRow(
      this.table,
      { partitionKey: PARTITION, rowKey: senderId, lastSeen: now.toISOString() },
      'sender heartbeat',
    );
  }

  async alive(now: Date, staleMs: number): Promise<string[]> {
    const since = new Date(now.getTime() - staleMs).toISOString();
    const ids: string[] = [];
    try {
      const query = this.table.listEntities({
        queryOptions: { filter: odata`PartitionKey eq ${PARTITION} and lastSeen ge ${since}` },
      });
      for await (const entity of query) ids.push(parseRow(senderRow, entity, 'sender').rowKey);
    } catch (error) {
      throw toStorageError('listing sender processes', error);
    }
    return ids;
  }

  async leave(senderId: string): Promise<void> {
    await deleteRow(this.table, PARTITION, senderId, 'sender heartbeat');
  }
}
