import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { toStorageError } from './errors.js';

const EDM_TYPES = ['String', 'Boolean', 'Int32', 'Int64', 'Double', 'DateTime', 'Guid', 'Binary'] as const;

/**
 * One property as the service holds it: its Edm type and its value as the service wrote it in JSON
 * (Int64, DateTime, Guid and Binary as strings, Double as its literal, so 3.0 stays a Double).
 */
const typedValue = z.discriminatedUnion('type', [
  z.object({ type: z.literal('String'), value: z.string() }),
  z.object({ type: z.literal('Boolean'), value: z.boolean() }),
  z.object({
    type: z.literal('Int32'),
    value: z
      .number()
      .int()
      .min(-(2 ** 31))
      .max(2 ** 31 - 1),
  }),
  z.object({
    type: z.literal('Double'),
    value: z.string().regex(/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|NaN|-?INF)$/),
  }),
  z.object({ type: z.literal('Int64'), value: z.string().regex(/^-?\d{1,19}$/) }),
  z.object({ type: z.literal('DateTime'), value: z.string().datetime({ offset: true }) }),
  z.object({ type: z.literal('Guid'), value: z.string().uuid() }),
  z.object({ type: z.literal('Binary'), value: z.string().base64() }),
]);
export type TypedValue = z.infer<typeof typedValue>;

/** A row exactly as stored, less what the service sets itself (Timestamp, ETag). */
export const storedRow = z
  .object({
    PartitionKey: z.string(),
    RowKey: z.string(),
    properties: z.record(z.string().min(1), typedValue),
  })
  .strict();
export type StoredRow = z.infer<typeof storedRow>;

/**
 * Every row of a table with each property's Edm type as stored. The SDK's own reading cannot tell a Double
 * holding 3.0 from an Int32 holding 3 (both arrive as JSON numbers without a type), so each page's body is
 * read here from the response text, where the service writes a Double with its decimal point.
 */
export async function* readRows(client: TableClient): AsyncGenerator<StoredRow> {
  let body = '';
  const pages = client
    .listEntities({
      onResponse: (response: { bodyAsText?: string | null }) => {
        body = response.bodyAsText ?? '';
      },
    } as Parameters<TableClient['listEntities']>[0])
    .byPage({ maxPageSize: 1000 });
  try {
    for await (const _page of pages) {
      const { value } = JSON.parse(markDoubles(body)) as { value: Record<string, unknown>[] };
      for (const entity of value) yield rowOf(entity);
    }
  } catch (error) {
    throw toStorageError(`reading table ${client.tableName}`, error);
  }
}

/**
 * Wraps each JSON number written with a fraction or exponent as `{"double": "<literal>"}`: the service never
 * writes an object as a property's value, so the wrapper cannot be mistaken for one. Strings are left alone
 * (the alternation matches a whole string literal first, so digits inside one are never touched).
 */
const markDoubles = (json: string) =>
  json.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) =>
    token.startsWith('"') || !/[.eE]/.test(token) ? token : `{"double":"${token}"}`,
  );

const markedDouble = z.object({ double: z.string() }).strict();

function rowOf(entity: Record<string, unknown>): StoredRow {
  const properties: Record<string, TypedValue> = {};
  for (const [name, value] of Object.entries(entity)) {
    if (name === 'PartitionKey' || name === 'RowKey' || name === 'Timestamp') continue;
    if (name.startsWith('odata.') || name.endsWith('@odata.type')) continue;
    properties[name] = typed(value, entity[`${name}@odata.type`]);
  }
  return storedRow.parse({ PartitionKey: entity.PartitionKey, RowKey: entity.RowKey, properties });
}

function typed(value: unknown, annotation: unknown): TypedValue {
  const double = markedDouble.safeParse(value);
  const plain = double.success ? double.data.double : value;
  if (typeof annotation === 'string') {
    const type = EDM_TYPES.find((edm) => `Edm.${edm}` === annotation);
    if (type === undefined) throw new Error(`a property has the unknown type ${annotation}`);
    return typedValue.parse({ type, value: type === 'Double' ? String(plain) : plain });
  }
  if (double.success) return typedValue.parse({ type: 'Double', value: double.data.double });
  if (typeof value === 'string') return { type: 'String', value };
  if (typeof value === 'boolean') return { type: 'Boolean', value };
  // The service writes a number without a fraction only for an Int32 (a whole Double keeps its ".0").
  if (typeof value === 'number') return typedValue.parse({ type: 'Int32', value });
  throw new Error(`a property holds ${JSON.stringify(value)}, which no Edm type reads as`);
}

/** True when the table holds no row at all. */
export async function isEmpty(client: TableClient): Promise<boolean> {
  try {
    for await (const page of client
      .listEntities({ queryOptions: { select: ['RowKey'] } })
      .byPage({ maxPageSize: 1 })) {
      return page.length === 0;
    }
    return true;
  } catch (error) {
    throw toStorageError(`reading table ${client.tableName}`, error);
  }
}

// A transaction takes at most 100 rows of one partition and 4 MB; 2 MB of rows leaves room for its framing.
const BATCH_ROWS = 100;
const BATCH_CHARS = 2_000_000;

/** Creates the rows (none may exist yet), a partition's rows together in as few transactions as fit. */
export async function writeRows(client: TableClient, rows: readonly StoredRow[]): Promise<void> {
  const byPartition = new Map<string, StoredRow[]>();
  for (const row of rows) {
    const partition = byPartition.get(row.PartitionKey);
    if (partition === undefined) byPartition.set(row.PartitionKey, [row]);
    else partition.push(row);
  }
  for (const partition of byPartition.values()) {
    let batch: TransactionAction[] = [];
    let chars = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      try {
        await client.submitTransaction(batch);
      } catch (error) {
        throw toStorageError(`writing table ${client.tableName}`, error);
      }
      batch = [];
      chars = 0;
    };
    for (const row of partition) {
      const size = JSON.stringify(row).length;
      if (batch.length === BATCH_ROWS || chars + size > BATCH_CHARS) await flush();
      batch.push(['create', entityOf(row)]);
      chars += size;
    }
    await flush();
  }
}

/**
 * The row as the SDK writes it back with the same types: strings, booleans and Int32s as plain JSON (the
 * service gives them those types), everything else annotated with its Edm type.
 */
function entityOf(row: StoredRow): TableEntity {
  const entity: TableEntity = { partitionKey: row.PartitionKey, rowKey: row.RowKey };
  for (const [name, property] of Object.entries(row.properties)) {
    entity[name] =
      property.type === 'String' || property.type === 'Boolean' || property.type === 'Int32'
        ? property.value
        : { type: property.type, value: property.value };
  }
  return entity;
}
