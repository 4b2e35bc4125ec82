import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { AnswerStore } from '../domain/pulses/ports.js';
import type { PulseAnswer } from '../domain/pulses/pulse.js';
import { statusOf, toStorageError } from './errors.js';
import { groupsSchema } from './groupColumns.js';
import { toKey, weekPartition } from './keys.js';
import { deleteWeeksBefore, jsonColumn, parseRow, upsertRow } from './rows.js';

const answerRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  tenantId: z.string(),
  pulseId: z.string(),
  round: z.number().int().min(1),
  initiativeId: z.string().optional(),
  respondent: z.string(),
  memberId: z.string().optional(),
  values: jsonColumn(z.record(z.union([z.number(), z.string()]))),
  groups: jsonColumn(groupsSchema),
  week: z.string(),
  day: z.string(),
});

/**
 * Pulse answers: PK `<tenant>|<initiative or "general">|<ISO week the round opened>` (DESIGN.md: a week is
 * one partition range), RK `<pulse>|<round>|<respondent>`. The respondent is a keyed hash, so one person's
 * answers to one round are always one row, and an anonymous row holds nothing that names them.
 */
export class AnswerRepository implements AnswerStore {
  constructor(private readonly table: TableClient) {}

  put(answer: PulseAnswer): Promise<void> {
    return upsertRow(
      this.table,
      {
        partitionKey: weekPartition(answer.tenantId, answer.initiativeId, answer.week),
        rowKey: rowOf(answer.pulseId, answer.round, answer.respondent),
        tenantId: answer.tenantId,
        pulseId: answer.pulseId,
        round: answer.round,
        initiativeId: answer.initiativeId,
        respondent: answer.respondent,
        memberId: answer.memberId,
        values: JSON.stringify(answer.values),
        groups: JSON.stringify(answer.groups),
        week: answer.week,
        day: answer.day,
      },
      'pulse answer',
    );
  }

  async get(
    tenantId: string,
    initiativeId: string | undefined,
    week: string,
    pulseId: string,
    round: number,
    respondent: string,
  ): Promise<PulseAnswer | undefined> {
    try {
      const entity = await this.table.getEntity(
        weekPartition(tenantId, initiativeId, week),
        rowOf(pulseId, round, respondent),
      );
      return fromEntity(entity);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw toStorageError('reading a pulse answer', error);
    }
  }

  /** Retention: removes answers to rounds that opened before `week`; returns how many. */
  deleteWeeksBefore(week: string): Promise<number> {
    return deleteWeeksBefore(this.table, week, 'pulse answer');
  }

  async forRound(
    tenantId: string,
    initiativeId: string | undefined,
    week: string,
    pulseId: string,
    round: number,
  ): Promise<PulseAnswer[]> {
    const prefix = rowOf(pulseId, round, '');
    const filter = odata`PartitionKey eq ${weekPartition(tenantId, initiativeId, week)} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`;
    const found: PulseAnswer[] = [];
    try {
      for await (const entity of this.table.listEntities({ queryOptions: { filter } }))
        found.push(fromEntity(entity));
    } catch (error) {
      throw toStorageError('listing pulse answers', error);
    }
    return found;
  }
}

/** Base64url hashes and uuids need no encoding; the round is padded so a round's rows are one range. */
const rowOf = (pulseId: string, round: number, respondent: string) =>
  `${toKey(pulseId)}|${String(round).padStart(5, '0')}|${respondent}`;

function fromEntity(entity: unknown): PulseAnswer {
  const { partitionKey: _, rowKey: __, ...row } = parseRow(answerRow, entity, 'pulse answer');
  return row;
}
