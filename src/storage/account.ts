import type { TokenCredential } from '@azure/identity';

/** How Huddle reaches its storage account: a connection string (Azurite, or keys) or managed identity. */
export type ResolvedStorage =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'managedIdentity'; accountName: string; clientId: string | undefined };

export type StorageService = 'table' | 'queue' | 'blob';

/** The service's URL for an account reached by managed identity. */
export const serviceUrl = (account: string, service: StorageService) =>
  `https://${account}.${service}.core.windows.net`;

/**
 * The managed identity's credential. `@azure/identity` is imported on the first token asked for, not with
 * this module: it takes a second or more to import, and only a deployment reached by managed identity uses
 * it (local mode, Azurite and connection strings never do).
 */
export function credential(clientId: string | undefined): TokenCredential {
  let made: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      made ??= import('@azure/identity').then(
        ({ DefaultAzureCredential }) =>
          new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId }),
      );
      return (await made).getToken(scopes, options);
    },
  };
}

/** Azurite speaks plain HTTP on loopback; the table SDK refuses that unless told. */
export const isLoopbackConnection = (connectionString: string) =>
  /Endpoint=http:\/\/(127\.|localhost)/.test(connectionString);
