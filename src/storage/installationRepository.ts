import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { Installation } from '../domain/people/installation.js';
import type { InstallationStore } from '../domain/people/ports.js';
import { fromKey, toKey } from './keys.js';
import { jsonColumn, parseRow, readPartition, readRow, upsertRow } from './rows.js';

const installationRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  scope: z.enum(['team', 'groupChat']),
  name: z.string().optional(),
  conversationReference: jsonColumn(z.record(z.unknown())),
  active: z.boolean(),
  installedAt: z.string(),
  removedAt: z.string().optional(),
});

/** Team and group-chat installs: PK tenant, RK conversation id. Uninstalls keep the row (history). */
export class InstallationRepository implements InstallationStore {
  constructor(private readonly table: TableClient) {}

  put(installation: Installation): Promise<void> {
    const entity = {
      partitionKey: toKey(installation.tenantId),
      rowKey: toKey(installation.conversationId),
      scope: installation.scope,
      name: installation.name,
      conversationReference: JSON.stringify(installation.conversationReference),
      active: installation.active,
      installedAt: installation.installedAt,
      removedAt: installation.removedAt,
    };
    return upsertRow(this.table, entity, 'installation');
  }

  get(tenantId: string, conversationId: string): Promise<Installation | undefined> {
    return readRow(this.table, tenantId, conversationId, 'installation', fromEntity);
  }

  list(tenantId: string): Promise<Installation[]> {
    return readPartition(this.table, tenantId, 'installation', fromEntity);
  }
}

function fromEntity(entity: unknown): Installation {
  const row = parseRow(installationRow, entity, 'installation');
  return {
    tenantId: fromKey(row.partitionKey),
    conversationId: fromKey(row.rowKey),
    scope: row.scope,
    name: row.name,
    conversationReference: row.conversationReference,
    active: row.active,
    installedAt: row.installedAt,
    removedAt: row.removedAt,
  };
}
