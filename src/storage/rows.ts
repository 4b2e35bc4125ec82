import { odata, type TableClient, type TableEntity } from '@azure/data-tables';
import { z } from 'zod';
import { ConcurrencyError, CorruptRowError, statusOf, toStorageError } from './errors.js';
import { toKey } from './keys.js';

/** The most operations Azure accepts in one table transaction. */
export const TRANSACTION_LIMIT = 100;

/** A column holding JSON, parsed and checked on read so bad data fails loudly, not later. */
export const jsonColumn = <T extends z.ZodTypeAny>(schema: T) =>
  z.string().transform((text, ctx): z.infer<T> => {
    try {
      return schema.parse(JSON.parse(text));
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not valid JSON of the expected shape' });
      return z.NEVER;
    }
  });

/** Parses a row with its schema; a mismatch is a `CorruptRowError` naming the field, never the values. */
export function parseRow<T extends z.ZodTypeAny>(schema: T, entity: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(entity);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new CorruptRowError(`a ${what} row does not match its schema (${fields})`, undefined);
  }
  return parsed.data;
}

/** One row by key, parsed, or `undefined` when there is none. */
export async function readRow<T>(
  table: TableClient,
  partitionKey: string,
  rowKey: string,
  what: string,
  parse: (entity: unknown) => T,
): Promise<T | undefined> {
  let entity: unknown;
  try {
    entity = await table.getEntity(toKey(partitionKey), toKey(rowKey));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw toStorageError(`reading a ${what}`, error);
  }
  return parse(entity);
}

/** Every row of one partition, parsed. */
export async function readPartition<T>(
  table: TableClient,
  partitionKey: string,
  what: string,
  parse: (entity: unknown) => T,
): Promise<T[]> {
  const rows: unknown[] = [];
  try {
    const query = table.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${toKey(partitionKey)}` },
    });
    for await (const row of query) rows.push(row);
  } catch (error) {
    throw toStorageError(`listing ${what} rows`, error);
  }
  return rows.map(parse);
}

/** Inserts or replaces one row. */
export async function upsertRow(table: TableClient, entity: TableEntity, what: string): Promise<void> {
  try {
    await table.upsertEntity(entity, 'Replace');
  } catch (error) {
    throw toStorageError(`saving a ${what}`, error);
  }
}

/** Replaces a row if it still has `etag`; a `ConcurrencyError` when someone changed it since. */
export async function replaceRow(
  table: TableClient,
  entity: TableEntity,
  etag: string,
  what: string,
): Promise<void> {
  try {
    await table.updateEntity(entity, 'Replace', { etag });
  } catch (error) {
    throw toStorageError(`saving a ${what}`, error);
  }
}

/** Deletes one row; false when it was already gone. */
export async function deleteRow(
  table: TableClient,
  partitionKey: string,
  rowKey: string,
  what: string,
): Promise<boolean> {
  try {
    await table.deleteEntity(toKey(partitionKey), toKey(rowKey));
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw toStorageError(`deleting a ${what}`, error);
  }
}

/** Upserts rows in transactions of at most 100, one partition per transaction as Azure requires. */
export async function upsertInTransactions(
  table: TableClient,
  entities: readonly TableEntity[],
  what: string,
) {
  const byPartition = new Map<string, TableEntity[]>();
  for (const entity of entities) {
    const group = byPartition.get(entity.partitionKey) ?? [];
    group.push(entity);
    byPartition.set(entity.partitionKey, group);
  }
  for (const group of byPartition.values()) {
    for (let start = 0; start < group.length; start += TRANSACTION_LIMIT) {
      const batch = group.slice(start, start + TRANSACTION_LIMIT);
      try {
        await table.submitTransaction(batch.map((entity) => ['upsert', entity, 'Replace']));
      } catch (error) {
        throw toStorageError(`saving ${what} rows`, error);
      }
    }
  }
}

const MODIFY_ATTEMPTS = 5;

/**
 * Read-change-write with optimistic concurrency: `write` must fail with a `ConcurrencyError` when the
 * row changed since `read` (an ETag check), and then the change is applied again to a fresh read.
 * `change` returns `undefined` to leave the row alone. `undefined` when there is no such row.
 */
export async function modifyRow<T>(
  read: () => Promise<{ value: T; etag: string } | undefined>,
  write: (next: T, etag: string) => Promise<unknown>,
  change: (current: T) => T | undefined,
): Promise<{ value: T; changed: boolean } | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await read();
    if (current === undefined) return undefined;
    const next = change(current.value);
    if (next === undefined) return { value: current.value, changed: false };
    try {
      await write(next, current.etag);
      return { value: next, changed: true };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= MODIFY_ATTEMPTS) throw error;
    }
  }
}

/**
 * Deletes, one by one, every row whose `at` column (an ISO time) is before `cutoff`; returns how many. For
 * retention of small tables: a scan, run once a day.
 */
export async function deleteRowsBefore(table: TableClient, cutoff: string, what: string): Promise<number> {
  let deleted = 0;
  try {
    const query = table.listEntities({
      queryOptions: { filter: odata`at lt ${cutoff}`, select: ['PartitionKey', 'RowKey'] },
    });
    for await (const entity of query) {
      await table.deleteEntity(entity.partitionKey ?? '', entity.rowKey ?? '');
      deleted++;
    }
  } catch (error) {
    throw toStorageError(`deleting old ${what} rows`, error);
  }
  return deleted;
}

/**
 * Deletes every row whose `week` column is before `week` (ISO weeks compare as text), partition by
 * partition in transactions of up to 100; returns how many went. For retention: a scan, run once a day.
 */
export async function deleteWeeksBefore(table: TableClient, week: string, what: string): Promise<number> {
  const byPartition = new Map<string, string[]>();
  try {
    const query = table.listEntities<{ week: string }>({
      queryOptions: { filter: odata`week lt ${week}`, select: ['PartitionKey', 'RowKey'] },
    });
    for await (const { partitionKey = '', rowKey = '' } of query) {
      const rows = byPartition.get(partitionKey) ?? [];
      rows.push(rowKey);
      byPartition.set(partitionKey, rows);
    }
  } catch (error) {
    throw toStorageError(`listing old ${what} rows`, error);
  }
  let deleted = 0;
  for (const [partitionKey, rowKeys] of byPartition) {
    for (let start = 0; start < rowKeys.length; start += TRANSACTION_LIMIT) {
      const batch = rowKeys.slice(start, start + TRANSACTION_LIMIT);
      try {
        await table.submitTransaction(batch.map((rowKey) => ['delete', { partitionKey, rowKey }]));
      } catch (error) {
        throw toStorageError(`deleting old ${what} rows`, error);
      }
      deleted += batch.length;
    }
  }
  return deleted;
}
