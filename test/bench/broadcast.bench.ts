/**
 * Benchmark: a broadcast to 10,000 staff against a Teams stand-in (its own process) that enforces 50
 * requests/s per tenant, injects 429s (with and without Retry-After) and 5xx, and kills the sending Huddle
 * with SIGKILL part-way, after which Huddle is started again. Not part of the test suite.
 *
 *   npx tsx test/bench/broadcast.bench.ts [recipients=10000] [killAfter=3000]
 *   npx tsx test/bench/broadcast.bench.ts [recipients=10000] --calm
 *
 * `--calm`: no faults and no crash; the stand-in answers every send 40 ms after it arrives, as Teams does
 * from Azure, so the limiter's own ceiling can be measured without the noise of retries.
 *
 * Reports the achieved rate over the limiter's own ceiling, limit / (1 + mean answer time in s), goal
 * >= 0.95 (the limiter holds a slot from a request's start until one second after its answer), beside
 * achieved / limit; with faults, the same for a bare paced client measured in this run (the baseline: what
 * this machine and connector allow at all), self-caused 429s (goal 0), duplicated messages (goal 0), silent
 * losses (recipients who got nothing and whom the manager is not told about; goal 0), messages left
 * unconfirmed by the kill, the recovery gap and total time.
 */

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { conversationIdOf as deliveredTo } from '../../src/delivery/ports.js';
import type { DeliveryStatus } from '../../src/domain/broadcasts/broadcast.js';
import { createLogger } from '../../src/logger.js';
import { startAzurite } from '../../src/storage/azurite.js';
import { openStorage } from '../../src/storage/openStorage.js';
import { person, personalInstall, sendUpdateToEveryone, TENANT } from '../support/activities.js';
import type { FaultRule } from '../support/recordingConnector.js';
import { type RemoteCall, startRemoteConnector } from '../support/remoteConnector.js';
import { localBox } from '../support/sealing.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { startHuddle } from './huddleProcess.js';
import { printSummary } from './summary.js';

const { values: flags, positionals } = parseArgs({
  options: { calm: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const RECIPIENTS = Number(positionals[0] ?? 10_000);
const KILL_AFTER = flags.calm ? undefined : Number(positionals[1] ?? 3_000);
const LIMIT = 50;
/** Teams' answer time from Azure, for the calm run. */
const CALM_ANSWER_MS = 40;
/** What the manager's progress card shows as not delivered: anyone else who got nothing is lost silently. */
const REPORTED: readonly DeliveryStatus[] = ['failed', 'gone', 'skipped', 'unconfirmed'];
const manager = person(2, 'Alex Wilber');
const faults: FaultRule[] = [
  { every: 100, remainder: 1, attempts: 1, fault: { status: 429, retryAfterSeconds: 1 } },
  { every: 100, remainder: 3, attempts: 1, fault: { status: 429 } },
  { every: 100, remainder: 5, attempts: 1, fault: { status: 503 } },
  { every: 200, remainder: 7, attempts: 1, fault: { status: 502 } },
];

const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Accepted sends per second over [first, last] accepted send. */
function rateOf(calls: readonly RemoteCall[]) {
  const accepted = calls.filter((call) => call.status < 300).map((call) => call.at);
  const span = ((accepted.at(-1) ?? 0) - (accepted[0] ?? 0)) / 1000;
  return { count: accepted.length, seconds: span, rate: span > 0 ? (accepted.length - 1) / span : 0 };
}

/** The baseline: a bare client posting at exactly the limit with setTimeout pacing, for 10 s. */
async function baseline(): Promise<number> {
  const teams = await startRemoteConnector({ tenantRate: LIMIT });
  const started = Date.now();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; Date.now() - started < 10_000; i++) {
    const due = started + (i * 1000) / LIMIT;
    await sleep(Math.max(0, due - Date.now()));
    sends.push(
      fetch(`${teams.serviceUrl}v3/conversations/a:baseline-${i}/activities`, { method: 'POST', body: '{}' }),
    );
  }
  await Promise.all(sends);
  const { calls, selfCaused429s } = await teams.calls();
  await teams.close();
  const { rate } = rateOf(calls);
  print(`baseline: bare paced client ${rate.toFixed(2)}/s, ${selfCaused429s} 429s from the connector`);
  return rate;
}

function peakRssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function main() {
  const baselineRate = flags.calm ? undefined : await baseline();
  const azurite = await startAzurite({ dataDir: undefined, logFile: 'test-output/bench-azurite.log' });
  const teams = await startRemoteConnector(
    flags.calm ? { tenantRate: LIMIT, answerDelayMs: CALM_ANSWER_MS } : { tenantRate: LIMIT, faults },
  );
  const prefix = `bench${Date.now().toString(36)}`;
  const storage = await openStorage(
    { kind: 'connectionString', connectionString: azurite.connectionString },
    prefix,
    createLogger('silent'),
    localBox(),
  );
  const seeded = Date.now();
  const staff = await seedStaff(storage, teams.serviceUrl, RECIPIENTS);
  print(`seeded ${RECIPIENTS} staff in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);

  const start = () =>
    startHuddle({
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      HUDDLE_TABLE_PREFIX: prefix,
      HUDDLE_MANAGERS: manager.aadObjectId,
    });

  const first = await start();
  if (KILL_AFTER !== undefined) await teams.killAt(first.child.pid ?? 0, KILL_AFTER);
  const where = { serviceUrl: teams.serviceUrl };
  await first.post(personalInstall(manager, where));
  const began = Date.now();
  await first.post(sendUpdateToEveryone(manager, where));
  // Peak RSS of the first process: until it is killed or, in the calm run, until the broadcast is done.
  let firstRss = 0;
  const firstExit = new Promise((done) => first.child.once('exit', done));
  const sampling = setInterval(() => {
    firstRss = Math.max(firstRss, peakRssMb(first.child.pid));
  }, 500);
  const isDone = async () => (await storage.broadcasts.list(TENANT))[0]?.status === 'done';
  if (KILL_AFTER !== undefined) await firstExit;
  else while (!(await isDone())) await sleep(1_000);
  clearInterval(sampling);
  const killedAt = Date.now();
  const second = KILL_AFTER === undefined ? first : await start();
  let rss = 0;
  while (KILL_AFTER !== undefined) {
    rss = Math.max(rss, peakRssMb(second.child.pid));
    if (await isDone()) break;
    await sleep(1_000);
  }
  const finished = Date.now();
  const { calls, selfCaused429s } = await teams.calls();
  const sends = calls.filter((call) => call.method === 'POST' && call.path.includes('/activities'));
  const before = sends.filter((call) => call.at <= killedAt);
  const after = sends.filter((call) => call.at > killedAt);
  const gap = ((after[0]?.at ?? killedAt) - killedAt) / 1000;
  const answerTimes = sends.flatMap((call) =>
    call.answeredAt === undefined ? [] : [call.answeredAt - call.at],
  );
  const meanAnswerSeconds =
    answerTimes.reduce((sum, ms) => sum + ms, 0) / Math.max(1, answerTimes.length) / 1000;
  const ceiling = LIMIT / (1 + meanAnswerSeconds);

  const counts = await teams.messagesPerConversation();
  const [broadcast] = await storage.broadcasts.list(TENANT);
  const deliveries = broadcast === undefined ? [] : await storage.deliveries.list(broadcast.id);
  const statusByConversation = new Map(
    deliveries.flatMap((row) =>
      row.conversation === undefined ? [] : [[deliveredTo(row.conversation), row.status]],
    ),
  );
  const ids = staff.map(conversationIdOf);
  const gotNothing = ids.filter((id) => !counts.has(id));
  // Counted person by person: a recipient with no row at all, or whose row says sent, was lost silently.
  const lostSilently = gotNothing.filter(
    (id) => !REPORTED.includes(statusByConversation.get(id) ?? 'pending'),
  );
  const unconfirmed = ids.filter((id) => statusByConversation.get(id) === 'unconfirmed');
  const duplicated = ids.filter((id) => (counts.get(id) ?? 0) > 1);
  const rBefore = rateOf(before);
  const rAfter = rateOf(after);
  const sending = rBefore.seconds + rAfter.seconds;
  const achieved = (rBefore.count + rAfter.count) / sending;
  const round = (value: number, digits: number) => Number(value.toFixed(digits));
  const report = {
    scenario: flags.calm
      ? `calm: answers after ${CALM_ANSWER_MS} ms, no faults, no crash`
      : 'faults and a crash',
    recipients: RECIPIENTS,
    limit: LIMIT,
    ...(baselineRate === undefined
      ? {}
      : { baselineRate: round(baselineRate, 2), baselineRatio: round(baselineRate / LIMIT, 3) }),
    meanAnswerMs: round(meanAnswerSeconds * 1000, 1),
    ceilingRate: round(ceiling, 2),
    achievedRate: round(achieved, 2),
    achievedOverCeiling: round(achieved / ceiling, 3),
    achievedOverLimit: round(achieved / LIMIT, 3),
    ...(baselineRate === undefined ? {} : { ratioToBaseline: round(achieved / baselineRate, 3) }),
    selfCaused429s,
    injectedFaults: calls.filter((call) => call.status >= 400).length - selfCaused429s,
    gotNothing: gotNothing.length,
    lostSilently: lostSilently.length,
    unconfirmed: unconfirmed.length,
    unconfirmedButArrived: unconfirmed.filter((id) => counts.has(id)).length,
    duplicated: duplicated.length,
    ...(KILL_AFTER === undefined ? {} : { recoveryGapSeconds: round(gap, 1) }),
    totalSeconds: round((finished - began) / 1000, 1),
    idealSeconds: RECIPIENTS / LIMIT,
    peakRssMb:
      KILL_AFTER === undefined
        ? { whole: Math.round(firstRss) }
        : { beforeKill: Math.round(firstRss), afterRestart: Math.round(rss) },
  };
  print(JSON.stringify(report, null, 2));
  printSummary({
    achievedOverCeiling: report.achievedOverCeiling,
    achievedOverLimit: report.achievedOverLimit,
    meanAnswerMs: report.meanAnswerMs,
    lostSilently: report.lostSilently,
    duplicated: report.duplicated,
    selfCaused429s,
  });
  await second.stop();
  await teams.close();
  await storage.close();
  await azurite.stop();
}

await main();
