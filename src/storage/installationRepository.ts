import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { Installation } from '../domain/people/installation.js';
import type { InstallationStore } from '../domain/people/ports.js';
import { toStorageError } from './errors.js';
import { fromKey, toKey } from './keys.js';
import { jsonColumn, modifyRow, parseRow, readPartition, readRow, replaceRow, upsertRow } from './rows.js';

const rosterWork = z.union([
  z.object({ kind: z.literal('read'), continuationToken: z.string().optional() }),
  z.object({ kind: z.literal('forget') }),
]);

const installationRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string(),
  scope: z.enum(['team', 'groupChat']),
  name: z.string().optional(),
  conversationReference: jsonColumn(z.record(z.unknown())),
  active: z.boolean(),
  installedAt: z.string(),
  removedAt: z.string().optional(),
  roster: jsonColumn(rosterWork).optional(),
  /** Set while `roster` is, so installations with work left are found with one filter across tenants. */
  rosterPending: z.boolean().optional(),
});

/** Team and group-chat installs: PK tenant, RK conversation id. Uninstalls keep the row (history). */
export class InstallationRepository implements InstallationStore {
  constructor(private readonly table: TableClient) {}

  put(installation: Installation): Promise<void> {
    return upsertRow(this.table, toEntity(installation), 'installation');
  }

  async get(tenantId: string, conversationId: string): Promise<Installation | undefined> {
    return (await this.read(tenantId, conversationId))?.value;
  }

  async list(tenantId: string): Promise<Installation[]> {
    return (await readPartition(this.table, tenantId, 'installation', fromEntity)).map((row) => row.value);
  }

  async modify(
    tenantId: string,
    conversationId: string,
    change: (current: Installation) => Installation | undefined,
  ): Promise<Installation | undefined> {
    const result = await modifyRow(
      () => this.read(tenantId, conversationId),
      (next, etag) => replaceRow(this.table, toEntity(next), etag, 'installation'),
      change,
    );
    return result?.value;
  }

  async withRosterWork(): Promise<Installation[]> {
    const rows: Installation[] = [];
    try {
      const query = this.table.listEntities({ queryOptions: { filter: 'rosterPending eq true' } });
      for await (const entity of query) rows.push(fromEntity(entity).value);
    } catch (error) {
      throw toStorageError('listing installations with roster work', error);
    }
    return rows;
  }

  private read(tenantId: string, conversationId: string) {
    return readRow(this.table, tenantId, conversationId, 'installation', fromEntity);
  }
}

function toEntity(installation: Installation) {
  return {
    partitionKey: toKey(installation.tenantId),
    rowKey: toKey(installation.conversationId),
    scope: installation.scope,
    name: installation.name,
    conversationReference: JSON.stringify(installation.conversationReference),
    active: installation.active,
    installedAt: installation.installedAt,
    removedAt: installation.removedAt,
    roster: installation.roster === undefined ? undefined : JSON.stringify(installation.roster),
    rosterPending: installation.roster === undefined ? undefined : true,
  };
}

function fromEntity(entity: unknown): { value: Installation; etag: string } {
  const row = parseRow(installationRow, entity, 'installation');
  return {
    etag: row.etag,
    value: {
      tenantId: fromKey(row.partitionKey),
      conversationId: fromKey(row.rowKey),
      scope: row.scope,
      name: row.name,
      conversationReference: row.conversationReference,
      active: row.active,
      installedAt: row.installedAt,
      removedAt: row.removedAt,
      roster: row.roster,
    },
  };
}
