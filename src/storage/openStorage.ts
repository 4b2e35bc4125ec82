import { join } from 'node:path';
import type { Logger } from 'pino';
import type { StorageSource } from '../config.js';
import { startAzurite } from './azurite.js';
import { InitiativeRepository } from './initiativeRepository.js';
import { InstallationRepository } from './installationRepository.js';
import { MemberRepository } from './memberRepository.js';
import { openTables, type ResolvedStorage } from './tableClients.js';

export interface Storage {
  members: MemberRepository;
  installations: InstallationRepository;
  initiatives: InitiativeRepository;
  ping(): Promise<void>;
  /** What to call it in logs: "embedded Azurite at ...", never a key. */
  description: string;
  /** For Azurite started here, so child processes (CLI, seeding) can share it. */
  connectionString: string | undefined;
  close(): Promise<void>;
}

/**
 * Opens the tables, starting Azurite first when no storage was configured (local mode). Azurite started
 * here is stopped by `close()`; real Azure Storage is left alone.
 */
export async function openStorage(source: StorageSource, prefix: string, logger: Logger): Promise<Storage> {
  let resolved: ResolvedStorage;
  let stopEmbedded = async () => {};
  let description: string;
  if (source.kind === 'embedded') {
    const azurite = await startAzurite({
      dataDir: join(source.dataDir, 'azurite'),
      logFile: join(source.dataDir, 'azurite.log'),
    });
    stopEmbedded = azurite.stop;
    resolved = { kind: 'connectionString', connectionString: azurite.connectionString };
    description = `embedded Azurite at ${azurite.tableEndpoint} (data in ${source.dataDir})`;
    logger.info(
      { tableEndpoint: azurite.tableEndpoint, dataDir: source.dataDir },
      'started embedded Azurite',
    );
  } else {
    resolved = source;
    description =
      source.kind === 'managedIdentity'
        ? `account ${source.accountName} (managed identity)`
        : 'connection string';
  }
  try {
    const tables = await openTables(resolved, prefix);
    return {
      members: new MemberRepository(tables.get('members')),
      installations: new InstallationRepository(tables.get('installations')),
      initiatives: new InitiativeRepository(tables.get('initiatives')),
      ping: tables.ping,
      description:
        source.kind === 'connectionString' ? `${tables.endpoint} (connection string)` : description,
      connectionString: resolved.kind === 'connectionString' ? resolved.connectionString : undefined,
      close: stopEmbedded,
    };
  } catch (error) {
    await stopEmbedded();
    throw error;
  }
}
