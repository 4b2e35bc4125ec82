import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { GROUP_FIELDS } from '../domain/people/member.js';
import type { PulseStore, RoundStore } from '../domain/pulses/ports.js';
import {
  ANONYMITY,
  CADENCES,
  type ITEM_KINDS,
  PULSE_STATUSES,
  type Pulse,
  type PulseRound,
  ROUND_STATUSES,
} from '../domain/pulses/pulse.js';
import { ConcurrencyError, toStorageError } from './errors.js';
import { broadcastAudienceSchema } from './groupColumns.js';
import { fromKey, toKey } from './keys.js';
import { jsonColumn, modifyRow, parseRow, readPartition, readRow, replaceRow } from './rows.js';

/** What a pulse item measures, as stored in items and in published figures. */
export const dimensionSchema = z.enum([
  'awareness',
  'desire',
  'knowledge',
  'ability',
  'reinforcement',
  'commitment',
  'efficacy',
  'enps',
]);
const itemSchema = z.discriminatedUnion('kind', [
  z.object({
    id: z.string(),
    kind: z.literal('agree5'),
    text: z.string(),
    dimension: dimensionSchema.optional(),
  }),
  z.object({
    id: z.string(),
    kind: z.literal('scale10'),
    text: z.string(),
    dimension: dimensionSchema.optional(),
  }),
  z.object({ id: z.string(), kind: z.literal('choice'), text: z.string(), options: z.array(z.string()) }),
  z.object({ id: z.string(), kind: z.literal('mood'), text: z.string() }),
  z.object({ id: z.string(), kind: z.literal('text'), text: z.string() }),
]) satisfies z.ZodType<{ kind: (typeof ITEM_KINDS)[number] }>;

const pulseRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string(),
  title: z.string(),
  initiativeId: z.string().optional(),
  items: jsonColumn(z.array(itemSchema)),
  audience: jsonColumn(broadcastAudienceSchema),
  channel: jsonColumn(z.object({ conversationId: z.string(), name: z.string().optional() })).optional(),
  opensAt: z.string(),
  closesAt: z.string(),
  cadence: z.enum(CADENCES),
  anonymity: z.enum(ANONYMITY),
  status: z.enum(PULSE_STATUSES),
  createdBy: jsonColumn(
    z.object({ aadObjectId: z.string(), name: z.string(), locale: z.string(), timeZone: z.string() }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Pulses: PK tenant, RK pulse id. */
export class PulseRepository implements PulseStore {
  constructor(private readonly table: TableClient) {}

  async create(pulse: Pulse): Promise<void> {
    try {
      await this.table.createEntity(pulseEntity(pulse));
    } catch (error) {
      throw toStorageError('saving a pulse', error);
    }
  }

  async get(tenantId: string, id: string): Promise<Pulse | undefined> {
    return (await readRow(this.table, tenantId, id, 'pulse', pulseFrom))?.value;
  }

  async list(tenantId: string): Promise<Pulse[]> {
    return (await readPartition(this.table, tenantId, 'pulse', pulseFrom)).map((row) => row.value);
  }

  async modify(tenantId: string, id: string, change: (current: Pulse) => Pulse | undefined) {
    const result = await modifyRow(
      () => readRow(this.table, tenantId, id, 'pulse', pulseFrom),
      (next, etag) => replaceRow(this.table, pulseEntity(next), etag, 'pulse'),
      change,
    );
    return result?.value;
  }
}

function pulseEntity(pulse: Pulse) {
  return {
    partitionKey: toKey(pulse.tenantId),
    rowKey: toKey(pulse.id),
    title: pulse.title,
    initiativeId: pulse.initiativeId,
    items: JSON.stringify(pulse.items),
    audience: JSON.stringify(pulse.audience),
    channel: pulse.channel === undefined ? undefined : JSON.stringify(pulse.channel),
    opensAt: pulse.opensAt,
    closesAt: pulse.closesAt,
    cadence: pulse.cadence,
    anonymity: pulse.anonymity,
    status: pulse.status,
    createdBy: JSON.stringify(pulse.createdBy),
    createdAt: pulse.createdAt,
    updatedAt: pulse.updatedAt,
  };
}

function pulseFrom(entity: unknown): { value: Pulse; etag: string } {
  const { partitionKey, rowKey, etag, ...row } = parseRow(pulseRow, entity, 'pulse');
  return { etag, value: { ...row, tenantId: fromKey(partitionKey), id: fromKey(rowKey) } };
}

const perValue = z.record(z.number().int().min(0)).optional();
const countsSchema = z.object(
  Object.fromEntries(GROUP_FIELDS.map((field) => [field, perValue])) as Record<
    (typeof GROUP_FIELDS)[number],
    typeof perValue
  >,
);

const roundRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string(),
  pulseId: z.string(),
  number: z.number().int().min(1),
  opensAt: z.string(),
  closesAt: z.string(),
  reminders: jsonColumn(z.array(z.object({ at: z.string(), sent: z.boolean() }))),
  status: z.enum(ROUND_STATUSES),
  recipients: z.number().int().min(0),
  recipientsByGroup: jsonColumn(countsSchema),
});

/**
 * Rounds: PK tenant, RK `<pulse id>|<round, zero-padded>` so a pulse's rounds are one key range in order.
 * The scheduler scans for unfinished rounds across tenants; there are few of them at any time.
 */
export class RoundRepository implements RoundStore {
  constructor(private readonly table: TableClient) {}

  async createMissing(round: PulseRound): Promise<void> {
    try {
      await this.table.createEntity(roundEntity(round));
    } catch (error) {
      const failure = toStorageError('saving a pulse round', error);
      if (!(failure instanceof ConcurrencyError)) throw failure;
    }
  }

  async get(tenantId: string, pulseId: string, round: number): Promise<PulseRound | undefined> {
    return (await readRow(this.table, tenantId, roundKey(pulseId, round), 'pulse round', roundFrom))?.value;
  }

  async forPulse(tenantId: string, pulseId: string): Promise<PulseRound[]> {
    return this.query(this.roundsOf(tenantId, pulseId));
  }

  async openDuring(tenantId: string, pulseId: string, from: string, to: string): Promise<PulseRound[]> {
    return this.query(
      `${this.roundsOf(tenantId, pulseId)} and ${odata`opensAt lt ${to} and closesAt ge ${from}`}`,
    );
  }

  private roundsOf(tenantId: string, pulseId: string): string {
    const prefix = toKey(`${pulseId}|`);
    return odata`PartitionKey eq ${toKey(tenantId)} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`;
  }

  async modify(
    tenantId: string,
    pulseId: string,
    round: number,
    change: (current: PulseRound) => PulseRound | undefined,
  ) {
    const result = await modifyRow(
      () => readRow(this.table, tenantId, roundKey(pulseId, round), 'pulse round', roundFrom),
      (next, etag) => replaceRow(this.table, roundEntity(next), etag, 'pulse round'),
      change,
    );
    return result?.value;
  }

  unfinished(): Promise<PulseRound[]> {
    return this.query(odata`status ne ${'closed'}`);
  }

  private async query(filter: string): Promise<PulseRound[]> {
    const rows: PulseRound[] = [];
    try {
      for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
        rows.push(roundFrom(entity).value);
      }
    } catch (error) {
      throw toStorageError('listing pulse rounds', error);
    }
    return rows;
  }
}

/** Zero-padded so rounds sort in order as strings. */
const roundKey = (pulseId: string, round: number) => `${pulseId}|${String(round).padStart(5, '0')}`;

function roundEntity(round: PulseRound) {
  return {
    partitionKey: toKey(round.tenantId),
    rowKey: toKey(roundKey(round.pulseId, round.number)),
    pulseId: round.pulseId,
    number: round.number,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    reminders: JSON.stringify(round.reminders),
    status: round.status,
    recipients: round.recipients,
    recipientsByGroup: JSON.stringify(round.recipientsByGroup),
  };
}

function roundFrom(entity: unknown): { value: PulseRound; etag: string } {
  const { partitionKey, rowKey: _, etag, ...row } = parseRow(roundRow, entity, 'pulse round');
  return { etag, value: { ...row, tenantId: fromKey(partitionKey) } };
}
