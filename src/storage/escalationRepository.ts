import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { EscalationStore } from '../domain/feedback/ports.js';
import {
  ESCALATION_EVENTS,
  ESCALATION_STATUSES,
  type Escalation,
  FLAGGED_BY,
} from '../domain/feedback/safeguarding.js';
import { ConcurrencyError, toStorageError } from './errors.js';
import { fromKey, toKey } from './keys.js';
import { jsonColumn, modifyRow, parseRow, readPartition, readRow, replaceRow } from './rows.js';

const person = z.object({ aadObjectId: z.string(), name: z.string() });
const escalationRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string(),
  commentId: z.string(),
  initiativeId: z.string().optional(),
  text: z.string(),
  anonymous: z.boolean(),
  writer: jsonColumn(person).optional(),
  flaggedBy: z.enum(FLAGGED_BY),
  status: z.enum(ESCALATION_STATUSES),
  unconfirmed: z.boolean().optional(),
  commentWeek: z.string().optional(),
  raisedAt: z.string(),
  alerts: z.number().int().min(0),
  nextAlertAt: z.string(),
  acknowledgedBy: jsonColumn(person).optional(),
  acknowledgedAt: z.string().optional(),
  timeline: jsonColumn(
    z.array(z.object({ at: z.string(), event: z.enum(ESCALATION_EVENTS), by: z.string().optional() })),
  ),
});

/**
 * Safeguarding escalations: PK tenant, RK escalation id. The scheduler looks across tenants for the open
 * ones (raised and not acknowledged, or a writer's answer awaited); there are few at any time, and each
 * must be chased until someone answers.
 */
export class EscalationRepository implements EscalationStore {
  constructor(private readonly table: TableClient) {}

  async createMissing(escalation: Escalation): Promise<boolean> {
    try {
      await this.table.createEntity(toEntity(escalation));
      return true;
    } catch (error) {
      const failure = toStorageError('saving an escalation', error);
      if (failure instanceof ConcurrencyError) return false;
      throw failure;
    }
  }

  async get(tenantId: string, id: string): Promise<Escalation | undefined> {
    return (await readRow(this.table, tenantId, id, 'escalation', fromEntity))?.value;
  }

  async modify(tenantId: string, id: string, change: (current: Escalation) => Escalation | undefined) {
    const result = await modifyRow(
      () => readRow(this.table, tenantId, id, 'escalation', fromEntity),
      (next, etag) => replaceRow(this.table, toEntity(next), etag, 'escalation'),
      change,
    );
    return result?.value;
  }

  open(): Promise<Escalation[]> {
    return this.where(odata`status eq ${'raised'} or status eq ${'asked'}`);
  }

  raisedBetween(tenantId: string, from: string, to: string): Promise<Escalation[]> {
    return this.where(
      odata`PartitionKey eq ${toKey(tenantId)} and raisedAt ge ${from} and raisedAt lt ${to}`,
    );
  }

  private async where(filter: string): Promise<Escalation[]> {
    const found: Escalation[] = [];
    try {
      for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
        found.push(fromEntity(entity).value);
      }
    } catch (error) {
      throw toStorageError('listing escalations', error);
    }
    return found;
  }

  async list(tenantId: string): Promise<Escalation[]> {
    const rows = await readPartition(this.table, tenantId, 'escalation', fromEntity);
    return rows.map((row) => row.value).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  }
}

function toEntity(escalation: Escalation) {
  return {
    partitionKey: toKey(escalation.tenantId),
    rowKey: toKey(escalation.id),
    commentId: escalation.commentId,
    initiativeId: escalation.initiativeId,
    text: escalation.text,
    anonymous: escalation.anonymous,
    writer: escalation.writer === undefined ? undefined : JSON.stringify(escalation.writer),
    flaggedBy: escalation.flaggedBy,
    status: escalation.status,
    unconfirmed: escalation.unconfirmed,
    commentWeek: escalation.commentWeek,
    raisedAt: escalation.raisedAt,
    alerts: escalation.alerts,
    nextAlertAt: escalation.nextAlertAt,
    acknowledgedBy:
      escalation.acknowledgedBy === undefined ? undefined : JSON.stringify(escalation.acknowledgedBy),
    acknowledgedAt: escalation.acknowledgedAt,
    timeline: JSON.stringify(escalation.timeline),
  };
}

function fromEntity(entity: unknown): { value: Escalation; etag: string } {
  const { partitionKey, rowKey, etag, ...row } = parseRow(escalationRow, entity, 'escalation');
  return { etag, value: { ...row, tenantId: fromKey(partitionKey), id: fromKey(rowKey) } };
}
