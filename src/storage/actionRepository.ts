import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { ACTION_STATUSES, type LoopAction, PUBLISHED_AS } from '../domain/actions/action.js';
import type { ActionStore } from '../domain/actions/ports.js';
import { THEMES } from '../domain/feedback/themes.js';
import { fromKey, toKey } from './keys.js';
import { jsonColumn, modifyRow, parseRow, readPartition, readRow, replaceRow, upsertRow } from './rows.js';

const person = z.object({ aadObjectId: z.string(), name: z.string() });
const actionRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string(),
  initiativeId: z.string().optional(),
  heard: z.string(),
  willDo: z.string(),
  owner: jsonColumn(person),
  due: z.string(),
  audience: z.string(),
  status: z.enum(ACTION_STATUSES),
  dropReason: z.string().optional(),
  createdBy: jsonColumn(person),
  createdAt: z.string(),
  updatedAt: z.string(),
  doneAt: z.string().optional(),
  remindedAt: z.string().optional(),
  published: jsonColumn(z.array(z.enum(PUBLISHED_AS))),
  fromComment: jsonColumn(
    z.object({ tenantId: z.string(), initiativeId: z.string().optional(), week: z.string(), id: z.string() }),
  ).optional(),
  fromTheme: z.enum(THEMES).optional(),
});

/** "You said, we did" actions: PK tenant, RK action id. Status changes and publishing use ETags. */
export class ActionRepository implements ActionStore {
  constructor(private readonly table: TableClient) {}

  create(action: LoopAction): Promise<void> {
    return upsertRow(this.table, toEntity(action), 'action');
  }

  async get(tenantId: string, id: string): Promise<LoopAction | undefined> {
    return (await readRow(this.table, tenantId, id, 'action', fromEntity))?.value;
  }

  async list(tenantId: string): Promise<LoopAction[]> {
    return (await readPartition(this.table, tenantId, 'action', fromEntity)).map((row) => row.value);
  }

  async modify(tenantId: string, id: string, change: (current: LoopAction) => LoopAction | undefined) {
    const result = await modifyRow(
      () => readRow(this.table, tenantId, id, 'action', fromEntity),
      (next, etag) => replaceRow(this.table, toEntity(next), etag, 'action'),
      change,
    );
    return result?.value;
  }
}

const toEntity = (action: LoopAction) => ({
  partitionKey: toKey(action.tenantId),
  rowKey: toKey(action.id),
  initiativeId: action.initiativeId,
  heard: action.heard,
  willDo: action.willDo,
  owner: JSON.stringify(action.owner),
  due: action.due,
  audience: action.audience,
  status: action.status,
  dropReason: action.dropReason,
  createdBy: JSON.stringify(action.createdBy),
  createdAt: action.createdAt,
  updatedAt: action.updatedAt,
  doneAt: action.doneAt,
  remindedAt: action.remindedAt,
  published: JSON.stringify(action.published),
  fromComment: action.fromComment === undefined ? undefined : JSON.stringify(action.fromComment),
  fromTheme: action.fromTheme,
});

function fromEntity(entity: unknown): { value: LoopAction; etag: string } {
  const { partitionKey, rowKey, etag, ...row } = parseRow(actionRow, entity, 'action');
  return { value: { ...row, tenantId: fromKey(partitionKey), id: fromKey(rowKey) }, etag };
}
