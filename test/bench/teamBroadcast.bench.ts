/**
 * Benchmark: Huddle is added to a team of 5,000 (no one has a chat with it yet), reads the roster outside
 * the install's turn, and a manager sends an update to everyone. Each member's personal chat is opened at
 * their first send (`POST /v3/conversations`), and the openings count against the tenant's limit like the
 * sends do. A Teams stand-in in its own process enforces 50 requests/s per tenant, answers each request
 * 40 ms after it arrives (Teams from Azure) and pages the roster as Teams does. Not part of the test suite.
 *
 *   npx tsx test/bench/teamBroadcast.bench.ts [members=5000]
 *
 * Reports how long the install's turn took and the roster took to read; the achieved rate of openings and
 * sends together over the limiter's own ceiling, limit / (1 + mean answer time in s), beside achieved over
 * the limit; chats opened twice and people who got the update twice (goal 0 each), people it did not reach,
 * and self-caused 429s (goal 0).
 */

import { parseArgs } from 'node:util';
import { createLogger } from '../../src/logger.js';
import { startAzurite } from '../../src/storage/azurite.js';
import { openStorage } from '../../src/storage/openStorage.js';
import { person, personalInstall, sendUpdateToEveryone, TENANT, teamInstall } from '../support/activities.js';
import { openedChatId, type RosterEntry } from '../support/recordingConnector.js';
import { startRemoteConnector } from '../support/remoteConnector.js';
import { localBox } from '../support/sealing.js';
import { startHuddle } from './huddleProcess.js';
import { printSummary } from './summary.js';

const { positionals } = parseArgs({ allowPositionals: true });
const MEMBERS = Number(positionals[0] ?? 5_000);
const LIMIT = 50;
/** Teams' answer time from Azure. */
const ANSWER_MS = 40;
const manager = person(2, 'Alex Wilber');
const team = { teamId: '19:oak-view-all-staff@thread.tacv2', teamName: 'Oak View all staff' };
const members = Array.from({ length: MEMBERS }, (_, i) => person(20_000 + i, `Carer ${i + 1}`));
const entries: RosterEntry[] = members.map((who) => ({
  ...who,
  userPrincipalName: `${who.aadObjectId}@oakview.example`,
}));

const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const round = (value: number, digits: number) => Number(value.toFixed(digits));

async function main() {
  const azurite = await startAzurite({ dataDir: undefined, logFile: 'test-output/bench-azurite.log' });
  const teams = await startRemoteConnector({ tenantRate: LIMIT, answerDelayMs: ANSWER_MS });
  // Set over the control port: 5,000 people are too many for the stand-in's command line.
  await teams.setTeam(team.teamId, entries);
  const prefix = `bench${Date.now().toString(36)}`;
  const storage = await openStorage(
    { kind: 'connectionString', connectionString: azurite.connectionString },
    prefix,
    createLogger('silent'),
    localBox(),
  );
  const huddle = await startHuddle({
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    HUDDLE_TABLE_PREFIX: prefix,
    HUDDLE_MANAGERS: manager.aadObjectId,
  });
  const where = { serviceUrl: teams.serviceUrl };
  await huddle.post(personalInstall(manager, where));

  const installing = Date.now();
  const installed = await huddle.post(teamInstall(manager, { ...where, ...team }));
  const installTurnMs = Date.now() - installing;
  if (!installed.ok) throw new Error(`the install's turn was answered ${installed.status}`);
  const inTeam = async () =>
    (await storage.members.list(TENANT)).filter((member) => member.teamIds?.includes(team.teamId)).length;
  while ((await inTeam()) < MEMBERS) await sleep(2_000);
  const rosterSeconds = (Date.now() - installing) / 1000;
  print(
    `install answered in ${installTurnMs} ms; roster of ${MEMBERS} read in ${rosterSeconds.toFixed(1)} s`,
  );

  const began = Date.now();
  await huddle.post(sendUpdateToEveryone(manager, where));
  const isDone = async () => (await storage.broadcasts.list(TENANT))[0]?.status === 'done';
  while (!(await isDone())) await sleep(1_000);
  const finished = Date.now();

  const { calls, selfCaused429s } = await teams.calls();
  // Openings and sends: both count against the tenant's limit, so both are in the rate.
  const limited = calls.filter(
    (call) =>
      call.at >= began &&
      call.method === 'POST' &&
      (call.path === '/v3/conversations' || call.path.includes('/activities')),
  );
  const accepted = limited.filter((call) => call.status < 300).map((call) => call.at);
  const span = ((accepted.at(-1) ?? 0) - (accepted[0] ?? 0)) / 1000;
  const achieved = span > 0 ? (accepted.length - 1) / span : 0;
  const answerTimes = limited.flatMap((call) =>
    call.answeredAt === undefined ? [] : [call.answeredAt - call.at],
  );
  const meanAnswerSeconds =
    answerTimes.reduce((sum, ms) => sum + ms, 0) / Math.max(1, answerTimes.length) / 1000;
  const ceiling = LIMIT / (1 + meanAnswerSeconds);
  const opened = await teams.chatsOpened();
  const counts = await teams.messagesPerConversation();
  const cards = members.map((who) => counts.get(openedChatId(who.id)) ?? 0);
  const [broadcast] = await storage.broadcasts.list(TENANT);
  const report = {
    members: MEMBERS,
    limit: LIMIT,
    installTurnMs,
    rosterSeconds: round(rosterSeconds, 1),
    rosterPages: calls.filter((call) => call.path.includes('/pagedmembers')).length,
    chatsOpened: opened.size,
    openedTwice: [...opened.values()].filter((times) => times > 1).length,
    reached: cards.filter((count) => count === 1).length,
    notReached: cards.filter((count) => count === 0).length,
    duplicated: cards.filter((count) => count > 1).length,
    figures: broadcast?.figures,
    meanAnswerMs: round(meanAnswerSeconds * 1000, 1),
    ceilingRate: round(ceiling, 2),
    achievedRate: round(achieved, 2),
    achievedOverCeiling: round(achieved / ceiling, 3),
    achievedOverLimit: round(achieved / LIMIT, 3),
    selfCaused429s,
    sendSeconds: round((finished - began) / 1000, 1),
    idealSeconds: (2 * MEMBERS) / LIMIT,
  };
  print(JSON.stringify(report, null, 2));
  printSummary({
    installTurnMs: report.installTurnMs,
    rosterSeconds: report.rosterSeconds,
    achievedOverCeiling: report.achievedOverCeiling,
    achievedOverLimit: report.achievedOverLimit,
    meanAnswerMs: report.meanAnswerMs,
    openedTwice: report.openedTwice,
    duplicated: report.duplicated,
    notReached: report.notReached,
    selfCaused429s,
  });
  await huddle.stop();
  await teams.close();
  await storage.close();
  await azurite.stop();
}

await main();
