/**
 * Benchmark: a soak. Huddle in its own process takes mixed traffic for `seconds` at `rate` turns/s: pulse
 * answers (half), comments (a fifth), `help` and `my data`-style commands (the rest), while it sends a
 * broadcast to all `staff` through a Teams stand-in at 50 requests/s and its scheduler ticks as usual. Not
 * part of the test suite.
 *
 *   npx tsx test/bench/soak.bench.ts [seconds=600] [rate=20] [staff=2000]
 *
 * Reports Huddle's RSS at the end over its RSS a fifth of the way in (minute 2 of 10; goal <= 1.1), its
 * event-loop delay p99 (measured inside it by loopProbe.ts), errors (a turn answered other than as it should
 * be; goal 0) and turns lost (answers and comments accepted but not stored, counted item by item for
 * comments; goal 0), and, once it has finished (waiting up to 3 minutes after the traffic), whether the
 * broadcast reached everyone exactly once.
 */

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERBS } from '../../src/cards/verbs.js';
import { isoWeek } from '../../src/domain/shared/isoWeek.js';
import { createLogger } from '../../src/logger.js';
import { startAzurite } from '../../src/storage/azurite.js';
import { openStorage } from '../../src/storage/openStorage.js';
import {
  executeAction,
  feedbackForm,
  message,
  type Person,
  person,
  personalInstall,
  sendUpdateToEveryone,
  TENANT,
} from '../support/activities.js';
import { startRemoteConnector } from '../support/remoteConnector.js';
import { localBox } from '../support/sealing.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { ANSWER_KEY, ANSWER_SAVED, pulseAnswer, seedOpenPulse } from './benchPulse.js';
import { startHuddle } from './huddleProcess.js';
import { printSummary } from './summary.js';

const SECONDS = Number(process.argv[2] ?? 600);
const RATE = Number(process.argv[3] ?? 20);
const STAFF = Number(process.argv[4] ?? 2_000);
const manager = person(2, 'Alex Wilber');
const COMMANDS = ['help', 'my data', 'results'];

const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function rssMb(pid: number | undefined): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

const azurite = await startAzurite({ dataDir: undefined, logFile: 'test-output/bench-azurite.log' });
const teams = await startRemoteConnector({ tenantRate: 50 });
const prefix = `soak${Date.now().toString(36)}`;
const storage = await openStorage(
  { kind: 'connectionString', connectionString: azurite.connectionString },
  prefix,
  createLogger('silent'),
  localBox(),
);
const staff = await seedStaff(storage, teams.serviceUrl, STAFF);
const pulse = await seedOpenPulse(storage, `soak-${prefix}`, STAFF);
const loopFile = join(mkdtempSync(join(tmpdir(), 'soak-')), 'loop.json');
const huddle = await startHuddle(
  {
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    HUDDLE_TABLE_PREFIX: prefix,
    HUDDLE_ANSWER_KEY: ANSWER_KEY,
    HUDDLE_MANAGERS: manager.aadObjectId,
    BENCH_LOOP_FILE: loopFile,
  },
  ['--import', './test/bench/loopProbe.ts'],
);
print(`seeded ${STAFF} staff and an open pulse; Huddle ready`);

const where = { serviceUrl: teams.serviceUrl };
await huddle.post(personalInstall(manager, where));
const sendAll = await huddle.post(sendUpdateToEveryone(manager, where));
if (!sendAll.ok) throw new Error(`the broadcast was refused: HTTP ${sendAll.status}`);

/** One turn of the mix (answers and comments are answered in the turn; commands through the stand-in): what it sends and what a right answer looks like. */
function turn(i: number): {
  activity: unknown;
  ok: (status: number, text: string) => boolean;
  comment?: string;
} {
  const n = i % STAFF;
  const who = staff[n] as Person;
  const kind = i % 10;
  if (kind < 5) {
    return {
      activity: pulseAnswer(pulse, who, n, i, teams.serviceUrl),
      ok: (status, text) => status === 200 && text.includes(ANSWER_SAVED),
    };
  }
  if (kind < 7) {
    const comment = `The new tablets are slow to wake on the night shift (soak ${i}).`;
    return {
      activity: {
        ...executeAction(who, VERBS.feedbackSubmit, where, feedbackForm(comment)),
        replyToId: `form-${i}`,
      },
      ok: (status, text) => status === 200 && text.includes('has been passed on'),
      comment,
    };
  }
  // From people outside the broadcast's audience, so replies in their chats are not counted as its messages.
  const asker = person(90_000 + n, `Visitor ${n + 1}`);
  return {
    activity: message(asker, COMMANDS[i % COMMANDS.length] ?? 'help', where),
    ok: (status) => status < 300,
  };
}

const errors: string[] = [];
const answered = new Set<number>();
const commented: string[] = [];
const rss: { at: number; mb: number }[] = [];
const sampler = setInterval(() => rss.push({ at: Date.now(), mb: rssMb(huddle.child.pid) }), 1_000);
huddle.child.kill('SIGUSR2');
const started = Date.now();
const inFlight: Promise<void>[] = [];
for (let i = 0; i < SECONDS * RATE; i++) {
  await sleep(Math.max(0, started + (i * 1000) / RATE - Date.now()));
  const { activity, ok, comment } = turn(i);
  inFlight.push(
    huddle
      .post(activity)
      .then(async (response) => {
        const text = await response.text();
        if (!ok(response.status, text))
          errors.push(`turn ${i}: HTTP ${response.status} ${text.slice(0, 120)}`);
        else if (comment !== undefined) commented.push(comment);
        else if (i % 10 < 5) answered.add(i % STAFF);
      })
      .catch((error: Error) => void errors.push(`turn ${i}: ${error.message}`)),
  );
}
await Promise.all(inFlight);
const ended = Date.now();
clearInterval(sampler);

// RSS a fifth of the way in (minute 2 of 10) against the last reading.
const early = rss.find((sample) => sample.at >= started + (ended - started) / 5)?.mb ?? 0;
const late = rss.at(-1)?.mb ?? 0;
// The broadcast may still be sending (it takes staff / 50 s); exactly once is judged on the finished one.
for (let waited = 0; waited < 180 && (await storage.broadcasts.list(TENANT))[0]?.status !== 'done'; waited++)
  await sleep(1_000);
const stored = await storage.answers.forRound(TENANT, 'dcp', isoWeek(new Date(pulse.opensAt)), pulse.id, 1);
const storedComments = new Set((await storage.comments.recent(TENANT, '2000-01-01')).map((one) => one.text));
const lostComments = commented.filter((text) => !storedComments.has(text));
const [broadcast] = await storage.broadcasts.list(TENANT);
const broadcastCounts = await teams.messagesPerConversation();
const ids = staff.map(conversationIdOf);
await huddle.stop();
const loop = JSON.parse(readFileSync(loopFile, 'utf8')) as { p50Ms: number; p99Ms: number; maxMs: number };

const report = {
  seconds: SECONDS,
  turnsPerSecond: RATE,
  turns: SECONDS * RATE,
  errors: errors.length,
  firstErrors: errors.slice(0, 5),
  answersStored: `${stored.length} of ${answered.size} people whose answer was thanked`,
  commentsLost: lostComments.length,
  rssMb: { early: Math.round(early), end: Math.round(late), ratio: Number((late / early).toFixed(3)) },
  eventLoopDelayMs: loop,
  broadcast: {
    status: broadcast?.status,
    figures: broadcast?.figures,
    reached: ids.filter((id) => broadcastCounts.has(id)).length,
    duplicated: ids.filter((id) => (broadcastCounts.get(id) ?? 0) > 1).length,
  },
};
print(JSON.stringify(report, null, 2));
printSummary({
  rssRatio: report.rssMb.ratio,
  loopP99Ms: loop.p99Ms,
  errors: errors.length,
  broadcastReached: report.broadcast.reached,
  broadcastDuplicated: report.broadcast.duplicated,
  turnsLost: lostComments.length + Math.max(0, answered.size - stored.length),
});
await teams.close();
await storage.close();
await azurite.stop();
