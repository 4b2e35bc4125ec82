import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { CHAMPION_GROUP_FIELDS } from '../domain/champions/championGroups.js';
import type { StoredDigest } from '../domain/digest/digest.js';
import type { DigestFigures } from '../domain/digest/figures.js';
import type { DigestChannel, DigestSettingsStore, DigestSnapshotStore } from '../domain/digest/ports.js';
import type { DigestSchedule } from '../domain/digest/schedule.js';
import { THEME_SOURCES, THEMES } from '../domain/feedback/themes.js';
import { READINESS_DIMENSIONS } from '../domain/initiatives/changeModels.js';
import { isoWeek } from '../domain/shared/isoWeek.js';
import { toStorageError } from './errors.js';
import { fromKey, toKey } from './keys.js';
import { deleteRow, jsonColumn, parseRow, readPartition, readRow, upsertRow } from './rows.js';

const percent = z.number().int().min(-100).max(100);
const figuresSchema: z.ZodType<DigestFigures> = z.object({
  week: z.string(),
  stage: z.object({
    index: z.number().int().min(0),
    count: z.number().int().min(0),
    title: z.string(),
    daysIn: z.number().int().optional(),
    behindDays: z.number().int().min(0).optional(),
    plannedEnd: z.string().optional(),
  }),
  kpis: z.array(
    z.object({
      objective: z.string(),
      name: z.string(),
      unit: z.string(),
      baseline: z.number(),
      target: z.number(),
      latest: z.object({ value: z.number(), on: z.string() }).optional(),
    }),
  ),
  engagement: z.object({
    updatesSent: z.number().int().min(0),
    reached: z.number().int().min(0),
    acknowledgementRate: percent.optional(),
    concerns: z.number().int().min(0),
    pulseResponseRate: percent.optional(),
    pulseRecipients: z.number().int().min(0).optional(),
  }),
  readiness: z
    .object({
      index: z.number().optional(),
      dimensions: z.array(z.object({ dimension: z.string(), score: z.number() })),
      barriers: z.array(z.enum(READINESS_DIMENSIONS)),
      enps: z.number().optional(),
      answers: z.number().int().min(0),
      publishedAt: z.string().optional(),
    })
    .optional(),
  pulse: z.object({ title: z.string(), opensAt: z.string(), openUntil: z.string().optional() }).optional(),
  themes: z
    .object({
      total: z.number().int().min(0),
      top: z.array(z.object({ theme: z.enum(THEMES), count: z.number().int().min(0) })),
      sources: z.record(z.enum(THEME_SOURCES), z.number().int().min(0)),
    })
    .optional(),
  resistance: z.array(
    z.object({
      group: z.string(),
      score: z.number(),
      level: z.enum(['low', 'medium', 'high']),
      drivers: z.array(z.object({ kind: z.string() }).passthrough()),
    }),
  ),
  safeguarding: z.object({
    raised: z.number().int().min(0),
    acknowledgedInTime: z.number().int().min(0),
    // Digests stored before it was counted: a week long gone has nothing still waiting.
    waiting: z.number().int().min(0).default(0),
  }),
  actions: z
    .object({
      open: z.number().int().min(0),
      overdue: z.number().int().min(0),
      doneThisWeek: z.number().int().min(0),
      closureRate: z.number().optional(),
      medianDaysToClose: z.number().optional(),
    })
    .optional(),
  groups: z
    .array(
      z.object({
        group: z.object({ field: z.enum(CHAMPION_GROUP_FIELDS), value: z.string() }),
        people: z.number().int().min(0),
        readiness: z.object({ now: z.number(), before: z.number().optional() }).optional(),
        themes: z.array(z.object({ theme: z.enum(THEMES), count: z.number().int().min(0) })),
        step: z.object({ id: z.string(), because: z.object({ kind: z.string() }).passthrough() }).optional(),
      }),
    )
    .optional(),
}) as unknown as z.ZodType<DigestFigures>;

const storedSchema = z.object({
  initiative: z.object({ id: z.string(), title: z.string() }),
  period: z.object({ from: z.string(), to: z.string() }),
  quotes: z.array(
    z.object({
      ref: z.object({
        tenantId: z.string(),
        initiativeId: z.string().optional(),
        week: z.string(),
        id: z.string(),
      }),
      theme: z.enum(THEMES),
    }),
  ),
  nextSteps: z.array(z.object({ id: z.string(), because: z.object({ kind: z.string() }).passthrough() })),
});

const snapshotRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  figures: jsonColumn(figuresSchema),
  digest: jsonColumn(storedSchema),
});

/**
 * Weekly digest snapshots: PK `<tenant>|<initiative>`, RK ISO week (DESIGN.md). Figures only, after
 * suppression; a trend reads a range of these and nothing else.
 */
export class DigestSnapshotRepository implements DigestSnapshotStore {
  constructor(private readonly table: TableClient) {}

  put(tenantId: string, digest: StoredDigest): Promise<void> {
    const { figures, ...rest } = digest;
    return upsertRow(
      this.table,
      {
        partitionKey: toKey(partitionOf(tenantId, digest.initiative.id)),
        rowKey: figures.week,
        figures: JSON.stringify(figures),
        digest: JSON.stringify(rest),
      },
      'digest snapshot',
    );
  }

  get(tenantId: string, initiativeId: string, week: string): Promise<StoredDigest | undefined> {
    return readRow(this.table, partitionOf(tenantId, initiativeId), week, 'digest snapshot', (entity) => {
      const row = parseRow(snapshotRow, entity, 'digest snapshot');
      return { ...(row.digest as Omit<StoredDigest, 'figures'>), figures: row.figures };
    });
  }

  async before(
    tenantId: string,
    initiativeId: string,
    beforeWeek: string,
    weeks: number,
  ): Promise<DigestFigures[]> {
    const found: DigestFigures[] = [];
    const filter = odata`PartitionKey eq ${toKey(partitionOf(tenantId, initiativeId))} and RowKey ge ${weeksBefore(beforeWeek, weeks)} and RowKey lt ${beforeWeek}`;
    try {
      for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
        found.push(parseRow(snapshotRow, entity, 'digest snapshot').figures);
      }
    } catch (error) {
      throw toStorageError('reading digest snapshots', error);
    }
    return found.sort((a, b) => a.week.localeCompare(b.week)).slice(-weeks);
  }
}

/** Raw; `toKey` encodes it whole for writes and filters, as `readRow` does for reads. */
const partitionOf = (tenantId: string, initiativeId: string) => `${tenantId}|${initiativeId}`;

/**
 * The ISO week `weeks` before `week`, as the lower bound of the range query: ISO weeks sort as text, within
 * a year and across years ("2025-W52" < "2026-W01").
 */
function weeksBefore(week: string, weeks: number): string {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (match === null) throw new Error(`not an ISO week: ${week}`);
  // 4 January is always in week 1; its Monday starts the ISO year.
  const fourth = new Date(Date.UTC(Number(match[1]), 0, 4));
  const firstMonday = fourth.getTime() - ((fourth.getUTCDay() + 6) % 7) * DAY_MS;
  return isoWeek(new Date(firstMonday + (Number(match[2]) - 1 - weeks) * 7 * DAY_MS));
}

const DAY_MS = 86_400_000;
const SCHEDULE_ROW = 'schedule';
const CHANNEL_PREFIX = 'channel|';

const scheduleRow = z.object({ weekday: z.number().int().min(1).max(7), time: z.string() });
const channelRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  conversation: jsonColumn(z.record(z.unknown())),
  addedBy: z.string(),
  addedAt: z.string(),
});

/**
 * Per service (tenant): PK tenant; RK `schedule` holds the digest's day and time, RK `channel|<id>` each
 * channel that gets the aggregate digest.
 */
export class DigestSettingsRepository implements DigestSettingsStore {
  constructor(private readonly table: TableClient) {}

  schedule(tenantId: string): Promise<DigestSchedule | undefined> {
    return readRow(this.table, tenantId, SCHEDULE_ROW, 'digest schedule', (entity) =>
      parseRow(scheduleRow, entity, 'digest schedule'),
    );
  }

  setSchedule(tenantId: string, schedule: DigestSchedule): Promise<void> {
    return upsertRow(
      this.table,
      { partitionKey: toKey(tenantId), rowKey: SCHEDULE_ROW, ...schedule },
      'digest schedule',
    );
  }

  async channels(tenantId: string): Promise<DigestChannel[]> {
    const rows = await readPartition(this.table, tenantId, 'digest channel', (entity) => entity);
    return rows
      .filter((row) => fromKey(String((row as { rowKey?: unknown }).rowKey)).startsWith(CHANNEL_PREFIX))
      .map((row) => {
        const { partitionKey, rowKey, ...channel } = parseRow(channelRow, row, 'digest channel');
        return {
          ...channel,
          tenantId: fromKey(partitionKey),
          conversationId: fromKey(rowKey).slice(CHANNEL_PREFIX.length),
        };
      });
  }

  addChannel(channel: DigestChannel): Promise<void> {
    return upsertRow(
      this.table,
      {
        partitionKey: toKey(channel.tenantId),
        rowKey: toKey(`${CHANNEL_PREFIX}${channel.conversationId}`),
        conversation: JSON.stringify(channel.conversation),
        addedBy: channel.addedBy,
        addedAt: channel.addedAt,
      },
      'digest channel',
    );
  }

  removeChannel(tenantId: string, conversationId: string): Promise<boolean> {
    return deleteRow(this.table, tenantId, `${CHANNEL_PREFIX}${conversationId}`, 'digest channel');
  }
}
