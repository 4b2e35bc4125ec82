/**
 * Benchmark: the pulse-answer turn (invoke -> validate -> Table write -> updated card). Not part of the
 * suite.
 *
 *   npx tsx test/bench/pulse.bench.ts [answers=3000] [concurrency=16] [openLoopSeconds=10]
 *
 * Huddle runs in its own process (sending off, so only turns are measured); the load comes from this one.
 * Reports Huddle's own CPU milliseconds per answer, read from /proc around a closed loop of `answers`
 * answers (tracked from run to run so it does not grow: unlike a rate, it barely depends on what else the
 * shared cores are doing), and, in an open loop at 100 answers/s, the p50 and p99 latency of a turn as the
 * client sees it (goal p99 < 50 ms).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { roundSendId } from '../../src/domain/pulses/pulse.js';
import { isoWeek } from '../../src/domain/shared/isoWeek.js';
import { createLogger } from '../../src/logger.js';
import { startAzurite } from '../../src/storage/azurite.js';
import { openStorage } from '../../src/storage/openStorage.js';
import { type Person, TENANT } from '../support/activities.js';
import { localBox } from '../support/sealing.js';
import { seedStaff } from '../support/staff.js';
import { ANSWER_KEY, ANSWER_SAVED, pulseAnswer, seedOpenPulse } from './benchPulse.js';
import { startHuddle } from './huddleProcess.js';
import { printSummary } from './summary.js';

const ANSWERS = Number(process.argv[2] ?? 3_000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const OPEN_LOOP_RATE = 100;
const OPEN_LOOP_SECONDS = Number(process.argv[4] ?? 10);

const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Runs `task(i)` for i in [0, count) with `concurrency` at once; returns operations per second. */
async function closedLoop(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/**
 * CPU time used so far, in ms, by this process and by each child (Azurite, Huddle), read from /proc
 * (clock ticks of 10 ms). Per-operation CPU shows what each process costs, whatever else shares the cores.
 */
function cpuMs(): Map<string, number> {
  const usage = process.cpuUsage();
  const result = new Map([['bench client', (usage.user + usage.system) / 1000]]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const name = command.includes('azurite')
        ? 'Azurite'
        : command.includes('main.ts')
          ? 'Huddle'
          : `pid ${entry}`;
      result.set(name, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return result;
}

/** CPU ms per operation of each process between two `cpuMs` readings. */
function cpuPerOperation(
  before: Map<string, number>,
  after: Map<string, number>,
  operations: number,
): string {
  return [...after]
    .map(([name, ms]) => `${name} ${((ms - (before.get(name) ?? 0)) / operations).toFixed(2)}`)
    .join(', ');
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main() {
  const azurite = await startAzurite({ dataDir: undefined, logFile: 'test-output/bench-azurite.log' });
  const prefix = `pb${Date.now().toString(36)}`;
  const storage = await openStorage(
    { kind: 'connectionString', connectionString: azurite.connectionString },
    prefix,
    createLogger('silent'),
    localBox(),
  );
  const people = ANSWERS + OPEN_LOOP_RATE * OPEN_LOOP_SECONDS;
  const staff = await seedStaff(storage, 'http://127.0.0.1:9/', people);

  const pulse = await seedOpenPulse(storage, `bench-${prefix}`, people);
  print(`seeded ${people} staff and an open pulse (${roundSendId(pulse.id, 1, 'open')})`);

  const huddle = await startHuddle(
    {
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      HUDDLE_TABLE_PREFIX: prefix,
      HUDDLE_ANSWER_KEY: ANSWER_KEY,
      HUDDLE_SENDING: 'false',
    },
    process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=test-output/prof'] : [],
  );
  const answer = async (n: number, i: number) => {
    const response = await huddle.post(pulseAnswer(pulse, staff[n] as Person, n, i, 'http://127.0.0.1:9/'));
    const text = await response.text();
    if (response.status !== 200 || !text.includes(ANSWER_SAVED))
      throw new Error(`answer ${i}: HTTP ${response.status} ${text.slice(0, 200)}`);
  };

  // Warm up (JIT, connection pools), then the closed loop.
  await closedLoop(100, CONCURRENCY, (i) => answer(i, i));
  const beforeAnswers = cpuMs();
  const answersPerSecond = await closedLoop(ANSWERS, CONCURRENCY, (i) => answer(i, i));
  const afterAnswers = cpuMs();
  const huddleCpuPerAnswer =
    ((afterAnswers.get('Huddle') ?? 0) - (beforeAnswers.get('Huddle') ?? 0)) / ANSWERS;
  print(`pulse answers ${answersPerSecond.toFixed(0)}/s at concurrency ${CONCURRENCY}`);
  print(`  CPU ms per answer: ${cpuPerOperation(beforeAnswers, afterAnswers, ANSWERS)}`);

  const latencies: number[] = [];
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < OPEN_LOOP_RATE * OPEN_LOOP_SECONDS; i++) {
    await sleep(Math.max(0, started + (i * 1000) / OPEN_LOOP_RATE - performance.now()));
    const sent = performance.now();
    inFlight.push(answer(ANSWERS + i, i).then(() => void latencies.push(performance.now() - sent)));
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);

  const stored = await storage.answers.forRound(TENANT, 'dcp', isoWeek(new Date(pulse.opensAt)), pulse.id, 1);
  print(
    [
      '',
      `Huddle's own CPU per answer: ${huddleCpuPerAnswer.toFixed(2)} ms (at concurrency ${CONCURRENCY}; must not grow)`,
      `latency at ${OPEN_LOOP_RATE}/s: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (goal p99 < 50 ms)`,
      `rows stored: ${stored.length} for ${people} people (expected ${people})`,
    ].join('\n'),
  );
  if (stored.length !== people) throw new Error(`${people - stored.length} answers were not stored`);
  printSummary({
    huddleCpuMsPerAnswer: Number(huddleCpuPerAnswer.toFixed(2)),
    p50Ms: Number(percentile(latencies, 50).toFixed(1)),
    p99Ms: Number(percentile(latencies, 99).toFixed(1)),
    answersPerSecond: Math.round(answersPerSecond),
  });
  await huddle.stop();
  await storage.close();
  await azurite.stop();
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
