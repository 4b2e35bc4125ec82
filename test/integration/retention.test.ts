import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isoWeek } from '../../src/domain/isoWeek.js';
import type { PulseAnswer } from '../../src/domain/pulse.js';
import { firstKeptWeek } from '../../src/domain/retention.js';
import { createLogger } from '../../src/logger.js';
import { RetentionCleanup } from '../../src/schedule/retention.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { uniquePrefix } from '../support/testHuddle.js';

let storage: Storage;
const now = new Date('2026-11-23T03:00:00Z');
const weeksAgo = (weeks: number) => isoWeek(new Date(now.getTime() - weeks * 7 * 86_400_000));

beforeAll(async () => {
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    uniquePrefix(),
    createLogger('silent'),
  );
});
afterAll(async () => storage?.close());

const answer = (week: string, n: number): PulseAnswer => ({
  tenantId: TENANT,
  pulseId: 'p',
  round: 1,
  initiativeId: 'dcp',
  respondent: `r${n}`,
  values: { mood: 3 },
  groups: {},
  week,
  day: '2024-01-01',
});

describe('retention clean-up', () => {
  it('deletes exactly the answers and comments older than the window, and logs the counts', async () => {
    const kept = firstKeptWeek(now, 24);
    expect(kept).toBe('2024-W47');
    // 150 answers in the last week before the window (two transactions), some on its first week, some recent.
    const old = '2024-W46';
    for (let n = 0; n < 150; n++) await storage.answers.put(answer(old, n));
    for (let n = 0; n < 3; n++) await storage.answers.put(answer(kept, 1_000 + n));
    await storage.answers.put(answer(weeksAgo(1), 2_000));
    const comment = (week: string, id: string) =>
      storage.comments.add({
        tenantId: TENANT,
        id,
        source: 'concern',
        text: 'Too much to learn at once.',
        anonymous: true,
        groups: {},
        week,
        day: '2024-01-01',
      });
    await comment('2023-W02', 'ancient');
    await comment(old, 'old');
    await comment(kept, 'kept');

    const lines: object[] = [];
    const logger = createLogger('info');
    const cleanup = new RetentionCleanup({
      ...storage,
      logger: Object.assign(Object.create(logger), { info: (fields: object) => lines.push(fields) }),
      retentionMonths: 24,
    });
    await cleanup.runIfDue(now);
    expect(lines).toEqual([{ keptFrom: kept, retentionMonths: 24, answers: 150, comments: 2 }]);
    expect(await storage.answers.forRound(TENANT, 'dcp', old, 'p', 1)).toEqual([]);
    expect(await storage.answers.forRound(TENANT, 'dcp', kept, 'p', 1)).toHaveLength(3);
    expect(await storage.answers.forRound(TENANT, 'dcp', weeksAgo(1), 'p', 1)).toHaveLength(1);
    // Once a day: an hour later nothing runs.
    await cleanup.runIfDue(new Date(now.getTime() + 3_600_000));
    expect(lines).toHaveLength(1);
  });
});
