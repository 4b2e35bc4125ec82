/**
 * Benchmark: building the weekly digest. Not part of the suite.
 *
 *   npx tsx test/bench/digest.bench.ts [runs=15]
 *
 * 1. History: one initiative with 52 weeks behind it against the same initiative one week in (30 staff,
 *    60 comments, 12 answers and an update a week). Median build time of each, interleaved; goal: 52 weeks
 *    over 1 week <= 1.2.
 * 2. Scale: a 2,000-staff service with three initiatives and a week of 2,000 answers and 300 comments (and
 *    an update to everyone per initiative). Median time to build the three digests against the median time
 *    to read the same week's rows through the same repositories without building anything; goal <= 1.5.
 *
 * Both against an Azurite started here (in memory), on this machine's two shared cores.
 */

import { cpus, loadavg, totalmem } from 'node:os';
import { lastSevenDays } from '../../src/domain/digest/schedule.js';
import {
  readTenantWeek,
  TREND_WEEKS,
  type WeeklyDigestDeps,
  weeklyDigest,
} from '../../src/domain/digest/weeklyDigest.js';
import type { Initiative } from '../../src/domain/initiatives/initiative.js';
import { isoWeek } from '../../src/domain/shared/isoWeek.js';
import { createLogger } from '../../src/logger.js';
import { startAzurite } from '../../src/storage/azurite.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { seedDigestHistory } from '../support/digestHistory.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { printSummary } from './summary.js';

const RUNS = Number(process.argv[2] ?? 15);
const print = (line: string) => process.stdout.write(`${line}\n`);
const logger = createLogger('silent');
const azurite = await startAzurite({ dataDir: undefined, logFile: '/dev/null' });
const open = () =>
  openStorage(
    { kind: 'connectionString', connectionString: azurite.connectionString },
    uniquePrefix(),
    logger,
    localBox(),
  );

const depsOf = (storage: Storage): WeeklyDigestDeps => ({
  ...storage,
  anonymityThreshold: 5,
  commentThreshold: 10,
  safeguardingResendMs: 3_600_000,
  clock: { now: () => new Date() },
});

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

print(
  `machine: ${cpus().length} cores (${cpus()[0]?.model}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
);
print(
  `load average at start: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`,
);

// 1. History.
const shape = { staff: 30, commentsPerWeek: 60, answersPerWeek: 12 };
const young = await open();
const old = await open();
let seeding = performance.now();
const one = (await seedDigestHistory(young, { ...shape, weeks: 1 })).initiative;
const year = (await seedDigestHistory(old, { ...shape, weeks: 52 })).initiative;
print(`seeded 1 and 52 weeks in ${Math.round(performance.now() - seeding)} ms`);
const build = (storage: Storage, initiative: Initiative) => () =>
  weeklyDigest(depsOf(storage), initiative, lastSevenDays(new Date(), 'UTC'), { save: false });
const youngTimes: number[] = [];
const oldTimes: number[] = [];
for (let run = 0; run < RUNS + 2; run++) {
  const a = await timed(build(young, one));
  const b = await timed(build(old, year));
  // The first two runs warm connections and caches on both sides.
  if (run >= 2) {
    youngTimes.push(a);
    oldTimes.push(b);
  }
}
const history = { one: median(youngTimes), year: median(oldTimes) };
print(
  `history: 1 week ${history.one.toFixed(1)} ms, 52 weeks ${history.year.toFixed(1)} ms (median of ${RUNS}); ratio ${(history.year / history.one).toFixed(2)} (goal <= 1.2)`,
);

// 2. Scale.
const big = await open();
seeding = performance.now();
const scaleShape = { weeks: 1, staff: 2_000, commentsPerWeek: 100, answersPerWeek: 667 };
const first = await seedDigestHistory(big, scaleShape, { initiativeId: 'care-plans' });
const initiatives = [
  first.initiative,
  (await seedDigestHistory(big, scaleShape, { initiativeId: 'medicines', people: first.people })).initiative,
  (await seedDigestHistory(big, scaleShape, { initiativeId: 'rota', people: first.people })).initiative,
];
print(
  `seeded 2,000 staff, 3 initiatives, 2,001 answers, 300 comments, 6,000 deliveries in ${Math.round(performance.now() - seeding)} ms`,
);

/** The same rows the three digests read, read through the same repositories, with nothing built from them. */
async function readRaw(): Promise<void> {
  const period = lastSevenDays(new Date(), 'UTC');
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const weeks = [...new Set([isoWeek(period.from), isoWeek(period.to)])];
  // The tenant's rows once, as the scheduler reads them for all its changes.
  const [, sends, , pulses] = await Promise.all([
    big.members.list(TENANT),
    big.broadcasts.dueBetween(TENANT, from, to),
    big.escalations.raisedBetween(TENANT, from, to),
    big.pulses.list(TENANT),
    big.actions.list(TENANT),
  ]);
  for (const initiative of initiatives) {
    await Promise.all([
      big.comments.inWeeks(TENANT, initiative.id, weeks, from.slice(0, 10)),
      big.digestSnapshots.before(TENANT, initiative.id, period.week, TREND_WEEKS),
    ]);
    const updates = sends.filter((send) => send.initiativeId === initiative.id);
    await Promise.all(updates.map((update) => big.deliveries.outcomes(update.id)));
    for (const pulse of pulses.filter((one) => one.initiativeId === initiative.id)) {
      for (const round of await big.rounds.openDuring(TENANT, pulse.id, from, to)) {
        await big.answers.forRound(
          TENANT,
          initiative.id,
          isoWeek(new Date(round.opensAt)),
          pulse.id,
          round.number,
        );
      }
    }
  }
}

/** As the scheduler builds them: the tenant's rows read once, each change's digest from them. */
const buildAll = async () => {
  const period = lastSevenDays(new Date(), 'UTC');
  const shared = await readTenantWeek(depsOf(big), TENANT, period);
  for (const initiative of initiatives)
    await weeklyDigest(depsOf(big), initiative, period, { save: false, shared });
};
const rawTimes: number[] = [];
const buildTimes: number[] = [];
for (let run = 0; run < RUNS + 2; run++) {
  const a = await timed(readRaw);
  const b = await timed(buildAll);
  if (run >= 2) {
    rawTimes.push(a);
    buildTimes.push(b);
  }
}
const scale = { raw: median(rawTimes), build: median(buildTimes) };
print(
  `scale: raw read ${scale.raw.toFixed(1)} ms, three digests ${scale.build.toFixed(1)} ms (median of ${RUNS}); ratio ${(scale.build / scale.raw).toFixed(2)} (goal <= 1.5)`,
);
print(
  `load average at end: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`,
);

printSummary({
  historyRatio: Number((history.year / history.one).toFixed(2)),
  scaleRatio: Number((scale.build / scale.raw).toFixed(2)),
  threeDigestsMs: Number(scale.build.toFixed(1)),
});
for (const storage of [young, old, big]) await storage.close();
await azurite.stop();
