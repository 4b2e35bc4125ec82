import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { SavedListStore } from '../domain/broadcasts/ports.js';
import type { SavedList } from '../domain/broadcasts/savedList.js';
import { fromKey, toKey } from './keys.js';
import { deleteRow, jsonColumn, parseRow, readPartition, upsertRow } from './rows.js';

const listRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  name: z.string(),
  memberIds: jsonColumn(z.array(z.string())),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Saved audience lists: PK tenant, RK list id. */
export class SavedListRepository implements SavedListStore {
  constructor(private readonly table: TableClient) {}

  put(list: SavedList): Promise<void> {
    return upsertRow(
      this.table,
      {
        partitionKey: toKey(list.tenantId),
        rowKey: toKey(list.id),
        name: list.name,
        memberIds: JSON.stringify(list.memberIds),
        createdBy: list.createdBy,
        createdAt: list.createdAt,
        updatedAt: list.updatedAt,
      },
      'saved list',
    );
  }

  list(tenantId: string): Promise<SavedList[]> {
    return readPartition(this.table, tenantId, 'saved list', (entity) => {
      const { partitionKey, rowKey, ...row } = parseRow(listRow, entity, 'saved list');
      return { ...row, tenantId: fromKey(partitionKey), id: fromKey(rowKey) };
    });
  }

  delete(tenantId: string, id: string): Promise<boolean> {
    return deleteRow(this.table, tenantId, id, 'saved list');
  }
}
