import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { ActionClaimStore } from '../domain/shared/ports.js';
import { ConcurrencyError, toStorageError } from './errors.js';
import { toKey } from './keys.js';
import { deleteRow, deleteRowsBefore, parseRow, readRow, replaceRow } from './rows.js';

const claimRow = z.object({ at: z.string() });

/**
 * Card presses that store something, claimed once: PK tenant, RK the press's keyed hash (which names
 * nobody), and when it was claimed. Inserting is the claim, so two copies of a press arriving together
 * cannot both win; a claim older than the window may be taken again.
 */
export class ActionClaimRepository implements ActionClaimStore {
  constructor(private readonly table: TableClient) {}

  async claim(tenantId: string, key: string, now: Date, windowMs: number): Promise<boolean> {
    const entity = { partitionKey: toKey(tenantId), rowKey: toKey(key), at: now.toISOString() };
    try {
      await this.table.createEntity(entity);
      return true;
    } catch (error) {
      const failure = toStorageError('claiming a card action', error);
      if (!(failure instanceof ConcurrencyError)) throw failure;
    }
    const held = await readRow(this.table, tenantId, key, 'card action claim', (row) => ({
      at: parseRow(claimRow, row, 'card action claim').at,
      etag: String((row as { etag?: unknown }).etag ?? ''),
    }));
    if (held === undefined || Date.parse(held.at) > now.getTime() - windowMs) return false;
    try {
      await replaceRow(this.table, entity, held.etag, 'card action claim');
      return true;
    } catch (error) {
      if (error instanceof ConcurrencyError) return false;
      throw error;
    }
  }

  async release(tenantId: string, key: string): Promise<void> {
    await deleteRow(this.table, tenantId, key, 'card action claim');
  }

  /** Retention: a claim matters only within its window; removes those claimed before `cutoff` (ISO). */
  deleteBefore(cutoff: string): Promise<number> {
    return deleteRowsBefore(this.table, cutoff, 'card action claim');
  }
}
