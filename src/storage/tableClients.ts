import { TableClient, TableServiceClient } from '@azure/data-tables';
import { credential, isLoopbackConnection, type ResolvedStorage, serviceUrl } from './account.js';
import { toStorageError } from './errors.js';

/** One table per aggregate (DESIGN.md); the names are the deployment's prefix plus these. */
export const TABLES = {
  members: 'Members',
  installations: 'Installations',
  initiatives: 'Initiatives',
  broadcasts: 'Broadcasts',
  deliveries: 'Deliveries',
  comments: 'Comments',
  senders: 'Senders',
  savedLists: 'SavedLists',
  pulses: 'Pulses',
  pulseRounds: 'PulseRounds',
  answers: 'Answers',
  publications: 'Publications',
  escalations: 'Escalations',
  threads: 'Threads',
  actionClaims: 'ActionClaims',
  digestSnapshots: 'DigestSnapshots',
  digestSettings: 'DigestSettings',
  actions: 'Actions',
} as const;
export type TableName = keyof typeof TABLES;

/**
 * How long `/readyz` waits for storage. Without a limit the client's retries make it answer after about
 * five seconds when storage is down, and a load balancer's probe gives up before then.
 */
const PING_TIMEOUT_MS = 2_000;

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
      await service.getProperties({ abortSignal: AbortSignal.timeout(PING_TIMEOUT_MS) });
    },
    endpoint: service.url,
  };
}

const insecureForLoopback = (connectionString: string) => ({
  allowInsecureConnection: isLoopbackConnection(connectionString),
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

const tableUrl = (account: string) => serviceUrl(account, 'table');
