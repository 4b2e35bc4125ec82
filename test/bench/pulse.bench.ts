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

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { VERBS } from '../../src/cards/verbs.js';
import { groupsText, RespondentKeys } from '../../src/domain/people/respondentKeys.js';
import { type PulseRound, roundSendId } from '../../src/domain/pulses/pulse.js';
import { isoWeek } from '../../src/domain/shared/isoWeek.js';
import { createLogger } from '../../src/logger.js';
import { freePort, startAzurite } from '../../src/storage/azurite.js';
import { openStorage } from '../../src/storage/openStorage.js';
import { executeAction, type Person, TENANT } from '../support/activities.js';
import { pulseFixture } from '../support/pulses.js';
import { localBox } from '../support/sealing.js';
import { seedStaff } from '../support/staff.js';
import { printSummary } from './summary.js';

const ANSWERS = Number(process.argv[2] ?? 3_000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const OPEN_LOOP_RATE = 100;
const OPEN_LOOP_SECONDS = Number(process.argv[4] ?? 10);
const ANSWER_KEY = 'bench-answer-key-0123456789-0123456789-0123456789';

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

  const pulse = pulseFixture({
    id: `bench-${prefix}`,
    initiativeId: 'dcp',
    items: [
      {
        id: 'aware-why',
        kind: 'agree5',
        dimension: 'awareness',
        text: 'I understand why we are making this change.',
      },
      { id: 'desire-want', kind: 'agree5', dimension: 'desire', text: 'I want this change to work.' },
      {
        id: 'know-what',
        kind: 'agree5',
        dimension: 'knowledge',
        text: 'I know what I need to do differently.',
      },
      {
        id: 'able-busy',
        kind: 'agree5',
        dimension: 'ability',
        text: 'I can work the new way on a busy shift.',
      },
      {
        id: 'team-want',
        kind: 'agree5',
        dimension: 'commitment',
        text: 'People who work here want to make this change work.',
      },
      { id: 'open-easier', kind: 'text', text: 'What one thing would make this change easier for you?' },
    ],
  });
  const round: PulseRound = {
    tenantId: TENANT,
    pulseId: pulse.id,
    number: 1,
    opensAt: pulse.opensAt,
    closesAt: pulse.closesAt,
    reminders: [],
    status: 'open',
    recipients: people,
    recipientsByGroup: {},
  };
  await storage.pulses.create(pulse);
  await storage.rounds.createMissing(round);
  print(`seeded ${people} staff and an open pulse (${roundSendId(pulse.id, 1, 'open')})`);

  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=test-output/prof'] : []),
      '--import',
      'tsx',
      'src/main.ts',
    ],
    {
      env: {
        PATH: process.env.PATH ?? '',
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        HUDDLE_TABLE_PREFIX: prefix,
        HUDDLE_ANSWER_KEY: ANSWER_KEY,
        HUDDLE_SENDING: 'false',
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const ready = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    await sleep(200);
  }
  const keys = new RespondentKeys(ANSWER_KEY);
  const where = { serviceUrl: 'http://127.0.0.1:9/' };
  const answer = async (n: number, i: number) => {
    const who = staff[n] as Person;
    // As seedStaff assigns them; the card carries the groups it was sent with, under the token.
    const groups = { site: 'Oak View', unit: n % 2 === 0 ? 'Willow' : 'Rowan' };
    const data = {
      pulseId: pulse.id,
      round: '1',
      token: keys.cardToken(TENANT, pulse.id, 1, who.aadObjectId, groups),
      groups: groupsText(groups),
      zone: 'Europe/London',
      editing: 'false',
      'q_aware-why': String((i % 5) + 1),
      'q_desire-want': '4',
      'q_know-what': '3',
      'q_able-busy': '2',
      'q_team-want': '5',
      // One in five writes something in the open question, as in real pulses.
      'q_open-easier': i % 5 === 0 ? 'More time on shift to practise with the tablets.' : '',
    };
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...executeAction(who, VERBS.pulseSubmit, where, data), replyToId: `card-${i}` }),
    });
    const text = await response.text();
    if (response.status !== 200 || !text.includes('Thanks, your answers are saved.'))
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
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  await storage.close();
  await azurite.stop();
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
