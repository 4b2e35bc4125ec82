import { TableClient, TableServiceClient } from '@azure/data-tables';
import { inject } from 'vitest';

/** Every row of the tables whose names start with `prefix`, by table, without the timestamps storage adds. */
export async function dumpTables(prefix: string): Promise<Record<string, unknown[]>> {
  const connection = inject('storageConnectionString');
  const service = TableServiceClient.fromConnectionString(connection, { allowInsecureConnection: true });
  const tables: Record<string, unknown[]> = {};
  for await (const table of service.listTables()) {
    const name = table.name ?? '';
    if (!name.startsWith(prefix)) continue;
    const client = TableClient.fromConnectionString(connection, name, { allowInsecureConnection: true });
    const rows: unknown[] = [];
    for await (const { timestamp: _timestamp, etag: _etag, ...row } of client.listEntities()) rows.push(row);
    tables[name.slice(prefix.length)] = rows;
  }
  return tables;
}
