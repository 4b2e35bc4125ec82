import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { type Person, person, personalInstall, TENANT } from '../support/activities.js';
import { chat } from '../support/chat.js';
import { type GraphStandIn, startGraphStandIn } from '../support/graphStandIn.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

/** The words of the manager's notice alone (`reach` gives the same advice, not this). */
const REFUSAL_NOTICE = 'Until then, people Huddle shares no team or chat with are not sent this';
const CATALOG_ID = 'e3b0c442-98fc-4c14-9afb-f4c8996fb924';
const manager = person(2, 'Alex Wilber');
// Staff Huddle knows (from a group chat, a staff list) but shares no team or chat with.
const first = 9000;
const firstWave = Array.from({ length: 8 }, (_, i) => person(first + i, `Carer ${i + 1}`));
const secondWave = Array.from({ length: 6 }, (_, i) => person(first + 100 + i, `Night carer ${i + 1}`));
const thirdWave = Array.from({ length: 10 }, (_, i) => person(first + 200 + i, `Bank carer ${i + 1}`));
// Huddle was installed for this carer by an admin's app setup policy; the install event never came.
const alreadyInstalled = firstWave[0] as Person;
// The other Huddle's own staff: proactive installation off.
const elsewhere = Array.from({ length: 3 }, (_, i) => person(first + 300 + i, `Kitchen staff ${i + 1}`));

let connector: RecordingConnector;
let graph: GraphStandIn;
let installing: TestHuddle;
let notInstalling: TestHuddle;

const draft = (headline: string) => ({
  headline,
  message: 'Visiting hours change on Monday.',
  audience: 'all',
  when: 'now',
  urgent: 'false',
});

/** Confirms a send to everyone as the manager and waits until it has finished; returns its figures. */
async function sendToEveryone(bot: TestHuddle, headline: string) {
  await chat(bot, connector).press(manager, VERBS.broadcastConfirm, draft(headline), `card-${headline}`);
  const finished = await until(
    () => bot.huddle.storage.broadcasts.list(TENANT),
    (list) => list.some((b) => b.content.headline === headline && b.status === 'done'),
    30_000,
  );
  return finished.find((b) => b.content.headline === headline)?.figures;
}

const cardsIn = (conversationId: string) => connector.messagesPerConversation().get(conversationId) ?? 0;
const chatOf = (who: Person) => graph.chatIdOf(who.aadObjectId);
const graphCallsFor = (people: readonly Person[]) =>
  graph.calls.filter((call) => people.some((who) => who.aadObjectId === call.userId));

beforeAll(async () => {
  connector = await startRecordingConnector();
  graph = await startGraphStandIn({
    catalogId: CATALOG_ID,
    users: [...firstWave, ...secondWave, ...thirdWave, ...elsewhere].map((who) => who.aadObjectId),
  });
  graph.preinstall(alreadyInstalled.aadObjectId);
  const common = { HUDDLE_MANAGERS: manager.aadObjectId, HUDDLE_SCHEDULER_TICK_MS: '200' };
  [installing, notInstalling] = await Promise.all([
    startTestHuddle({
      ...common,
      HUDDLE_PROACTIVE_INSTALL: 'true',
      HUDDLE_TEAMS_APP_CATALOG_ID: CATALOG_ID,
      HUDDLE_GRAPH_URL: graph.url,
    }),
    // Told where Graph is, but not to install: it must never call it.
    startTestHuddle({ ...common, HUDDLE_GRAPH_URL: graph.url }),
  ]);
  const where = { serviceUrl: connector.serviceUrl };
  for (const bot of [installing, notInstalling]) {
    await bot.post(personalInstall(manager, where));
  }
  await seedStaff(installing.huddle.storage, connector.serviceUrl, firstWave.length, {
    first,
    personalChat: false,
  });
  await seedStaff(notInstalling.huddle.storage, connector.serviceUrl, elsewhere.length, {
    first: first + 300,
    personalChat: false,
  });
});

afterAll(async () => {
  await Promise.all([installing?.stop(), notInstalling?.stop()]);
  await Promise.all([connector?.close(), graph?.close()]);
});

describe('with proactive installation on', () => {
  it('the preview counts people in no team as reached once Huddle has installed itself for them', async () => {
    const preview = await chat(installing, connector).press(
      manager,
      VERBS.broadcastPreview,
      draft('Visiting hours'),
    );
    expect(preview).toMatch(/"title":"People","value":"9"/);
    expect(preview).toContain('Will reach 9 (including 8 people once Huddle has installed itself for them).');
    const report = await chat(installing, connector).say(manager, 'reach');
    expect(report).toContain('Proactive installation is on');
    expect(graph.calls).toEqual([]);
  });

  it('a send installs Huddle once for each, outside the turn, and reaches each exactly once in the chat it gets', async () => {
    const figures = await sendToEveryone(installing, 'Visiting hours');
    expect(figures).toMatchObject({ recipients: 9, sent: 9, failed: 0, gone: 0 });
    for (const carer of firstWave) {
      expect(cardsIn(chatOf(carer))).toBe(1);
      const stored = await installing.huddle.storage.members.get(TENANT, carer.aadObjectId);
      expect(stored).toMatchObject({
        personalInstalled: true,
        personalConversation: { conversation: { id: chatOf(carer) }, serviceUrl: connector.serviceUrl },
      });
    }
    const installs = graph.installs();
    for (const carer of firstWave.slice(1)) expect(installs.get(carer.aadObjectId)).toBe(1);
    // Installed already: Graph said 409, and Huddle found the installation and its chat all the same.
    expect(installs.get(alreadyInstalled.aadObjectId)).toBeUndefined();
    expect(graphCallsFor([alreadyInstalled]).map((call) => `${call.method} ${call.status}`)).toEqual([
      'POST 409',
      'GET 200',
      'GET 200',
    ]);
    // Local mode: no token leaves for the stand-in.
    expect(graph.calls.some((call) => call.authorized)).toBe(false);
  }, 40_000);

  it('the next send reuses the stored chats without asking Graph again', async () => {
    const before = graph.calls.length;
    const figures = await sendToEveryone(installing, 'Parking changes');
    expect(figures).toMatchObject({ recipients: 9, sent: 9 });
    for (const carer of firstWave) expect(cardsIn(chatOf(carer))).toBe(2);
    expect(graph.calls.length).toBe(before);
  }, 30_000);

  it('waits out Graph throttling (429 with Retry-After), then reaches everyone once', async () => {
    await seedStaff(installing.huddle.storage, connector.serviceUrl, secondWave.length, {
      first: first + 100,
      personalChat: false,
    });
    graph.throttle(3, 1);
    const figures = await sendToEveryone(installing, 'Night shift handover');
    expect(figures).toMatchObject({ recipients: 15, sent: 15, failed: 0 });
    for (const carer of secondWave) {
      expect(cardsIn(chatOf(carer))).toBe(1);
      expect(graph.installs().get(carer.aadObjectId)).toBe(1);
    }
    const calls = graphCallsFor(secondWave);
    const throttled = calls.filter((call) => call.status === 429);
    expect(throttled).toHaveLength(3);
    // Each throttled install was asked again only after the second Graph asked for (that the pause holds
    // for every call, not just the throttled one, is test/unit/graphInstaller.test.ts's).
    for (const refusal of throttled) {
      const retry = calls.find((call) => call.userId === refusal.userId && call.at > refusal.answeredAt);
      expect((retry?.at ?? Number.POSITIVE_INFINITY) - refusal.answeredAt).toBeGreaterThanOrEqual(990);
    }
  }, 30_000);

  it('without consent, tells the manager plainly once, marks the people, and does not try again', async () => {
    await seedStaff(installing.huddle.storage, connector.serviceUrl, thirdWave.length, {
      first: first + 200,
      personalChat: false,
    });
    graph.setConsent(false);
    const figures = await sendToEveryone(installing, 'Fire drill');
    expect(figures).toMatchObject({ recipients: 25, sent: 15, gone: 10 });
    // Once Graph had refused, only calls already under way heard it too: the rest were not asked.
    const refusals = graphCallsFor(thirdWave);
    expect(refusals.map((call) => call.status)).toEqual(refusals.map(() => 403));
    expect(refusals.length).toBeLessThan(thirdWave.length / 2);
    const notices = await until(
      async () => connector.sent().filter((activity) => JSON.stringify(activity).includes(REFUSAL_NOTICE)),
      (found) => found.length > 0,
    );
    expect(JSON.stringify(notices)).toContain(conversationIdOf(manager));
    expect(JSON.stringify(notices)).toContain(
      'an admin must grant TeamsAppInstallation.ReadWriteSelfForUser.All',
    );
    for (const carer of thirdWave) {
      expect(await installing.huddle.storage.members.get(TENANT, carer.aadObjectId)).toMatchObject({
        unreachableReason: 'noConsent',
      });
    }

    const { say, press } = chat(installing, connector);
    const report = await say(manager, 'reach');
    expect(report).toContain('Huddle may not install itself for them: 10');
    expect(report).toContain('an admin must grant TeamsAppInstallation.ReadWriteSelfForUser.All');
    expect(await press(manager, VERBS.broadcastPreview, draft('Fire drill, again'))).toContain(
      'Will reach 15; 10 cannot be reached yet (Huddle may not install itself for them: 10).',
    );
    const calls = graph.calls.length;
    const next = await sendToEveryone(installing, 'Fire drill, again');
    expect(next).toMatchObject({ recipients: 15, sent: 15 });
    expect(graph.calls.length).toBe(calls);
    // Told once, however many people it was for and however many sends followed.
    expect(
      connector.sent().filter((activity) => JSON.stringify(activity).includes(REFUSAL_NOTICE)),
    ).toHaveLength(1);
  }, 40_000);

  it('once the admin has granted the permission, the manager asks Huddle to try again and they are reached', async () => {
    graph.setConsent(true);
    const { say, press } = chat(installing, connector);
    expect(await say(manager, 'reach')).toContain('"title":"Try installing again"');
    const report = await press(manager, VERBS.reachInstallAgain, {});
    expect(report).toContain('25 (including 10 people once Huddle has installed itself for them) of 25');
    expect(report).not.toContain('Try installing again');
    const figures = await sendToEveryone(installing, 'Fire drill, for everyone');
    expect(figures).toMatchObject({ recipients: 25, sent: 25 });
    for (const carer of thirdWave) {
      expect(cardsIn(chatOf(carer))).toBe(1);
      expect(graph.installs().get(carer.aadObjectId)).toBe(1);
    }
  }, 30_000);
});

describe('with proactive installation off', () => {
  it('people in no team are not installed for, and the preview and `reach` say why and what can be done', async () => {
    const { press, say } = chat(notInstalling, connector);
    const preview = await press(manager, VERBS.broadcastPreview, draft('Kitchen deep clean'));
    expect(preview).toMatch(/"title":"People","value":"1"/);
    expect(preview).toContain('Will reach 1; 3 cannot be reached yet (not in a team with Huddle: 3).');
    expect(preview).toContain('Your IT admin can also let Huddle install itself for them');
    expect(await say(manager, 'reach')).toContain('Proactive installation is off');

    const figures = await sendToEveryone(notInstalling, 'Kitchen deep clean');
    expect(figures).toMatchObject({ recipients: 1, sent: 1 });
    expect(graphCallsFor(elsewhere)).toEqual([]);
    for (const who of elsewhere) expect(cardsIn(chatOf(who))).toBe(0);
  }, 30_000);
});
