import { DefaultAzureCredential } from '@azure/identity';

/** How Huddle reaches its storage account: a connection string (Azurite, or keys) or managed identity. */
export type ResolvedStorage =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'managedIdentity'; accountName: string; clientId: string | undefined };

export type StorageService = 'table' | 'queue' | 'blob';

/** The service's URL for an account reached by managed identity. */
export const serviceUrl = (account: string, service: StorageService) =>
  `https://${account}.${service}.core.windows.net`;

export const credential = (clientId: string | undefined) =>
  new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });

/** Azurite speaks plain HTTP on loopback; the table SDK refuses that unless told. */
export const isLoopbackConnection = (connectionString: string) =>
  /Endpoint=http:\/\/(127\.|localhost)/.test(connectionString);
