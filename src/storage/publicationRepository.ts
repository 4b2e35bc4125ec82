import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { READINESS_DIMENSIONS } from '../domain/initiatives/changeModels.js';
import { GROUP_FIELDS } from '../domain/people/member.js';
import { groupLabel } from '../domain/pulses/anonymity.js';
import type { PublicationStore, RoundRef } from '../domain/pulses/ports.js';
import type { Publication } from '../domain/pulses/publication.js';
import { ITEM_KINDS } from '../domain/pulses/pulse.js';
import { ConcurrencyError, toStorageError } from './errors.js';
import { toKey } from './keys.js';
import { dimensionSchema } from './pulseRepository.js';
import { deleteWeeksBefore, jsonColumn, parseRow, readPartition, replaceRow } from './rows.js';

const groupSchema = z.union([
  z.object({ field: z.literal('all') }),
  z.object({ field: z.enum(GROUP_FIELDS), value: z.string() }),
]);

const figuresSchema = z.object({
  group: groupSchema,
  answers: z.number().int().min(0),
  responseRate: z.number().optional(),
  items: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      kind: z.enum(ITEM_KINDS),
      distribution: z.array(z.object({ value: z.number(), count: z.number().int().min(0) })),
      mean: z.number().optional(),
    }),
  ),
  dimensions: z.array(z.object({ dimension: dimensionSchema, score: z.number() })),
  readinessIndex: z.number().optional(),
  barriers: z.array(z.enum(READINESS_DIMENSIONS)),
  enps: z.number().optional(),
});

/**
 * Azure keeps at most 32K characters in a string column and 1 MiB in a row, so the changes (about 30
 * characters per answer counted or changed) are spread over numbered columns: up to 16 of them, some
 * 16,000 answers and changes in one group's publications.
 */
const CHUNK_CHARS = 30_000;
const CHUNKS_MAX = 16;
const chunkColumns = Object.fromEntries(
  Array.from({ length: CHUNKS_MAX }, (_, index) => [`changes${index}`, z.string().optional()]),
);

const publicationRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string(),
  figures: z.string(),
  publishedAt: z.string(),
  week: z.string(),
  ...chunkColumns,
});

/** The figures and the changes, once the changes' columns are joined. */
const publicationColumns = z.object({
  figures: jsonColumn(figuresSchema),
  changes: jsonColumn(z.array(z.record(z.string()))),
});

const ATTEMPTS = 5;

/**
 * The figures last published for each group of a round (publication.ts): PK `<tenant>|<pulse>|<round>`,
 * RK the group's label, so one read gives a round's every group. A row is inserted for a group's first
 * publication and replaced with its ETag after, so when two readers publish at once one of them fails,
 * reads again and decides again on what the other published.
 */
export class PublicationRepository implements PublicationStore {
  constructor(private readonly table: TableClient) {}

  async publish(
    round: RoundRef,
    decide: (last: ReadonlyMap<string, Publication>) => Publication[],
  ): Promise<ReadonlyMap<string, Publication>> {
    for (let attempt = 1; ; attempt++) {
      const stored = await readPartition(
        this.table,
        partitionOf(round),
        'figures publication',
        publicationFrom,
      );
      const last = new Map(stored.map(({ value }) => [groupLabel(value.group), value]));
      const etags = new Map(stored.map(({ value, etag }) => [groupLabel(value.group), etag]));
      try {
        for (const publication of decide(last)) {
          const label = groupLabel(publication.group);
          await this.write(publicationEntity(round, publication), etags.get(label));
          last.set(label, publication);
        }
        return last;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /** Retention: removes the publications of rounds that opened before `week`; returns how many. */
  deleteWeeksBefore(week: string): Promise<number> {
    return deleteWeeksBefore(this.table, week, 'figures publication');
  }

  private async write(entity: ReturnType<typeof publicationEntity>, etag: string | undefined) {
    if (etag !== undefined) return replaceRow(this.table, entity, etag, 'figures publication');
    try {
      await this.table.createEntity(entity);
    } catch (error) {
      throw toStorageError('saving a figures publication', error);
    }
  }
}

/** Zero-padded so a pulse's rounds sort in order, as in the rounds table. */
const partitionOf = (round: RoundRef) =>
  `${round.tenantId}|${round.pulseId}|${String(round.round).padStart(5, '0')}`;

function publicationEntity(round: RoundRef, publication: Publication) {
  const changes = JSON.stringify(publication.changes);
  const chunks: Record<string, string> = {};
  for (let index = 0; index * CHUNK_CHARS < changes.length; index++)
    chunks[`changes${index}`] = changes.slice(index * CHUNK_CHARS, (index + 1) * CHUNK_CHARS);
  const { asPublished: _, ...figures } = publication.figures;
  return {
    partitionKey: toKey(partitionOf(round)),
    rowKey: toKey(groupLabel(publication.group)),
    figures: JSON.stringify(figures),
    publishedAt: publication.publishedAt,
    week: round.week,
    ...chunks,
  };
}

function publicationFrom(entity: unknown): { value: Publication; etag: string } {
  const row: Record<string, string | undefined> & z.infer<typeof publicationRow> = parseRow(
    publicationRow,
    entity,
    'figures publication',
  );
  let changes = '';
  for (let index = 0; row[`changes${index}`] !== undefined; index++) changes += row[`changes${index}`];
  const parsed = parseRow(publicationColumns, { figures: row.figures, changes }, 'figures publication');
  return {
    etag: row.etag,
    value: { group: parsed.figures.group, publishedAt: row.publishedAt, ...parsed },
  };
}
