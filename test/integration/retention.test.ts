import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ReplyHandles } from '../../src/domain/feedback/replyHandles.js';
import type { PulseAnswer } from '../../src/domain/pulses/pulse.js';
import { isoWeek } from '../../src/domain/shared/isoWeek.js';
import { firstKeptWeek } from '../../src/domain/shared/retention.js';
import { createLogger } from '../../src/logger.js';
import { RetentionCleanup } from '../../src/schedule/retention.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';

let storage: Storage;
const now = new Date('2026-11-23T03:00:00Z');
const weeksAgo = (weeks: number) => isoWeek(new Date(now.getTime() - weeks * 7 * 86_400_000));

beforeAll(async () => {
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    uniquePrefix(),
    createLogger('silent'),
    localBox(),
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
  it('deletes exactly the answers, published figures, comments and follow-ups older than their windows, and logs the counts', async () => {
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
    // The figures published from a round's answers go with them.
    const published = (week: string, round: number) =>
      storage.publications.publish({ tenantId: TENANT, pulseId: 'p', round, week }, () => [
        {
          group: { field: 'all' },
          figures: { group: { field: 'all' }, answers: 5, items: [], dimensions: [], barriers: [] },
          publishedAt: '2024-11-20T09:00:00.000Z',
          changes: [{}],
        },
      ]);
    await published(old, 1);
    await published(kept, 2);
    await comment('2023-W02', 'ancient');
    await comment(old, 'old');
    await comment(kept, 'kept');
    // Follow-ups: messages go with the retention window; reply handles with the follow-up window (30 days).
    const message = (id: string, at: string) =>
      storage.threads.add({
        tenantId: TENANT,
        commentId: 'kept',
        id,
        from: 'manager',
        manager: { aadObjectId: 'aad-m', name: 'Alex' },
        text: 'Thank you for saying.',
        at,
      });
    await message('before', '2024-11-22T23:59:00.000Z');
    await message('after', '2024-11-23T03:00:01.000Z');
    const handles = new ReplyHandles(localBox(), 30 * 86_400_000);
    const withHandle = (id: string, day: string) =>
      storage.comments.add({
        tenantId: TENANT,
        id,
        source: 'feedback',
        text: 'Handover takes too long.',
        anonymous: true,
        groups: {},
        week: weeksAgo(1),
        day,
        replyHandle: handles.seal(TENANT, id, 'aad-writer', new Date(`${day}T12:00:00Z`)),
      });
    await withHandle('lapsed', '2026-10-22');
    await withHandle('open', '2026-10-23');
    // Card action claims matter for minutes; those over a day old go.
    await storage.actionClaims.claim(TENANT, 'yesterday', new Date(now.getTime() - 86_400_001), 120_000);
    await storage.actionClaims.claim(TENANT, 'today', new Date(now.getTime() - 60_000), 120_000);

    const lines: object[] = [];
    const logger = createLogger('info');
    const cleanup = new RetentionCleanup({
      ...storage,
      logger: Object.assign(Object.create(logger), { info: (fields: object) => lines.push(fields) }),
      retentionMonths: 24,
      replyWindowMs: 30 * 86_400_000,
    });
    await cleanup.runIfDue(now);
    expect(lines).toEqual([
      {
        keptFrom: kept,
        retentionMonths: 24,
        answers: 150,
        comments: 2,
        publications: 1,
        followUpMessages: 1,
        replyHandles: 1,
        actionClaims: 1,
      },
    ]);
    // The claim from a minute ago still stands: the same press now is a repeat.
    expect(await storage.actionClaims.claim(TENANT, 'today', now, 120_000)).toBe(false);
    expect((await storage.threads.list(TENANT, 'kept')).map((one) => one.id)).toEqual(['after']);
    const handleOf = async (id: string) =>
      (await storage.comments.get({ tenantId: TENANT, week: weeksAgo(1), id }))?.replyHandle;
    expect(await handleOf('lapsed')).toBeUndefined();
    expect(await handleOf('open')).toBeDefined();
    expect(await storage.answers.forRound(TENANT, 'dcp', old, 'p', 1)).toEqual([]);
    expect(await storage.answers.forRound(TENANT, 'dcp', kept, 'p', 1)).toHaveLength(3);
    expect(await storage.answers.forRound(TENANT, 'dcp', weeksAgo(1), 'p', 1)).toHaveLength(1);
    const last = (round: number) =>
      storage.publications.publish({ tenantId: TENANT, pulseId: 'p', round, week: kept }, () => []);
    expect((await last(1)).size).toBe(0);
    expect((await last(2)).size).toBe(1);
    // Once a day: an hour later nothing runs.
    await cleanup.runIfDue(new Date(now.getTime() + 3_600_000));
    expect(lines).toHaveLength(1);
  });
});
