import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { CHANGE_MODELS, READINESS_DIMENSIONS } from '../domain/initiatives/changeModels.js';
import type { Initiative } from '../domain/initiatives/initiative.js';
import type { InitiativeStore } from '../domain/initiatives/ports.js';
import { toStorageError } from './errors.js';
import { initiativeAudienceSchema } from './groupColumns.js';
import { fromKey, toKey } from './keys.js';
import { jsonColumn, modifyRow, parseRow, readPartition, readRow, replaceRow, upsertRow } from './rows.js';

const initiativeRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  title: z.string(),
  why: z.string(),
  vision: z.string(),
  model: z.enum(CHANGE_MODELS),
  currentStage: z.number().int().min(0),
  stageStartedAt: z.string().optional(),
  pdsaCycle: z.number().int().min(1).optional(),
  objectives: jsonColumn(
    z.array(
      z.object({
        text: z.string(),
        kpi: z.object({
          name: z.string(),
          unit: z.string(),
          baseline: z.number(),
          target: z.number(),
          due: z.string(),
          readings: z
            .array(
              z.object({ value: z.number(), on: z.string(), note: z.string().optional(), by: z.string() }),
            )
            .optional(),
        }),
      }),
    ),
  ),
  stages: jsonColumn(
    z.array(
      z.object({
        key: z.string(),
        title: z.string(),
        explanation: z.string(),
        focus: z.array(z.enum(READINESS_DIMENSIONS)),
        plannedStart: z.string().optional(),
        plannedEnd: z.string().optional(),
      }),
    ),
  ),
  audience: jsonColumn(initiativeAudienceSchema),
  owners: jsonColumn(z.array(z.string())),
  champions: jsonColumn(z.array(z.string())),
  createdAt: z.string(),
  updatedAt: z.string(),
  etag: z.string(),
});

/** Change initiatives: PK tenant, RK initiative id (DESIGN.md). */
export class InitiativeRepository implements InitiativeStore {
  constructor(private readonly table: TableClient) {}

  put(initiative: Initiative): Promise<void> {
    return upsertRow(this.table, toEntity(initiative), 'initiative');
  }

  get(tenantId: string, id: string): Promise<Initiative | undefined> {
    return readRow(this.table, tenantId, id, 'initiative', (entity) => fromEntity(entity).value);
  }

  async tenants(): Promise<string[]> {
    const tenants = new Set<string>();
    try {
      const query = this.table.listEntities<{ partitionKey: string }>({
        queryOptions: { select: ['PartitionKey'] },
      });
      for await (const entity of query) tenants.add(fromKey(entity.partitionKey));
    } catch (error) {
      throw toStorageError('listing the tenants with initiatives', error);
    }
    return [...tenants];
  }

  async modify(
    tenantId: string,
    id: string,
    change: (current: Initiative) => Initiative | undefined,
  ): Promise<Initiative | undefined> {
    const result = await modifyRow(
      () => readRow(this.table, tenantId, id, 'initiative', fromEntity),
      (next, etag) => replaceRow(this.table, toEntity(next), etag, 'initiative'),
      change,
    );
    return result?.value;
  }

  list(tenantId: string): Promise<Initiative[]> {
    return readPartition(this.table, tenantId, 'initiative', (entity) => fromEntity(entity).value);
  }
}

const toEntity = (initiative: Initiative) => ({
  partitionKey: toKey(initiative.tenantId),
  rowKey: toKey(initiative.id),
  title: initiative.title,
  why: initiative.why,
  vision: initiative.vision,
  model: initiative.model,
  currentStage: initiative.currentStage,
  stageStartedAt: initiative.stageStartedAt,
  pdsaCycle: initiative.pdsaCycle,
  objectives: JSON.stringify(initiative.objectives),
  stages: JSON.stringify(initiative.stages),
  audience: JSON.stringify(initiative.audience),
  owners: JSON.stringify(initiative.owners),
  champions: JSON.stringify(initiative.champions),
  createdAt: initiative.createdAt,
  updatedAt: initiative.updatedAt,
});

function fromEntity(entity: unknown): { value: Initiative; etag: string } {
  const { partitionKey, rowKey, etag, ...row } = parseRow(initiativeRow, entity, 'initiative');
  return { value: { ...row, tenantId: fromKey(partitionKey), id: fromKey(rowKey) }, etag };
}
