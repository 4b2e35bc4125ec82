import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Publication } from '../../src/domain/pulses/publication.js';
import { type PulseAnswer, type PulseRound, roundSendId } from '../../src/domain/pulses/pulse.js';
import { type ReportingDeps, roundResultsOf } from '../../src/domain/pulses/pulseReporting.js';
import { isoWeek } from '../../src/domain/shared/isoWeek.js';
import { createLogger } from '../../src/logger.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { pulseFixture } from '../support/pulses.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';

let storage: Storage;
let clock = new Date('2026-12-03T09:00:00Z');
let deps: ReportingDeps;

beforeAll(async () => {
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    uniquePrefix(),
    createLogger('silent'),
    localBox(),
  );
  deps = { ...storage, clock: { now: () => clock }, anonymityThreshold: 5 };
});
afterAll(async () => storage?.close());

const pulse = pulseFixture({
  opensAt: '2026-11-23T09:00:00.000Z',
  closesAt: '2026-12-20T09:00:00.000Z',
  cadence: 'weekly',
});
const roundOf = (number: number, opensAt: string, status: PulseRound['status']): PulseRound => ({
  tenantId: TENANT,
  pulseId: pulse.id,
  number,
  opensAt,
  closesAt: new Date(Date.parse(opensAt) + 6 * 86_400_000).toISOString(),
  reminders: [],
  status,
  recipients: 20,
  recipientsByGroup: {},
});
const first = roundOf(1, '2026-11-23T09:00:00.000Z', 'closed');
const second = roundOf(2, '2026-11-30T09:00:00.000Z', 'open');

/** The round's opening reached all 20 it was sent to: response rates are over the people reached. */
async function reachedAll(round: PulseRound) {
  await storage.deliveries.createMissing(
    Array.from({ length: round.recipients }, (_, n) => ({
      broadcastId: roundSendId(pulse.id, round.number, 'open'),
      tenantId: TENANT,
      memberId: `member-${n}`,
      status: 'sent' as const,
      attempts: 1,
      conversation: {},
      locale: 'en-GB',
      timeZone: 'UTC',
      quietHours: { start: '00:00', end: '00:00' },
      groups: { site: 'Oak View' },
    })),
  );
}

/** Answers n..n+count-1 to a round, each feeling `mood`; respondents stand in for keyed hashes. */
async function answer(round: PulseRound, from: number, count: number, mood: number) {
  for (let n = from; n < from + count; n++) {
    const stored: PulseAnswer = {
      tenantId: TENANT,
      pulseId: pulse.id,
      round: round.number,
      respondent: `${String(n).padStart(4, '0')}-respondent-hash`,
      values: { mood },
      groups: { site: 'Oak View' },
      week: isoWeek(new Date(round.opensAt)),
      day: round.opensAt.slice(0, 10),
    };
    await storage.answers.put(stored);
  }
}
const read = async (round: PulseRound, at: string) => {
  clock = new Date(at);
  return (await roundResultsOf(deps, TENANT, pulse.id, round.number)).results;
};
const moodOf = (figures: { items: { mean?: number | undefined }[] } | undefined) => figures?.items[0]?.mean;

describe('published pulse figures', () => {
  it('shows the same figures, marked, until the threshold of answers has changed, then new ones', async () => {
    await storage.pulses.create(pulse);
    await storage.rounds.createMissing(first);
    await storage.rounds.createMissing(second);
    await reachedAll(first);
    await reachedAll(second);
    await answer(first, 0, 5, 2);
    const published = await read(first, '2026-11-24T09:00:00.000Z');
    expect(published.overall?.asPublished).toBeUndefined();
    expect(moodOf(published.overall)).toBe(2);

    // Four more answers, and one of the first five changed to the same: four changes.
    await answer(first, 5, 4, 5);
    await answer(first, 0, 1, 2);
    const again = await read(first, '2026-11-25T09:00:00.000Z');
    expect(again.answers).toBe(9);
    expect(again.overall).toEqual({ ...published.overall, asPublished: { at: '2026-11-24T09:00:00.000Z' } });
    expect(again.groups).toEqual(
      published.groups.map((group) => ({ ...group, asPublished: { at: '2026-11-24T09:00:00.000Z' } })),
    );

    // One of the first five changes their answer: five changes.
    await answer(first, 0, 1, 5);
    const next = await read(first, '2026-11-26T09:00:00.000Z');
    expect(next.overall?.asPublished).toBeUndefined();
    expect(next.overall?.answers).toBe(9);
    expect(moodOf(next.overall)).toBe(3.7);
  });

  it('works out the movement since the last round between published figures only', async () => {
    await answer(second, 100, 5, 4);
    const opened = await read(second, '2026-12-01T09:00:00.000Z');
    expect(opened.trend?.responseRate).toBe(25 - 45);
    // Two more answers move neither this round's published figures nor the movement.
    await answer(second, 105, 2, 1);
    const later = await read(second, '2026-12-02T09:00:00.000Z');
    expect(later.answers).toBe(7);
    expect(later.overall?.asPublished).toEqual({ at: '2026-12-01T09:00:00.000Z' });
    expect(later.trend).toEqual(opened.trend);
  });

  it('lets only one of several readers publishing at once win; the others show what the winner published', async () => {
    const publication = (answers: number): Publication => ({
      group: { field: 'all' },
      figures: { group: { field: 'all' }, answers, items: [], dimensions: [], barriers: [] },
      publishedAt: `2026-12-03T09:00:0${answers}.000Z`,
      changes: [{}],
    });
    for (let race = 1; race <= 5; race++) {
      const round = { tenantId: TENANT, pulseId: 'race', round: race, week: '2026-W49' };
      // Each publishes its own figures unless it finds some there already, as the rule would.
      const reader = (answers: number) =>
        storage.publications.publish(round, (last) => (last.has('all') ? [] : [publication(answers)]));
      const seen = await Promise.all([reader(5), reader(6), reader(7)]);
      const winner = seen[0]?.get('all');
      expect(winner).toBeDefined();
      for (const one of seen) expect(one.get('all')).toEqual(winner);
      expect((await reader(8)).get('all')).toEqual(winner);
    }
  });

  it('keeps the changes of a group of thousands, more than one table column holds', async () => {
    const round = { tenantId: TENANT, pulseId: 'large', round: 1, week: '2026-W49' };
    const changes = Object.fromEntries(
      Array.from({ length: 3_000 }, (_, n) => [`${String(n).padStart(12, '0')}`, 'fingerprint0']),
    );
    const large: Publication = {
      group: { field: 'all' },
      figures: { group: { field: 'all' }, answers: 3_000, items: [], dimensions: [], barriers: [] },
      publishedAt: '2026-12-03T09:00:00.000Z',
      changes: [changes, { '000000000001': '' }],
    };
    await storage.publications.publish(round, () => [large]);
    const stored = (await storage.publications.publish(round, () => [])).get('all');
    expect(stored?.changes).toEqual(large.changes);
  });

  it('counts a round whose delivery rows are gone over the people it was sent to, not over nobody', async () => {
    const third = roundOf(3, '2026-12-07T09:00:00.000Z', 'open');
    await storage.rounds.createMissing(third);
    await answer(third, 200, 5, 3);
    expect((await read(third, '2026-12-08T09:00:00.000Z')).responseRate).toBe(25);
  });
});
