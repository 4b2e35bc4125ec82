import { join } from 'node:path';
import type { Logger } from 'pino';
import type { StorageSource } from '../config.js';
import type { SealedBox } from '../domain/shared/sealedBox.js';
import type { ResolvedStorage } from './account.js';
import { ActionClaimRepository } from './actionClaimRepository.js';
import { ActionRepository } from './actionRepository.js';
import { AnswerRepository } from './answerRepository.js';
import { startAzurite } from './azurite.js';
import { BroadcastRepository } from './broadcastRepository.js';
import { CommentRepository } from './commentRepository.js';
import { DeliveryRepository } from './deliveryRepository.js';
import { DigestSettingsRepository, DigestSnapshotRepository } from './digestRepository.js';
import { EscalationRepository } from './escalationRepository.js';
import { InitiativeRepository } from './initiativeRepository.js';
import { InstallationRepository } from './installationRepository.js';
import { MemberRepository } from './memberRepository.js';
import { type OutboxQueue, openOutboxQueue } from './outboxQueue.js';
import { PublicationRepository } from './publicationRepository.js';
import { PulseRepository, RoundRepository } from './pulseRepository.js';
import { openReadingQueue, type ReadingQueue } from './readingQueue.js';
import { SavedListRepository } from './savedListRepository.js';
import { openSchedulerLease, type SchedulerLease } from './schedulerLease.js';
import { SenderRegistry } from './senderRegistry.js';
import { openTables, type Tables } from './tableClients.js';
import { ThreadRepository } from './threadRepository.js';

export interface Storage {
  members: MemberRepository;
  installations: InstallationRepository;
  initiatives: InitiativeRepository;
  broadcasts: BroadcastRepository;
  deliveries: DeliveryRepository;
  comments: CommentRepository;
  senders: SenderRegistry;
  savedLists: SavedListRepository;
  pulses: PulseRepository;
  rounds: RoundRepository;
  answers: AnswerRepository;
  publications: PublicationRepository;
  escalations: EscalationRepository;
  threads: ThreadRepository;
  actionClaims: ActionClaimRepository;
  digestSnapshots: DigestSnapshotRepository;
  digestSettings: DigestSettingsRepository;
  actions: ActionRepository;
  queue: OutboxQueue;
  /** Comments waiting for their second reading. */
  readings: ReadingQueue;
  lease: SchedulerLease;
  ping(): Promise<void>;
  /** What to call it in logs: "embedded Azurite at ...", never a key. */
  description: string;
  close(): Promise<void>;
}

/**
 * Opens the tables, starting Azurite first when no storage was configured (local mode). Azurite started
 * here is stopped by `close()`; real Azure Storage is left alone. `box` seals what rows must not show
 * (an anonymous writer's delivery).
 */
export async function openStorage(
  source: StorageSource,
  prefix: string,
  logger: Logger,
  box: SealedBox,
): Promise<Storage> {
  const { resolved, close: stopEmbedded, embeddedAt } = await resolveSource(source, logger);
  try {
    const tables = await openTables(resolved, prefix);
    return {
      members: new MemberRepository(tables.get('members')),
      installations: new InstallationRepository(tables.get('installations')),
      initiatives: new InitiativeRepository(tables.get('initiatives')),
      broadcasts: new BroadcastRepository(tables.get('broadcasts')),
      deliveries: new DeliveryRepository(tables.get('deliveries'), box),
      comments: new CommentRepository(tables.get('comments')),
      senders: new SenderRegistry(tables.get('senders')),
      savedLists: new SavedListRepository(tables.get('savedLists')),
      pulses: new PulseRepository(tables.get('pulses')),
      rounds: new RoundRepository(tables.get('pulseRounds')),
      answers: new AnswerRepository(tables.get('answers')),
      publications: new PublicationRepository(tables.get('publications')),
      escalations: new EscalationRepository(tables.get('escalations')),
      threads: new ThreadRepository(tables.get('threads')),
      actionClaims: new ActionClaimRepository(tables.get('actionClaims')),
      digestSnapshots: new DigestSnapshotRepository(tables.get('digestSnapshots')),
      digestSettings: new DigestSettingsRepository(tables.get('digestSettings')),
      actions: new ActionRepository(tables.get('actions')),
      queue: await openOutboxQueue(resolved, prefix),
      readings: await openReadingQueue(resolved, prefix),
      lease: await openSchedulerLease(resolved, prefix),
      ping: tables.ping,
      description: describe(source, tables, embeddedAt),
      close: stopEmbedded,
    };
  } catch (error) {
    await stopEmbedded();
    throw error;
  }
}

/** The tables alone, for `huddle backup` and `huddle restore`, which copy rows without reading them. */
export interface OpenTables {
  tables: Tables;
  description: string;
  close(): Promise<void>;
}

export async function openTablesOnly(
  source: StorageSource,
  prefix: string,
  logger: Logger,
): Promise<OpenTables> {
  const { resolved, close, embeddedAt } = await resolveSource(source, logger);
  try {
    const tables = await openTables(resolved, prefix);
    return { tables, description: describe(source, tables, embeddedAt), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Where the tables are: real Azure Storage as configured, or Azurite started here (stopped by `close`). */
async function resolveSource(
  source: StorageSource,
  logger: Logger,
): Promise<{ resolved: ResolvedStorage; close: () => Promise<void>; embeddedAt: string }> {
  if (source.kind !== 'embedded') return { resolved: source, close: async () => {}, embeddedAt: '' };
  const azurite = await startAzurite({
    dataDir: join(source.dataDir, 'azurite'),
    logFile: join(source.dataDir, 'azurite.log'),
  });
  logger.info({ tableEndpoint: azurite.tableEndpoint, dataDir: source.dataDir }, 'started embedded Azurite');
  return {
    resolved: { kind: 'connectionString', connectionString: azurite.connectionString },
    close: azurite.stop,
    embeddedAt: `embedded Azurite at ${azurite.tableEndpoint} (data in ${source.dataDir})`,
  };
}

const describe = (source: StorageSource, tables: Tables, embeddedAt: string) =>
  source.kind === 'embedded'
    ? embeddedAt
    : source.kind === 'managedIdentity'
      ? `${tables.endpoint} (managed identity)`
      : `${tables.endpoint} (connection string)`;
