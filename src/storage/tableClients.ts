import { TableClient, TableServiceClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { toStorageError } from './errors.js';

/** One table per aggregate (DESIGN.md); the names are the deployment's prefix plus these. */
export const TABLES = {
  members: 'Members',
  installations: 'Installations',
  initiatives: 'Initiatives',
} as const;
export type TableName = keyof typeof TABLES;

export type ResolvedStorage =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'managedIdentity'; accountName: string; clientId: string | undefined };

export interface Tables {
  get(table: TableName): TableClient;
  /** A cheap round trip for `/readyz`. */
  ping(): Promise<void>;
  /** Where the tables are, without credentials, for the start-up log. */
  endpoint: string;
}

export async function openTables(storage: ResolvedStorage, prefix: string): Promise<Tables> {
  const clients = new Map<TableName, TableClient>();
  const service = serviceClient(storage);
  for (const name of Object.keys(TABLES) as TableName[]) {
    const client = tableClient(storage, `${prefix}${TABLES[name]}`);
    try {
      await client.createTable();
    } catch (error) {
      throw toStorageError(`creating table ${prefix}${TABLES[name]}`, error);
    }
    clients.set(name, client);
  }
  return {
    get(table) {
      const client = clients.get(table);
      if (client === undefined) throw new Error(`unknown table ${table}`);
      return client;
    },
    async ping() {
      await service.getProperties();
    },
    endpoint: service.url,
  };
}

/** Azurite speaks plain HTTP on loopback; the SDK refuses that unless told. */
const insecureForLoopback = (connectionString: string) => ({
  allowInsecureConnection: /TableEndpoint=http:\/\/(127\.|localhost)/.test(connectionString),
});

function tableClient(storage: ResolvedStorage, table: string): TableClient {
  if (storage.kind === 'connectionString') {
    return TableClient.fromConnectionString(
      storage.connectionString,
      table,
      insecureForLoopback(storage.connectionString),
    );
  }
  return new TableClient(tableUrl(storage.accountName), table, credential(storage.clientId));
}

function serviceClient(storage: ResolvedStorage): TableServiceClient {
  if (storage.kind === 'connectionString') {
    return TableServiceClient.fromConnectionString(
      storage.connectionString,
      insecureForLoopback(storage.connectionString),
    );
  }
  return new TableServiceClient(tableUrl(storage.accountName), credential(storage.clientId));
}

const tableUrl = (account: string) => `https://${account}.table.core.windows.net`;
const credential = (clientId: string | undefined) =>
  new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
