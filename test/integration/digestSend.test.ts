import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Initiative } from '../../src/domain/initiatives/initiative.js';
import type { Member } from '../../src/domain/people/member.js';
import { createLogger } from '../../src/logger.js';
import { digestSendId } from '../../src/schedule/digests.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { schedulerOn } from '../support/schedulers.js';
import { localBox } from '../support/sealing.js';
import { quietNow, seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';

/**
 * The weekly digest's send: at the service's local day and time, once a week whichever instance ticks and
 * however often, to the right people, through the outbox (so quiet hours hold).
 */
const prefix = uniquePrefix();
const logger = createLogger('silent');
let a: Storage;
let b: Storage;

// Monday 30 November 2026; the default digest moment is 08:00 in Europe/London (GMT, so 08:00Z).
const MONDAY = Date.parse('2026-11-30T08:00:00Z');
const WEEK = '2026-W49';

const initiative = (id: string, createdAt: string, owners: string[]): Initiative => ({
  tenantId: TENANT,
  id,
  title: `Change ${id}`,
  why: 'why',
  vision: 'vision',
  objectives: [],
  model: 'lewin',
  stages: [{ key: 'unfreeze', title: 'Getting ready', explanation: '', focus: ['awareness'] }],
  currentStage: 0,
  audience: { kind: 'all' },
  owners,
  champions: [],
  createdAt,
  updatedAt: createdAt,
});

let staff: string[];
let manager: string;
let leader: string;
let owner: string;

beforeAll(async () => {
  const open = () =>
    openStorage(
      { kind: 'connectionString', connectionString: inject('storageConnectionString') },
      prefix,
      logger,
      localBox(),
    );
  [a, b] = [await open(), await open()];
  const people = await seedStaff(a, 'http://127.0.0.1:9/', 8, { first: 7000 });
  staff = people.map((who) => who.aadObjectId);
  [manager, leader, owner] = staff as [string, string, string];
  const withRole = (id: string, change: Partial<Member>) =>
    a.members.modify(TENANT, id, (current) => ({ ...(current as Member), ...change }));
  // The manager is asleep after a night shift: the digest waits for their quiet hours to end.
  await withRole(manager, { roles: ['manager'], quietHours: quietNow(new Date(MONDAY + 3_600_000)) });
  await withRole(leader, { roles: ['leader'] });
  await a.initiatives.put(initiative('care-plans', '2026-11-01T09:00:00Z', [owner]));
  await a.initiatives.put(initiative('meds', '2026-11-10T09:00:00Z', [owner, leader]));
  // Begun after this week's moment: nothing to report until next week.
  await a.initiatives.put(initiative('late', '2026-11-30T08:30:00Z', [owner]));
});

afterAll(async () => {
  await a?.close();
  await b?.close();
});

const memberIdsOf = async (storage: Storage, id: string) => {
  const send = await storage.broadcasts.get(TENANT, id);
  return send?.audience.kind === 'members' ? [...send.audience.memberIds].sort() : undefined;
};

describe('the weekly digest send', () => {
  it('waits for the local day and time', async () => {
    const early = schedulerOn(a, { now: () => new Date(MONDAY - 60_000) });
    await early.tick();
    await early.stop();
    expect(await a.broadcasts.get(TENANT, digestSendId(TENANT, WEEK))).toBeUndefined();
  });

  it('goes once, from whichever instance holds the lease: a card per change to owners and managers, one overview to leaders', async () => {
    const clock = { now: () => new Date(MONDAY + 3_600_000) };
    const one = schedulerOn(a, clock);
    const two = schedulerOn(b, clock);
    await Promise.all([one.tick(), two.tick()]);
    await Promise.all([one.stop(), two.stop()]);

    // Leaders get the overview instead of one card per change, even where they own one.
    expect(await memberIdsOf(a, digestSendId(TENANT, WEEK, 'care-plans'))).toEqual([manager, owner].sort());
    expect(await memberIdsOf(a, digestSendId(TENANT, WEEK, 'meds'))).toEqual([manager, owner].sort());
    expect(await memberIdsOf(a, digestSendId(TENANT, WEEK))).toEqual([leader]);
    expect(await a.broadcasts.get(TENANT, digestSendId(TENANT, WEEK, 'late'))).toBeUndefined();
    expect((await a.broadcasts.get(TENANT, digestSendId(TENANT, WEEK)))?.digest?.initiativeIds).toEqual([
      'care-plans',
      'meds',
    ]);
    // The week's snapshot is saved for next week's comparison and the trend.
    expect((await a.digestSnapshots.get(TENANT, 'care-plans', WEEK))?.figures.week).toBe(WEEK);

    // Through the outbox, one delivery row per person, carrying their quiet hours for the sender to keep.
    const rows = await a.deliveries.list(digestSendId(TENANT, WEEK, 'care-plans'));
    expect(rows.map((row) => row.memberId).sort()).toEqual([manager, owner].sort());
    expect(rows.find((row) => row.memberId === manager)?.quietHours).toEqual(
      quietNow(new Date(MONDAY + 3_600_000)),
    );
  });

  it('is not sent again after a restart later in the week, and goes again the next week', async () => {
    const sends = async () =>
      (await a.broadcasts.list(TENANT)).filter((send) => send.digest !== undefined).map((send) => send.id);
    const before = await sends();
    const restarted = schedulerOn(b, { now: () => new Date(MONDAY + 2 * 86_400_000) });
    await restarted.tick();
    await restarted.stop();
    expect((await sends()).sort()).toEqual(before.sort());

    const nextWeek = schedulerOn(a, { now: () => new Date(MONDAY + 7 * 86_400_000 + 60_000) });
    await nextWeek.tick();
    await nextWeek.stop();
    expect(await memberIdsOf(a, digestSendId(TENANT, '2026-W50', 'late'))).toEqual([manager, owner].sort());
    // Last week's figures are there to compare against.
    expect((await a.digestSnapshots.before(TENANT, 'care-plans', '2026-W50', 12)).map((s) => s.week)).toEqual(
      [WEEK],
    );
  });
});
