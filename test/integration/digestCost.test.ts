import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lastSevenDays } from '../../src/domain/digest/schedule.js';
import { weeklyDigest } from '../../src/domain/digest/weeklyDigest.js';
import { createLogger } from '../../src/logger.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { type CountingProxy, startCountingProxy } from '../support/countingProxy.js';
import { type HistoryShape, seedDigestHistory } from '../support/digestHistory.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';

/**
 * Building a digest reads the week's partitions and the stored snapshots, nothing older (DESIGN.md flow 3):
 * a service a year in pays what a service a week in pays. Counted as requests to the table service, since
 * each query page is one: a digest that read every week's comments, deliveries or answers would need more.
 */
const logger = createLogger('silent');
const shape = (weeks: number): HistoryShape => ({
  weeks,
  staff: 30,
  commentsPerWeek: 60,
  answersPerWeek: 12,
  openAnswersPerWeek: 4,
});
let proxy: CountingProxy;
const opened: Storage[] = [];

const open = async (connectionString: string, prefix: string) => {
  const storage = await openStorage(
    { kind: 'connectionString', connectionString },
    prefix,
    logger,
    localBox(),
  );
  opened.push(storage);
  return storage;
};

beforeAll(async () => {
  proxy = await startCountingProxy(inject('storageConnectionString'));
});

afterAll(async () => {
  for (const storage of opened) await storage.close();
  await proxy?.close();
});

/** Requests made to build the digest of the week ending now, for a service with `weeks` of history. */
async function readsFor(weeks: number) {
  const prefix = uniquePrefix();
  const { initiative } = await seedDigestHistory(
    await open(inject('storageConnectionString'), prefix),
    shape(weeks),
  );
  const counted = await open(proxy.connectionString, prefix);
  proxy.reset();
  const digest = await weeklyDigest(
    {
      ...counted,
      anonymityThreshold: 5,
      commentThreshold: 10,
      safeguardingResendMs: 3_600_000,
      clock: { now: () => new Date() },
    },
    initiative,
    lastSevenDays(new Date(), 'UTC'),
    { save: false },
  );
  return { counts: proxy.counts(), digest };
}

describe('the cost of a digest', () => {
  it('is the same number of storage reads with 20 weeks of history as with 1', async () => {
    const one = await readsFor(1);
    const twenty = await readsFor(20);
    // The same week's figures either way: its 60 comments and the 4 open answers of its round, which has
    // enough answers for them to be shown (one read of the round's answers, however long the history)...
    expect(one.digest.figures.themes?.total).toBe(64);
    expect(twenty.digest.figures.themes?.total).toBe(64);
    expect(twenty.digest.figures.engagement.reached).toBe(30);
    expect(twenty.digest.figures.safeguarding.raised).toBe(1);
    // ...with a trend that only the longer history has, read from snapshots...
    expect(one.digest.trend).toHaveLength(1);
    expect(twenty.digest.trend).toHaveLength(13);
    // ...for the same requests (reads, and the round's publication record written on first reading).
    expect(twenty.counts).toEqual(one.counts);
  }, 120_000);
});
