import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENT_BY_HUDDLE } from '../../src/domain/broadcasts/broadcast.js';
import type { Member } from '../../src/domain/people/member.js';
import { createLogger } from '../../src/logger.js';
import { digestSendId } from '../../src/schedule/digests.js';
import { type EmbeddedStorage, startAzurite } from '../../src/storage/azurite.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { schedulerOn } from '../support/schedulers.js';
import { localBox } from '../support/sealing.js';
import { seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { until } from '../support/until.js';

/**
 * The scheduler while storage is away at the moment work falls due: the weekly digest and a scheduled
 * update wait for storage to come back, then go, late and once. The scheduler runs its own loop (as in the
 * server) on a clock the test moves; Azurite persists to disk and starts again on the same ports.
 */
// Monday 30 November 2026; the default digest moment is 08:00 in Europe/London (GMT, so 08:00Z).
const MONDAY = Date.parse('2026-11-30T08:00:00Z');
const WEEK = '2026-W49';
const UPDATE = 'scheduled-update';

let dataDir: string;
let azurite: EmbeddedStorage;
let storage: Storage;
let staff: string[];
let at = MONDAY - 3_600_000;
const clock = { now: () => new Date(at) };
const pause = (ms: number) => new Promise((wait) => setTimeout(wait, ms));
const startStorage = () =>
  startAzurite({ dataDir, logFile: 'test-output/azurite-outage.log', ports: azurite?.ports });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'huddle-scheduler-outage-'));
  azurite = await startStorage();
  storage = await openStorage(
    { kind: 'connectionString', connectionString: azurite.connectionString },
    uniquePrefix(),
    createLogger('silent'),
    localBox(),
  );
  staff = (await seedStaff(storage, 'http://127.0.0.1:9/', 4, { first: 7100 })).map((who) => who.aadObjectId);
  const [manager, leader] = staff as [string, string];
  const withRole = (id: string, roles: Member['roles']) =>
    storage.members.modify(TENANT, id, (current) => ({ ...(current as Member), roles }));
  await withRole(manager, ['manager']);
  await withRole(leader, ['leader']);
  await storage.initiatives.put({
    tenantId: TENANT,
    id: 'care-plans',
    title: 'Digital care plans',
    why: 'why',
    vision: 'vision',
    objectives: [],
    model: 'lewin',
    stages: [{ key: 'unfreeze', title: 'Getting ready', explanation: '', focus: ['awareness'] }],
    currentStage: 0,
    audience: { kind: 'all' },
    owners: [],
    champions: [],
    createdAt: '2026-11-01T09:00:00Z',
    updatedAt: '2026-11-01T09:00:00Z',
  });
  await storage.broadcasts.createMissing({
    tenantId: TENANT,
    id: UPDATE,
    content: { headline: 'Tablets arrive on Monday', message: 'Each unit gets two.' },
    audience: { kind: 'all' },
    urgent: false,
    sendAt: new Date(MONDAY + 60_000).toISOString(),
    status: 'scheduled',
    createdBy: SENT_BY_HUDDLE,
    recipients: 0,
    createdAt: new Date(at).toISOString(),
    updatedAt: new Date(at).toISOString(),
  });
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('work that falls due while storage is down', () => {
  it('runs once storage is back, late and once: the weekly digest and a scheduled update', async () => {
    const scheduler = schedulerOn(storage, clock);
    scheduler.start();
    try {
      await pause(1_000);
      expect(await storage.broadcasts.get(TENANT, digestSendId(TENANT, WEEK))).toBeUndefined();

      await azurite.stop();
      // The digest's moment and the update's send time pass while the scheduler cannot reach storage.
      at = MONDAY + 5 * 60_000;
      await pause(3_000);
      azurite = await startStorage();

      const leaders = await until(
        () => storage.broadcasts.get(TENANT, digestSendId(TENANT, WEEK)),
        (send) => send !== undefined && send.status !== 'scheduled',
        60_000,
      );
      await until(
        () => storage.broadcasts.get(TENANT, UPDATE),
        (update) => update?.status === 'sending',
      );
      // More ticks, and a later digest check, find everything done and start nothing again.
      at += 2 * 60_000;
      await pause(2_000);

      const digests = (await storage.broadcasts.list(TENANT)).filter((send) => send.digest !== undefined);
      expect(digests.map((send) => send.id).sort()).toEqual(
        [digestSendId(TENANT, WEEK), digestSendId(TENANT, WEEK, 'care-plans')].sort(),
      );
      expect(leaders?.sendAt).toBe(new Date(MONDAY + 5 * 60_000).toISOString());
      const [manager, leader] = staff as [string, string];
      expect((await storage.deliveries.list(digestSendId(TENANT, WEEK))).map((row) => row.memberId)).toEqual([
        leader,
      ]);
      expect(
        (await storage.deliveries.list(digestSendId(TENANT, WEEK, 'care-plans'))).map((row) => row.memberId),
      ).toEqual([manager]);
      const update = await storage.broadcasts.get(TENANT, UPDATE);
      expect(update?.recipients).toBe(staff.length);
      expect((await storage.deliveries.list(UPDATE)).map((row) => row.memberId).sort()).toEqual(
        [...staff].sort(),
      );
    } finally {
      await scheduler.stop();
    }
  }, 120_000);
});
