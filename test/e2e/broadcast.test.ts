import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { defaultStages } from '../../src/domain/initiatives/initiative.js';
import { zonedToInstant } from '../../src/domain/shared/timeZone.js';
import { Localizer } from '../../src/i18n/strings.js';
import { executeAction, type Person, person, personalInstall, TENANT } from '../support/activities.js';
import { actionIn, buttonData, type Chat, chat, choiceLists } from '../support/chat.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, quietNow, seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

const manager = person(2, 'Alex Wilber');
const MONTHS = 'January February March April May June July August September October November December'.split(
  ' ',
);
const prefix = uniquePrefix();

let connector: RecordingConnector;
let bot: TestHuddle;
let where: { serviceUrl: string };
let staff: Person[];
let press: Chat['press'];
let say: Chat['say'];

const draft = (overrides: Record<string, string> = {}) => ({
  headline: 'Handheld devices arrive on Willow',
  message: 'Each shift lead collects two devices from the office on Monday.',
  audience: 'all',
  when: 'now',
  urgent: 'false',
  ...overrides,
});

const broadcastsNow = () => bot.huddle.storage.broadcasts.list(TENANT);
const proactiveTo = (who: Person) => connector.messagesPerConversation().get(conversationIdOf(who)) ?? 0;

beforeAll(async () => {
  connector = await startRecordingConnector([], { tenantRate: 50 });
  where = { serviceUrl: connector.serviceUrl };
  bot = await startTestHuddle({
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_SCHEDULER_TICK_MS: '200',
    HUDDLE_TABLE_PREFIX: prefix,
  });
  ({ press, say } = chat(bot, connector));
  await bot.post(personalInstall(manager, where));
  staff = await seedStaff(bot.huddle.storage, connector.serviceUrl, 12);
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

describe('a manager sends an update to staff', () => {
  it('previews, confirms, delivers one card to each person and shows progress in place', async () => {
    expect(await say(manager, 'broadcast')).toContain('New update for staff');

    const preview = await press(manager, VERBS.broadcastPreview, draft());
    expect(preview).toContain('Check before sending');
    expect(preview).toMatch(/"title":"People","value":"13"/); // twelve staff and the manager
    expect(await broadcastsNow()).toEqual([]);

    const progress = await press(manager, VERBS.broadcastConfirm, draft(), 'preview-card');
    expect(progress).toContain('Handheld devices arrive on Willow');
    expect(progress).toContain('Stop sending');

    const [broadcast] = await until(broadcastsNow, (list) => list[0]?.status === 'done');
    expect(broadcast?.figures).toMatchObject({ recipients: 13, sent: 13, pending: 0, failed: 0 });
    for (const who of staff) expect(proactiveTo(who)).toBe(1);

    const card = JSON.stringify(
      connector.sent().find((sent) => JSON.stringify(sent).includes(conversationIdOf(staff[0] as Person))),
    );
    expect(card).toContain('Each shift lead collects two devices');
    expect(card).toContain('I have a concern');

    // The manager's progress card (the preview message) was updated in place to the final summary.
    const updates = await until(
      async () =>
        connector.calls.filter(
          (call) => call.method === 'PUT' && call.path.endsWith('/activities/preview-card'),
        ),
      (puts) => JSON.stringify(puts.at(-1)?.body ?? {}).includes('Finished.'),
    );
    expect(JSON.stringify(updates.at(-1)?.body)).toContain('13');
  });

  it('counts Got it once, and stores a concern anonymously with nothing that identifies the writer', async () => {
    const [broadcast] = await broadcastsNow();
    const id = broadcast?.id ?? '';
    const [first, second] = staff as [Person, Person];

    expect(await press(first, VERBS.updateGotIt, { broadcastId: id })).toContain('Thanks, noted.');
    expect(await press(first, VERBS.updateGotIt, { broadcastId: id })).toContain('Thanks, noted.');

    expect(await press(second, VERBS.updateConcern, { broadcastId: id })).toContain('Tell us your concern');
    const tooLong = await press(second, VERBS.concernSubmit, { broadcastId: id, text: 'x'.repeat(1_001) });
    expect(tooLong).toContain('That is 1,001 characters; please keep it to 1,000.');
    const thanked = await press(second, VERBS.concernSubmit, {
      broadcastId: id,
      text: 'Two devices for twelve carers on a night shift will not be enough.',
      giveName: 'false',
    });
    expect(thanked).toContain('passed on anonymously');

    const comments = TableClient.fromConnectionString(
      inject('storageConnectionString'),
      `${prefix}Comments`,
      {
        allowInsecureConnection: true,
      },
    );
    const rows: Record<string, unknown>[] = [];
    for await (const row of comments.listEntities()) rows.push(row);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text).toBe('Two devices for twelve carers on a night shift will not be enough.');
    const raw = JSON.stringify(rows[0]);
    expect(raw).not.toContain(second.aadObjectId);
    expect(raw).not.toContain(second.name);
    expect(rows[0]?.day).toMatch(/^\d{4}-\d\d-\d\d$/);

    const list = await say(manager, 'broadcasts');
    expect(list).toMatch(/13 of 13 delivered · 1 got it \(8% of those reached\) · 1 concern(?!s)/);
  });
});

describe('the compose form', () => {
  it('offers the same choice lists on every path: first show, a problem, Edit, a refused confirm', async () => {
    const first = choiceLists(await say(manager, 'broadcast'));
    expect(first.audience).toContain('all');
    expect(first.when).toEqual(['now', 'later']);
    const problem = await press(manager, VERBS.broadcastPreview, draft({ headline: '' }));
    expect(problem).toContain('Please fix');
    expect(choiceLists(problem)).toEqual(first);
    expect(choiceLists(await press(manager, VERBS.broadcastEdit, draft({ when: 'later' })))).toEqual(first);
    expect(choiceLists(await press(manager, VERBS.broadcastConfirm, draft({ headline: '' })))).toEqual(first);
  });

  it('lists every problem at once and stores nothing', async () => {
    const card = await press(
      manager,
      VERBS.broadcastPreview,
      draft({
        headline: '',
        message: 'm'.repeat(2_001),
        imageUrl: 'http://insecure.example/picture.png',
        audience: 'unit:Nowhere',
        when: 'later',
        date: '2020-01-01',
        time: '09:00',
      }),
    );
    for (const problem of [
      'Add a headline.',
      'What is changing is 2,001 characters; the most is 2,000.',
      'Picture (https link, optional) must be a full https:// link.',
      'That group no longer exists',
      'That time has already passed.',
    ]) {
      expect(card).toContain(problem);
    }
    // The form comes back with what the manager typed, so nothing is lost.
    expect(card).toContain('http://insecure.example/picture.png');
    const confirmed = await press(
      manager,
      VERBS.broadcastConfirm,
      draft({ when: 'later', date: '', time: '' }),
    );
    expect(confirmed).toContain('Choose the date and time to send it');
    expect((await broadcastsNow()).length).toBe(1);
  });
});

describe('sending later', () => {
  it("schedules for the manager's own time, sends nothing yet, and can be cancelled before it starts", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const card = await press(
      manager,
      VERBS.broadcastConfirm,
      draft({ headline: 'Fire drill', when: 'later', date: tomorrow, time: '14:30' }),
      'later-card',
    );
    // The British way: day, month in words, year, and a 24-hour time.
    const [year, month, day] = tomorrow.split('-').map(Number) as [number, number, number];
    const monthName = MONTHS[month - 1];
    expect(card).toContain(`Scheduled for ${day} ${monthName} ${year} at 14:30.`);
    const scheduled = (await broadcastsNow()).find((b) => b.content.headline === 'Fire drill');
    expect(scheduled?.status).toBe('scheduled');
    expect(scheduled?.sendAt).toBe(zonedToInstant(tomorrow, '14:30', 'Europe/London')?.toISOString());
    await new Promise((wait) => setTimeout(wait, 600)); // a few scheduler ticks
    expect(await bot.huddle.storage.deliveries.outcomes(scheduled?.id ?? '')).toEqual([]);

    const cancelled = await press(
      manager,
      VERBS.broadcastCancel,
      { broadcastId: scheduled?.id },
      'later-card',
    );
    expect(cancelled).toContain('Cancelled before sending. Nobody got it.');
    expect((await bot.huddle.storage.broadcasts.get(TENANT, scheduled?.id ?? ''))?.status).toBe('cancelled');
  });
});

describe('saved lists', () => {
  it('saves a list, refuses an empty one, sends to exactly the people on it, and deletes it', async () => {
    const [first, , third] = staff as [Person, Person, Person];
    expect(await say(manager, 'lists')).toContain('No saved lists yet.');
    expect(await press(manager, VERBS.listSave, { name: ' ', members: '' })).toContain(
      'Give the list a name.',
    );
    const saved = await press(manager, VERBS.listSave, {
      name: 'Night seniors',
      members: `${first.aadObjectId},${third.aadObjectId}`,
    });
    expect(saved).toContain('Saved \\"Night seniors\\" with 2 people.');
    const [list] = await bot.huddle.storage.savedLists.list(TENANT);
    expect(await say(manager, 'broadcast')).toContain('List: Night seniors (2)');

    const before = connector.messagesPerConversation();
    await press(
      manager,
      VERBS.broadcastConfirm,
      draft({ headline: 'Seniors meeting', audience: `list:${list?.id}` }),
      'list-card',
    );
    await until(broadcastsNow, (all) =>
      all.some((b) => b.content.headline === 'Seniors meeting' && b.status === 'done'),
    );
    const after = connector.messagesPerConversation();
    const gained = staff.filter(
      (who) => (after.get(conversationIdOf(who)) ?? 0) > (before.get(conversationIdOf(who)) ?? 0),
    );
    expect(gained).toEqual([first, third]);

    expect(await press(manager, VERBS.listDelete, { listId: list?.id })).toContain(
      'Deleted \\"Night seniors\\"',
    );
    expect(await bot.huddle.storage.savedLists.list(TENANT)).toEqual([]);
  });
});

describe('people who are not managers', () => {
  it('cannot broadcast, confirm a forwarded preview or advance a stage; nothing is stored', async () => {
    const carer = staff[3] as Person;
    expect(await say(carer, 'broadcast')).toContain('only someone with the Manager role');
    expect(await press(carer, VERBS.broadcastConfirm, draft())).toContain(
      'only someone with the Manager role',
    );
    expect(await say(carer, 'advance stage')).toContain('only someone with the Manager role');
    expect((await broadcastsNow()).length).toBe(3);
  });
});

describe('quiet hours and urgency', () => {
  it('says in the preview how many are in their quiet hours, in words that fit one person', async () => {
    await seedStaff(bot.huddle.storage, connector.serviceUrl, 1, {
      first: 4000,
      quietHours: quietNow(),
      timeZone: 'UTC',
      groups: () => ({ unit: 'Dawn' }),
    });
    const preview = await press(manager, VERBS.broadcastPreview, draft({ audience: 'unit:Dawn' }));
    expect(preview).toContain('One of them is in their quiet hours now');
    expect(preview).not.toContain('of them are');
  });

  it('holds a normal update until quiet hours end, and sends an urgent one at once', async () => {
    const sleepers = await seedStaff(bot.huddle.storage, connector.serviceUrl, 3, {
      first: 5000,
      quietHours: quietNow(),
      timeZone: 'UTC',
      groups: () => ({ unit: 'Nights' }),
    });
    await press(
      manager,
      VERBS.broadcastConfirm,
      draft({ headline: 'Rota change', audience: 'unit:Nights' }),
      'quiet-card',
    );
    const held = await until(broadcastsNow, (list) =>
      list.some((b) => b.content.headline === 'Rota change' && b.figures?.waiting === 3),
    );
    expect(held.find((b) => b.content.headline === 'Rota change')?.status).toBe('sending');
    for (const who of sleepers) expect(proactiveTo(who)).toBe(0);
    const row = await bot.huddle.storage.deliveries.get(
      held.find((b) => b.content.headline === 'Rota change')?.id ?? '',
      sleepers[0]?.aadObjectId ?? '',
    );
    expect(Date.parse(row?.delivery.notBefore ?? '')).toBeGreaterThan(Date.now() + 30 * 60_000);

    await press(
      manager,
      VERBS.broadcastConfirm,
      draft({ headline: 'Fire door broken', audience: 'unit:Nights', urgent: 'true' }),
    );
    await until(
      async () => sleepers.map(proactiveTo),
      (counts) => counts.every((count) => count === 1),
    );
    // The last message to a sleeper (the manager's progress card may be updated after it).
    const urgentCard = JSON.stringify(
      connector
        .sent()
        .filter((sent) => JSON.stringify(sent).includes(conversationIdOf(sleepers[0] as Person)))
        .at(-1),
    );
    expect(urgentCard).toContain('Urgent');
    expect(urgentCard).toContain('Fire door broken');
  });
});

describe('cancelling', () => {
  it('stops the rest of a broadcast: those not yet sent are skipped', async () => {
    await seedStaff(bot.huddle.storage, connector.serviceUrl, 300, {
      first: 6000,
      groups: () => ({ unit: 'Big' }),
    });
    await press(
      manager,
      VERBS.broadcastConfirm,
      draft({ headline: 'Big one', audience: 'unit:Big' }),
      'big-card',
    );
    const sending = await until(broadcastsNow, (list) =>
      list.some((b) => b.content.headline === 'Big one' && (b.figures?.sent ?? 0) > 20),
    );
    const id = sending.find((b) => b.content.headline === 'Big one')?.id ?? '';
    const cancelled = await press(manager, VERBS.broadcastCancel, { broadcastId: id }, 'big-card');
    expect(cancelled).toContain('Stopped. Nobody else will get it.');
    const done = await until(
      () => bot.huddle.storage.broadcasts.get(TENANT, id),
      (b) => b?.finishedAt !== undefined,
    );
    const figures = done?.figures;
    expect(figures?.skipped).toBeGreaterThan(100);
    expect((figures?.sent ?? 0) + (figures?.skipped ?? 0)).toBe(300);
    const sentAfter = connector.sent().length;
    await new Promise((wait) => setTimeout(wait, 1_000));
    expect(connector.sent().length - sentAfter).toBeLessThanOrEqual(1); // at most a progress-card update
    expect(await press(manager, VERBS.broadcastCancel, { broadcastId: id })).toContain('already finished');
  });
});

describe('stages and what staff see', () => {
  it('advances an initiative, opens its stage update, and tells each member only what includes them', async () => {
    const t = new Localizer().for('en-GB');
    const now = new Date().toISOString();
    await bot.huddle.storage.initiatives.put({
      tenantId: TENANT,
      id: 'digital-care-planning',
      title: 'Digital care planning',
      why: 'Paper care plans get lost between shifts.',
      vision: 'Everyone sees the same up-to-date plan on a handheld device.',
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
    const stored = async () =>
      (await bot.huddle.storage.initiatives.get(TENANT, 'digital-care-planning'))?.currentStage;
    const asked = await say(manager, 'advance stage');
    expect(asked).toContain('Move Digital care planning on?');
    expect(asked).toContain(
      'Move from stage 1, **Why we need to change**, to stage 2 of 8, **Building the team to lead it**?',
    );
    expect(await stored()).toBe(0);
    const confirm = buttonData(connector, conversationIdOf(manager), VERBS.advanceConfirm) ?? {};

    const before = connector.sent().length;
    const done = await press(manager, VERBS.advanceConfirm, confirm, 'advance-card');
    expect(done).toContain('Digital care planning has moved on');
    expect(done).toContain('Press Undo within 5 minutes');
    const [form] = (await connector.waitForSent(before + 1)).slice(before);
    expect(JSON.stringify(form)).toContain(
      'Stage update for Digital care planning: Building the team to lead it',
    );
    expect(await stored()).toBe(1);

    // The same press again, and a second card asked before the first was answered: neither moves it on.
    expect(await press(manager, VERBS.advanceConfirm, confirm, 'advance-card')).toContain('Already done');
    expect(await press(manager, VERBS.advanceConfirm, confirm, 'older-card')).toContain(
      'has moved since this card was made: it is at stage 2, **Building the team to lead it**, now. Nothing changed.',
    );
    expect(await stored()).toBe(1);

    const undo = actionIn(JSON.parse(done), VERBS.advanceUndo);
    expect(undo).toMatchObject({ initiativeId: 'digital-care-planning', stage: 1, cycle: 1 });
    const undone = await press(manager, VERBS.advanceUndo, undo, 'advance-card');
    expect(undone).toContain('Digital care planning has moved back');
    expect(undone).toContain('It is at stage 1, **Why we need to change**, again.');
    expect(await stored()).toBe(0);

    await say(manager, 'advance stage');
    await press(manager, VERBS.advanceConfirm, confirm, 'again-card');
    expect(await stored()).toBe(1);
    // Undo runs out: a move made six minutes ago stays.
    const moved = await bot.huddle.storage.initiatives.get(TENANT, 'digital-care-planning');
    if (moved === undefined) throw new Error('fixture');
    await bot.huddle.storage.initiatives.put({
      ...moved,
      updatedAt: new Date(Date.now() - 6 * 60_000).toISOString(),
    });
    expect(await press(manager, VERBS.advanceUndo, undo, 'late-card')).toContain(
      'moved on more than 5 minutes ago, so it can no longer be undone',
    );
    expect(await stored()).toBe(1);

    const willow = staff[0] as Person; // even-numbered staff are on Willow
    const rowan = staff[1] as Person;
    const seen = await say(willow, "what's changing");
    expect(seen).toContain('Stage 2 of 8: Building the team to lead it');
    expect(seen).toContain('Alex Wilber');
    expect(await say(rowan, "what's changing")).toContain('Nothing that includes you is changing right now.');
  });

  it('with no name and several initiatives, offers each as a button, then asks about the one chosen', async () => {
    const first = await bot.huddle.storage.initiatives.get(TENANT, 'digital-care-planning');
    if (first === undefined) throw new Error('fixture');
    await bot.huddle.storage.initiatives.put({
      ...first,
      id: 'falls',
      title: 'Falls prevention',
      currentStage: 4,
    });
    const offered = await say(manager, 'advance stage');
    expect(offered).toContain('Which initiative moves to its next stage?');
    expect(offered).toContain('Digital care planning (stage 2 of 8)');
    expect(offered).toContain('Falls prevention (stage 5 of 8)');
    const falls = await press(manager, VERBS.advanceChoose, { initiativeId: 'falls', stage: 4, cycle: 1 });
    expect(falls).toContain('Move from stage 5, **Clearing the way**, to stage 6 of 8, **Early wins**?');
    expect(
      await press(manager, VERBS.advanceCancel, { initiativeId: 'falls', stage: 4, cycle: 1 }),
    ).toContain('Nothing changed.');
    expect((await bot.huddle.storage.initiatives.get(TENANT, 'falls'))?.currentStage).toBe(4);
  });
});

describe('the preview', () => {
  it('is the card staff will get, link button included, made by the same function', async () => {
    const withLink = draft({ headline: 'New falls policy', link: 'https://oakview.example/falls-policy' });
    const preview = JSON.parse(await press(manager, VERBS.broadcastPreview, withLink)) as Record<
      string,
      unknown
    >;
    const shown = JSON.stringify(preview);
    expect(shown).toContain('"type":"Action.OpenUrl"');
    expect(shown).toContain('https://oakview.example/falls-policy');
    expect(shown).toContain('Under it, each person gets Got it and I have a concern.');
    // Nothing pressable in the preview acts on a send that does not exist yet.
    expect(shown).not.toContain(VERBS.updateGotIt);
  });
});

describe('settings', () => {
  it('lets a night worker set daytime quiet hours, and refuses a time that is not one', async () => {
    const carer = staff[5] as Person;
    expect(await say(carer, 'settings')).toContain('Your quiet hours');
    expect(await press(carer, VERBS.settingsSave, { quietStart: '25:00', quietEnd: '06:00' })).toContain(
      'Use a time like 21:00.',
    );
    expect((await bot.huddle.storage.members.get(TENANT, carer.aadObjectId))?.quietHours).toEqual({
      start: '00:00',
      end: '00:00',
    });
    expect(await press(carer, VERBS.settingsSave, { quietStart: '09:00', quietEnd: '17:00' })).toContain(
      'Saved. Quiet from 09:00 until 17:00.',
    );
    expect((await bot.huddle.storage.members.get(TENANT, carer.aadObjectId))?.quietHours).toEqual({
      start: '09:00',
      end: '17:00',
    });
  });

  it('says plainly that the same time twice means no quiet hours, not "08:00 until 08:00"', async () => {
    const carer = staff[5] as Person;
    const saved = await press(carer, VERBS.settingsSave, { quietStart: '08:00', quietEnd: '08:00' });
    expect(saved).toContain('you have no quiet hours: Huddle may message you at any time');
    expect(saved).not.toContain('Quiet from 08:00 until 08:00');
  });
});

describe('a confirm pressed twice', () => {
  it('sends one update when Teams retries the press and the manager taps again', async () => {
    const press = {
      ...executeAction(manager, VERBS.broadcastConfirm, where, draft({ headline: 'Hoist training moved' })),
      replyToId: 'twice-card',
    };
    const answers = await Promise.all([
      bot.post(press),
      bot.post(press),
      bot.post({ ...press, id: 'another-tap' }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.filter((answer) => JSON.stringify(answer.body).includes('Already done'))).toHaveLength(2);
    const sent = (await broadcastsNow()).filter((b) => b.content.headline === 'Hoist training moved');
    expect(sent).toHaveLength(1);
  });
});
