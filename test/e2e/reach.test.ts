import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { defaultStages } from '../../src/domain/initiatives/initiative.js';
import { Localizer } from '../../src/i18n/strings.js';
import {
  type Person,
  person,
  personalInstall,
  TENANT,
  teamInstall,
  teamMembersChanged,
  teamUninstall,
} from '../support/activities.js';
import { type Chat, chat } from '../support/chat.js';
import {
  openedChatId,
  type RecordingConnector,
  type RosterEntry,
  startRecordingConnector,
} from '../support/recordingConnector.js';
import { conversationIdOf } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

const manager = person(2, 'Alex Wilber');
const oakView = { teamId: '19:oakview@thread.tacv2', teamName: 'Oak View staff' };
const willow = { teamId: '19:willow-nights@thread.tacv2', teamName: 'Willow nights' };
const carers = Array.from({ length: 300 }, (_, i) => person(7000 + i, `Carer ${i + 1}`));
const [firstCarer, throttledCarer, personalCarer] = carers as [Person, Person, Person];
const newcomer = person(7500, 'Nia Okafor');
const willowOnly = [person(7600, 'Sam Patel'), person(7601, 'Jo Byrne')] as const;
// Agency cover: one of Oak View's own staff, a guest, someone of the agency's own organisation.
const agencyCover = { teamId: '19:agency-cover@thread.tacv2', teamName: 'Agency cover' };
const agencyStaff = person(7700, 'Ola Nowak');
const agencyGuest = person(7701, 'Kim Guest');
const agencyExternal = person(7702, 'Lee Partner');
const lateGuest = person(7703, 'Max Visitor');
const agencyEntries = (): RosterEntry[] => [
  entry(agencyStaff),
  { ...entry(agencyGuest), userRole: 'guest' },
  { ...entry(agencyExternal), tenantId: 'f00dcafe-0000-4000-8000-00000000beef' },
];
const entry = (who: Person): RosterEntry => ({
  ...who,
  userPrincipalName: `${who.aadObjectId}@oakview.example`,
});

let connector: RecordingConnector;
let bot: TestHuddle;
let where: { serviceUrl: string };
let press: Chat['press'];

const draft = (headline: string, overrides: Record<string, string> = {}) => ({
  headline,
  message: 'Each shift lead collects two devices from the office on Monday.',
  audience: 'all',
  when: 'now',
  urgent: 'false',
  ...overrides,
});

/** Confirms a send to everyone and waits until it has finished; returns its figures. */
async function sendToEveryone(headline: string, overrides: Record<string, string> = {}) {
  await press(manager, VERBS.broadcastConfirm, draft(headline, overrides), `card-${headline}`);
  const finished = await until(
    () => bot.huddle.storage.broadcasts.list(TENANT),
    (list) => list.some((b) => b.content.headline === headline && b.status === 'done'),
    60_000,
  );
  return finished.find((b) => b.content.headline === headline)?.figures;
}

const cardsIn = (conversationId: string) => connector.messagesPerConversation().get(conversationId) ?? 0;
const inTeam = async (teamId: string) =>
  (await bot.huddle.storage.members.list(TENANT)).filter((member) => member.teamIds?.includes(teamId));

beforeAll(async () => {
  // The directory Teams knows (everyone below), and the one team Huddle is about to be added to.
  connector = await startRecordingConnector(
    [
      ...[...carers, newcomer, ...willowOnly].map(entry),
      ...agencyEntries(),
      { ...entry(lateGuest), userRole: 'guest' },
    ],
    {
      tenantRate: 50,
      teams: { [oakView.teamId]: carers.map(entry) },
      // The first page of each roster read takes Teams 1.5 s, longer than an install's turn may last, so a
      // turn that read the roster would show in its answer time.
      firstPageDelayMs: 1_500,
      // Teams throttles the opening of one carer's chat once, asking for a second's pause.
      faults: [{ on: 'open', ids: [7001], attempts: 1, fault: { status: 429, retryAfterSeconds: 1 } }],
    },
  );
  where = { serviceUrl: connector.serviceUrl };
  bot = await startTestHuddle({
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_SCHEDULER_TICK_MS: '200',
    HUDDLE_TABLE_PREFIX: uniquePrefix(),
    HUDDLE_QUIET_HOURS: '00:00-00:00',
  });
  ({ press } = chat(bot, connector));
  await bot.post(personalInstall(manager, where));
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

describe('a team install reaches everyone in the team', () => {
  it('300 members each get exactly one stage update in personal chat, their chats opened once each', async () => {
    const t = new Localizer().for('en-GB');
    const now = new Date().toISOString();
    await bot.huddle.storage.initiatives.put({
      tenantId: TENANT,
      id: 'rota-app',
      title: 'New rota app',
      why: 'Paper rotas go missing.',
      vision: 'Everyone sees their shifts on their phone.',
      objectives: [],
      model: 'kotter',
      stages: defaultStages('kotter', (key) => t(key)),
      currentStage: 0,
      audience: { kind: 'all' },
      owners: [manager.aadObjectId],
      champions: [],
      createdAt: now,
      updatedAt: now,
    });
    const startedAt = Date.now();
    const installed = await bot.post(teamInstall(manager, { ...where, ...oakView }));
    expect(installed.status).toBe(200);
    // The roster is read after the turn, by the scheduler, not while Teams waits for the install's answer.
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    await until(
      () => inTeam(oakView.teamId),
      (members) => members.length === 300,
    );

    const figures = await sendToEveryone('Rota app: building the team', {
      initiativeId: 'rota-app',
      stageIndex: '0',
    });
    expect(figures).toMatchObject({ recipients: 301, sent: 301, failed: 0, gone: 0 });
    const opened = connector.chatsOpened();
    for (const carer of carers) {
      expect(opened.get(carer.id)).toBe(1);
      expect(cardsIn(openedChatId(carer.id))).toBe(1);
    }
    // The throttled opening was asked again after its pause, not given up.
    const throttled = connector.calls.filter(
      (call) => call.path === '/v3/conversations' && call.status === 429,
    );
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(cardsIn(openedChatId(throttledCarer.id))).toBe(1);
    // Nothing was posted in the team's channel.
    expect(cardsIn(oakView.teamId)).toBe(0);
    const stored = await bot.huddle.storage.members.get(TENANT, firstCarer.aadObjectId);
    expect(stored?.personalConversation).toMatchObject({ conversation: { id: openedChatId(firstCarer.id) } });
  }, 90_000);

  it('the next send reuses the stored chats: one more card each, no chat opened again', async () => {
    const figures = await sendToEveryone('Fire drill moved to Thursday');
    expect(figures).toMatchObject({ recipients: 301, sent: 301 });
    const opened = connector.chatsOpened();
    for (const carer of carers) {
      expect(opened.get(carer.id)).toBe(1);
      expect(cardsIn(openedChatId(carer.id))).toBe(2);
    }
  }, 90_000);
});

describe('the team changes after the install', () => {
  it('someone who joins is reached, someone who leaves is not', async () => {
    const leaver = carers[299] as Person;
    const team = { ...where, ...oakView };
    connector.setTeam(oakView.teamId, [...carers.slice(0, 299), newcomer].map(entry));
    expect((await bot.post(teamMembersChanged([newcomer], 'added', team))).status).toBe(200);
    expect((await bot.post(teamMembersChanged([leaver], 'removed', team))).status).toBe(200);
    expect((await bot.huddle.storage.members.get(TENANT, leaver.aadObjectId))?.teamIds ?? []).toEqual([]);

    const figures = await sendToEveryone('Welcome to the team');
    expect(figures).toMatchObject({ recipients: 301, sent: 301 });
    expect(cardsIn(openedChatId(newcomer.id))).toBe(1);
    expect(cardsIn(openedChatId(leaver.id))).toBe(2);

    // Added back: reachable again through the team, in the chat already opened.
    expect((await bot.post(teamMembersChanged([leaver], 'added', team))).status).toBe(200);
    expect(await press(manager, VERBS.broadcastPreview, draft('Back again'))).toMatch(
      /"title":"People","value":"302"/,
    );
    expect(
      (await bot.huddle.storage.members.get(TENANT, leaver.aadObjectId))?.personalConversation,
    ).toMatchObject({ conversation: { id: openedChatId(leaver.id) } });
    // Gone again before the next test, as Teams still lists them outside the team.
    expect((await bot.post(teamMembersChanged([leaver], 'removed', team))).status).toBe(200);
  }, 90_000);
});

describe('a second team, and an uninstall', () => {
  it('reaches a second team; after Huddle leaves the first, only people it still shares a team or a chat with', async () => {
    const alsoInWillow = carers.slice(10, 13);
    connector.setTeam(willow.teamId, [...alsoInWillow, ...willowOnly].map(entry));
    await bot.post(teamInstall(manager, { ...where, ...willow }));
    await until(
      () => inTeam(willow.teamId),
      (members) => members.length === 5,
    );
    // One carer opens a chat with Huddle themselves.
    await bot.post(personalInstall(personalCarer, where));

    expect((await bot.post(teamUninstall(manager, { ...where, ...oakView }))).status).toBe(200);
    await until(
      () => inTeam(oakView.teamId),
      (members) => members.length === 0,
    );
    const figures = await sendToEveryone('Handover notes go digital');
    // The manager, the carer with their own chat, and the five in Willow nights.
    expect(figures).toMatchObject({ recipients: 7, sent: 7 });
    expect(cardsIn(conversationIdOf(personalCarer))).toBeGreaterThanOrEqual(1);
    for (const who of alsoInWillow) expect(cardsIn(openedChatId(who.id))).toBe(4);
    for (const who of willowOnly) expect(cardsIn(openedChatId(who.id))).toBe(1);
    expect(cardsIn(openedChatId(firstCarer.id))).toBe(3);
    expect(cardsIn(openedChatId(newcomer.id))).toBe(1);
  }, 90_000);
});

describe('Teams refuses to open a chat', () => {
  it('a 403 marks the person unreachable, not in a team with Huddle, and they are left out of the next send', async () => {
    const [sam, jo] = willowOnly;
    // Jo left Willow nights, and the event never reached Huddle; Teams knows.
    connector.setTeam(willow.teamId, [...carers.slice(10, 13), sam].map(entry));
    await bot.huddle.storage.members.modify(TENANT, jo.aadObjectId, (current) => ({
      ...(current as NonNullable<typeof current>),
      personalConversation: undefined,
    }));
    const figures = await sendToEveryone('Parking changes');
    expect(figures).toMatchObject({ recipients: 7, sent: 6, gone: 1 });
    expect(await bot.huddle.storage.members.get(TENANT, jo.aadObjectId)).toMatchObject({
      unreachableReason: 'notInTeam',
    });
    expect(
      connector.calls.some(
        (call) =>
          call.path === '/v3/conversations' &&
          call.status === 403 &&
          JSON.stringify(call.body).includes(jo.id),
      ),
    ).toBe(true);
    // Got it is counted over the six the update reached, not the seven it was meant for.
    const parking = (await bot.huddle.storage.broadcasts.list(TENANT)).find(
      (b) => b.content.headline === 'Parking changes',
    );
    await press(sam, VERBS.updateGotIt, { broadcastId: parking?.id });
    const { say } = chat(bot, connector);
    expect(await say(manager, 'broadcasts')).toContain('6 of 7 delivered · 1 got it (17% of those reached)');

    const next = await sendToEveryone('Parking changes, again');
    expect(next).toMatchObject({ recipients: 6, sent: 6 });
  }, 90_000);
});

describe('what a manager is told about reach', () => {
  it('the update and pulse previews say who will be reached and who cannot be yet, and why', async () => {
    // One carer in Willow nights removes Huddle from their own Teams.
    const blocker = carers[12] as Person;
    await bot.post(personalInstall(blocker, where, 'remove'));
    const preview = await press(manager, VERBS.broadcastPreview, draft('Visiting hours'));
    // 304 people known: the manager, 300 carers, the newcomer and two in Willow nights only.
    expect(preview).toMatch(/"title":"People","value":"5"/);
    expect(preview).toContain(
      'Will reach 5; 299 cannot be reached yet (not in a team with Huddle: 298; blocked or removed Huddle: 1).',
    );
    expect(preview).toContain('Add Huddle to a team they are in, or ask them to open Huddle in Teams.');
    expect(preview).toContain('Only they can add Huddle again');

    const pulse = await press(manager, VERBS.pulseItems, {
      title: 'How are visiting hours working?',
      initiativeId: '',
      template: 'wellbeing',
      audience: 'all',
      opens: 'now',
      closeDate: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
      closeTime: '12:00',
      cadence: 'once',
      anonymity: 'anonymous',
    });
    expect(pulse).toMatch(/"title":"People","value":"5"/);
    expect(pulse).toContain('Will reach 5; 299 cannot be reached yet');
  });

  it('`reach` lists by site and unit how many can be reached and why not, for managers only', async () => {
    const willowPeople = [...carers.slice(10, 13), ...willowOnly];
    for (const who of willowPeople) {
      await bot.huddle.storage.members.modify(TENANT, who.aadObjectId, (current) => ({
        ...(current as NonNullable<typeof current>),
        groups: { site: 'Oak View', unit: 'Willow' },
      }));
    }
    const { say } = chat(bot, connector);
    const report = await say(manager, 'reach');
    expect(report).toContain('Who Huddle can reach');
    expect(report).toContain('Reachable in personal chat: 5 of 304');
    expect(report).toMatch(
      /"title":"Oak View · Willow","value":"3 of 5 · not in a team with Huddle: 1; blocked or removed Huddle: 1"/,
    );
    expect(report).toMatch(
      /"title":"No site or unit yet","value":"2 of 299 · not in a team with Huddle: 297"/,
    );
    expect(await say(carers[10] as Person, 'reach')).toContain('only someone with the Manager or Admin role');
  });
});

describe('who "Everyone" is, for a change that involves only some groups', () => {
  const willowHandover = 'willow-handover';
  const pulseSettings = (overrides: Record<string, string>) => ({
    title: 'How is the new handover going?',
    initiativeId: willowHandover,
    template: 'readiness',
    audience: 'all',
    opens: 'now',
    closeDate: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
    closeTime: '12:00',
    cadence: 'once',
    anonymity: 'anonymous',
    ...overrides,
  });

  beforeAll(async () => {
    const t = new Localizer().for('en-GB');
    const now = new Date().toISOString();
    await bot.huddle.storage.initiatives.put({
      tenantId: TENANT,
      id: willowHandover,
      title: 'Willow handover',
      why: 'Handover notes get lost between shifts.',
      vision: 'Every shift starts with the notes it needs.',
      objectives: [],
      model: 'kotter',
      stages: defaultStages('kotter', (key) => t(key)),
      currentStage: 0,
      audience: { kind: 'groups', groups: [{ unit: 'Willow' }] },
      owners: [manager.aadObjectId],
      champions: [],
      createdAt: now,
      updatedAt: now,
    });
    // Elm: the carer who opened a chat with Huddle. Birch: two carers Huddle shares no team or chat with.
    const units: [Person, string][] = [
      [personalCarer, 'Elm'],
      [carers[20] as Person, 'Birch'],
      [carers[21] as Person, 'Birch'],
    ];
    for (const [who, unit] of units) {
      await bot.huddle.storage.members.modify(TENANT, who.aadObjectId, (current) => ({
        ...(current as NonNullable<typeof current>),
        groups: { unit },
      }));
    }
  });

  it('the update form offers only choices within the change, "Everyone" naming its groups and people', async () => {
    const plain = await press(manager, VERBS.broadcastEdit, draft('Handover'));
    expect(plain).toContain('"title":"Everyone"');
    expect(plain).toContain('"title":"Team or unit: Elm"');
    // A group nobody in it can be messaged is explained before it is chosen, not refused after.
    expect(plain).toContain('"title":"Team or unit: Birch (nobody Huddle can message yet)"');

    const aboutWillow = await press(
      manager,
      VERBS.broadcastEdit,
      draft('Handover', { initiativeId: willowHandover, stageIndex: '0' }),
    );
    expect(aboutWillow).toContain('"title":"Everyone in this change: Willow, 5 people"');
    expect(aboutWillow).toContain('"title":"Team or unit: Willow"');
    expect(aboutWillow).not.toContain('Team or unit: Elm');
    expect(aboutWillow).not.toContain('Team or unit: Birch');

    const preview = await press(
      manager,
      VERBS.broadcastPreview,
      draft('Handover', { initiativeId: willowHandover, stageIndex: '0' }),
    );
    expect(preview).toMatch(/"title":"To","value":"Everyone in this change: Willow, 5 people"/);
    expect(preview).toMatch(/"title":"People","value":"3"/);
    expect(preview).toContain('Will reach 3; 2 cannot be reached yet');
  });

  it('the pulse form says which changes include only some people, and keeps the audience within the change', async () => {
    const { say } = chat(bot, connector);
    expect(await say(manager, 'pulse')).toContain(
      'A pulse about a change asks only the people in it, whoever you choose here: Willow handover (Willow, 5 people).',
    );

    const outside = await press(manager, VERBS.pulseItems, pulseSettings({ audience: 'unit:Elm' }));
    expect(outside).toContain('Nobody in that group is in Willow handover: choose who to ask again.');
    expect(outside).toContain('"title":"Everyone in this change: Willow, 5 people"');
    expect(outside).not.toContain('Team or unit: Elm');

    const items = await press(manager, VERBS.pulseItems, pulseSettings({}));
    expect(items).toMatch(/"value":"Everyone in this change: Willow, 5 people"/);
    expect(items).toMatch(/"title":"People","value":"3"/);
  });
});

describe('guests and people of other organisations', () => {
  it('are not messaged by default, and the preview and `reach` say why', async () => {
    connector.setTeam(agencyCover.teamId, agencyEntries());
    const team = { ...where, ...agencyCover };
    await bot.post(teamInstall(manager, team));
    await until(
      () => inTeam(agencyCover.teamId),
      (members) => members.length === 3,
    );
    // Added later by an event, which does not say who is a guest: the roster is asked.
    connector.setTeam(agencyCover.teamId, [...agencyEntries(), { ...entry(lateGuest), userRole: 'guest' }]);
    expect((await bot.post(teamMembersChanged([lateGuest], 'added', team))).status).toBe(200);
    const account = async (who: Person) =>
      (await bot.huddle.storage.members.get(TENANT, who.aadObjectId))?.account;
    expect(await account(agencyStaff)).toBe('staff');
    expect(await account(agencyGuest)).toBe('guest');
    expect(await account(agencyExternal)).toBe('external');
    expect(await account(lateGuest)).toBe('guest');

    const preview = await press(manager, VERBS.broadcastPreview, draft('Agency induction'));
    expect(preview).toMatch(/guests: 2; from another organisation: 1\)/);
    expect(preview).toContain('Guests are not messaged unless your IT admin allows it');
    expect(preview).toContain(
      'People from other organisations are not messaged unless your IT admin allows it.',
    );
    const { say } = chat(bot, connector);
    expect(await say(manager, 'reach')).toMatch(/guests: 2; from another organisation: 1/);

    await sendToEveryone('Agency induction');
    expect(cardsIn(openedChatId(agencyStaff.id))).toBe(1);
    for (const outsider of [agencyGuest, agencyExternal, lateGuest]) {
      expect(connector.chatsOpened().get(outsider.id)).toBeUndefined();
    }
  }, 90_000);

  it('many added at once are not looked up in the turn: the roster is read again and says who is a guest', async () => {
    const intake = Array.from({ length: 17 }, (_, i) => person(7800 + i, `Agency carer ${i + 1}`));
    const [intakeGuest] = intake as [Person];
    const team = { ...where, ...agencyCover };
    connector.setTeam(agencyCover.teamId, [
      ...agencyEntries(),
      { ...entry(lateGuest), userRole: 'guest' },
      { ...entry(intakeGuest), userRole: 'guest' },
      ...intake.slice(1).map(entry),
    ]);
    const lookupsBefore = connector.calls.filter((call) => call.path.includes('/members/')).length;
    expect((await bot.post(teamMembersChanged(intake, 'added', team))).status).toBe(200);
    expect(connector.calls.filter((call) => call.path.includes('/members/')).length).toBe(lookupsBefore);
    // The roster read again writes people a batch at a time: the guest and the last of the intake may land
    // in different writes.
    const [guest, last] = await until(
      () =>
        Promise.all([
          bot.huddle.storage.members.get(TENANT, intakeGuest.aadObjectId),
          bot.huddle.storage.members.get(TENANT, intake[16]?.aadObjectId ?? ''),
        ]),
      ([one, other]) => one?.account !== undefined && other?.account !== undefined,
      30_000,
    );
    expect([guest?.account, last?.account]).toEqual(['guest', 'staff']);
  }, 60_000);
});

describe('a roster of 5,000', () => {
  it('is read a page at a time after the install has been answered, and everyone in it becomes reachable', async () => {
    const wholeHome = { teamId: '19:whole-home@thread.tacv2', teamName: 'Oak View everyone' };
    const everyone = Array.from({ length: 5_000 }, (_, i) => person(30_000 + i, `Staff ${i + 1}`));
    connector.setTeam(wholeHome.teamId, everyone.map(entry));
    const { say } = chat(bot, connector);
    const reachableNow = async () =>
      Number(
        /Reachable in personal chat: ([\d,]+) of/.exec(await say(manager, 'reach'))?.[1]?.replaceAll(',', ''),
      );
    const before = await reachableNow();

    const startedAt = Date.now();
    expect((await bot.post(teamInstall(manager, { ...where, ...wholeHome }))).status).toBe(200);
    // Ten pages are read by the scheduler, after Teams has had the install's answer: the first alone takes 1.5 s.
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    await until(
      () => bot.huddle.storage.installations.get(TENANT, wholeHome.teamId),
      (installation) => installation !== undefined && installation.roster === undefined,
      150_000,
    );
    expect(await inTeam(wholeHome.teamId)).toHaveLength(5_000);
    const pages = connector.calls.filter((call) =>
      call.path.startsWith(`/v3/conversations/${wholeHome.teamId}/pagedmembers`),
    );
    // Teams' largest page, each read once, each after the one before it.
    expect(pages.map((call) => new URLSearchParams(call.path.split('?')[1]).get('pageSize'))).toEqual(
      Array(10).fill('500'),
    );
    expect(new Set(pages.map((call) => call.path)).size).toBe(10);
    expect(await reachableNow()).toBe(before + 5_000);
  }, 180_000);
});
