import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import type { Initiative } from '../../src/domain/initiatives/initiative.js';
import type { MemberGroups } from '../../src/domain/people/member.js';
import { localDayAndTime } from '../../src/domain/shared/timeZone.js';
import { createLogger } from '../../src/logger.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { type Person, person, personalInstall, TENANT } from '../support/activities.js';
import { buttonData, type Chat, chat } from '../support/chat.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { localBox } from '../support/sealing.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

/**
 * Change champions through the real server: an invitation to a unit, a volunteer's yes, the manager's
 * answer, "who to ask" on the next stage update and in `what's changing` for each reader's own group, the
 * weekly note (none for a champion of small groups only), the digest's roll, and a champion who leaves.
 */
const prefix = uniquePrefix();
const manager = person(2, 'Alex Wilber');
let connector: RecordingConnector;
let bot: TestHuddle;
let storage: Storage;
let say: Chat['say'];
let press: Chat['press'];
let staff: Person[];

/** Seven on Willow days (big enough to show), three on Birch nights, two on Rowan twilights (both too small). */
const groupsOf = (n: number): MemberGroups =>
  n < 7
    ? { unit: 'Willow', shiftPattern: 'Days' }
    : n < 10
      ? { unit: 'Birch', shiftPattern: 'Nights' }
      : { unit: 'Rowan', shiftPattern: 'Twilights' };
const at = (n: number) => staff[n] as Person;

const initiative = (champions: string[]): Initiative => ({
  tenantId: TENANT,
  id: 'care-plans',
  title: 'Digital care plans',
  why: 'Paper plans go missing',
  vision: 'Every plan on the tablet',
  objectives: [],
  model: 'lewin',
  stages: [
    { key: 'change', title: 'Going digital', explanation: 'Tablets on every unit', focus: ['knowledge'] },
  ],
  currentStage: 0,
  audience: { kind: 'all' },
  owners: [manager.aadObjectId],
  champions,
  createdAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
  updatedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
});

beforeAll(async () => {
  connector = await startRecordingConnector([], { tenantRate: 50 });
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    prefix,
    createLogger('silent'),
    localBox(),
  );
  staff = await seedStaff(storage, connector.serviceUrl, 12, { first: 5100, groups: groupsOf });
  // Named by the manager's form before: Carer 8 on Birch nights, Carer 7 on Willow days.
  await storage.initiatives.put(initiative([at(7).aadObjectId, at(6).aadObjectId]));
  // The digest's moment is today at midnight, so this week's goes out as Huddle starts.
  const weekday = new Date(`${localDayAndTime(new Date(), 'Europe/London').day}T12:00:00Z`).getUTCDay() || 7;
  await storage.digestSettings.setSchedule(TENANT, { weekday, time: '00:00' });
  bot = await startTestHuddle({
    HUDDLE_TABLE_PREFIX: prefix,
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_SCHEDULER_TICK_MS: '200',
  });
  ({ say, press } = chat(bot, connector));
  await bot.post(personalInstall(manager, { serviceUrl: connector.serviceUrl }));
});

afterAll(async () => {
  await bot?.stop();
  await storage?.close();
  await connector?.close();
});

const cardsTo = (who: Person, text: string) =>
  connector.calls
    .filter(
      (call) =>
        call.conversationId === conversationIdOf(who) &&
        call.method === 'POST' &&
        call.status < 300 &&
        JSON.stringify(call.body).includes(text),
    )
    .map((call) => JSON.stringify(call.body));
const waitForCard = async (who: Person, text: string) =>
  (
    await until(
      async () => cardsTo(who, text),
      (cards) => cards.length > 0,
    )
  )[0] ?? '';
const champions = async () => (await storage.initiatives.get(TENANT, 'care-plans'))?.champions;
const INVITATION = 'Would you like to be a change champion for Digital care plans?';
/** The data of the preview card's button titled `title`, as Teams sends it back when pressed. */
const previewData = (card: string, title: string) => {
  const actions = (JSON.parse(card) as { actions: { title: string; data: Record<string, unknown> }[] })
    .actions;
  return actions.find((action) => action.title === title)?.data ?? {};
};

describe('becoming a change champion', () => {
  it('shows how many the invitation will reach before sending anything, and Change keeps the choice', async () => {
    const list = await say(manager, 'initiatives');
    expect(list).toContain('Invite champions');
    const form = await press(manager, VERBS.championInviteForm, { initiativeId: 'care-plans' });
    expect(form).toContain('Nobody is picked by what they answered');
    const preview = await press(manager, VERBS.championInvitePreview, {
      initiativeId: 'care-plans',
      audience: 'unit:Willow',
    });
    expect(preview).toContain('Send invitations to 7 people: Team or unit: Willow');
    expect(preview).toContain('Would you like to be a change champion for Digital care plans?');
    expect(preview).toContain('"title":"Send invitations"');
    const changed = await press(manager, VERBS.championInviteForm, previewData(preview, 'Change'));
    expect(changed).toContain('"value":"unit:Willow"');
    await new Promise((wait) => setTimeout(wait, 400));
    for (let n = 0; n < 12; n++) expect(cardsTo(at(n), INVITATION)).toEqual([]);
  });

  it('sends the invitations on Send invitations, once each however often the preview is confirmed', async () => {
    const preview = await press(manager, VERBS.championInvitePreview, {
      initiativeId: 'care-plans',
      audience: 'unit:Willow',
    });
    const confirm = previewData(preview, 'Send invitations');
    const progress = await press(manager, VERBS.championInvite, confirm, 'preview-1');
    expect(progress).toContain('Invitation to be a change champion: Digital care plans');
    // A double tap on the same card, and the same preview confirmed from a copy after the tap was forgotten.
    expect(await press(manager, VERBS.championInvite, confirm, 'preview-1')).not.toContain(
      'Invitation to be',
    );
    expect(await press(manager, VERBS.championInvite, confirm, 'preview-1-copy')).toContain(
      'Invitation to be a change champion: Digital care plans',
    );
    for (let n = 0; n < 7; n++) await waitForCard(at(n), INVITATION);
    await new Promise((wait) => setTimeout(wait, 400));
    for (let n = 0; n < 7; n++) expect(cardsTo(at(n), INVITATION)).toHaveLength(1);
    for (let n = 7; n < 12; n++) expect(cardsTo(at(n), INVITATION)).toEqual([]);
  });

  it("passes a volunteer's yes to the manager, and counts nothing from someone it was not sent to", async () => {
    const yes = buttonData(connector, conversationIdOf(at(0)), VERBS.championVolunteer) ?? {};
    expect(await press(at(0), VERBS.championVolunteer, yes, 'invite-0')).toContain(
      'Your yes has gone to the managers of Digital care plans',
    );
    expect(await press(at(8), VERBS.championVolunteer, yes, 'forwarded')).toContain(
      'This update was not sent to you',
    );
    const offer = await waitForCard(
      manager,
      'Carer 1 would like to be a change champion for Digital care plans',
    );
    expect(offer).toContain('Works in: Willow, Days');
    expect(cardsTo(manager, 'Carer 9 would like')).toEqual([]);
    expect(await champions()).toEqual([at(7).aadObjectId, at(6).aadObjectId]);
  });

  it('adds an accepted volunteer to the champions once and tells them; a declined one is thanked', async () => {
    const accept = buttonData(connector, conversationIdOf(manager), VERBS.championAnswer) ?? {};
    expect(accept).toMatchObject({ volunteerId: at(0).aadObjectId, accept: true });
    expect(await press(manager, VERBS.championAnswer, accept, 'offer-1')).toContain(
      'Accepted: Carer 1 is now a change champion for Digital care plans',
    );
    // Pressed again from another copy: still one champion, told once.
    await press(manager, VERBS.championAnswer, accept, 'offer-1-copy');
    expect(await champions()).toEqual([at(7).aadObjectId, at(6).aadObjectId, at(0).aadObjectId]);
    await waitForCard(at(0), 'You are a change champion for Digital care plans');

    const yes = buttonData(connector, conversationIdOf(at(1)), VERBS.championVolunteer) ?? {};
    await press(at(1), VERBS.championVolunteer, yes, 'invite-1');
    await waitForCard(manager, 'Carer 2 would like');
    const decline = { initiativeId: 'care-plans', volunteerId: at(1).aadObjectId, accept: false };
    expect(await press(manager, VERBS.championAnswer, decline, 'offer-2')).toContain(
      'Declined: Carer 2 has been thanked',
    );
    await waitForCard(at(1), 'Thank you for offering to help with Digital care plans');
    await new Promise((wait) => setTimeout(wait, 400));
    expect(cardsTo(at(0), 'You are a change champion')).toHaveLength(1);
    expect(await champions()).toEqual([at(7).aadObjectId, at(6).aadObjectId, at(0).aadObjectId]);
  });
});

describe('who to ask', () => {
  it("the next stage update names the champions of each reader's own unit or shift, or all when theirs has none", async () => {
    await press(manager, VERBS.broadcastConfirm, {
      headline: 'Tablets arrive on Monday',
      message: 'Every unit gets its tablets on Monday.',
      audience: 'all',
      when: 'now',
      urgent: 'false',
      initiativeId: 'care-plans',
      stageIndex: '0',
    });
    const whoToAsk = async (n: number) =>
      /Who to ask","weight":"Bolder","wrap":true\},\{"type":"TextBlock","text":"([^"]*)"/.exec(
        await waitForCard(at(n), 'Tablets arrive on Monday'),
      )?.[1];
    expect(await whoToAsk(3)).toBe('Alex Wilber, Carer 7, Carer 1');
    expect(await whoToAsk(9)).toBe('Alex Wilber, Carer 8');
    expect(await whoToAsk(11)).toBe('Alex Wilber, Carer 8, Carer 7, Carer 1');
  });

  it("`what's changing` does the same", async () => {
    const birch = await say(at(8), "what's changing");
    expect(birch).toContain('Carer 8');
    expect(birch).not.toContain('Carer 1"');
  });
});

describe("the champions' week", () => {
  it('sends a note to a champion of a group big enough to show, and none to a champion of small groups only', async () => {
    const note = await waitForCard(at(6), 'Your week as a change champion: Digital care plans');
    expect(note).toContain('Willow (7 people)');
    expect(note).toContain('Days (7 people)');
    expect(note).not.toContain('Birch');
    const digest = await waitForCard(manager, 'Weekly digest: Digital care plans');
    expect(digest).toContain('Change champions');
    expect(digest).toMatch(/"title":"Willow","value":"1 champion: Carer 7"/);
    expect(digest).toMatch(/"title":"Nights","value":"1 champion: Carer 8"/);
    expect(digest).toMatch(/"title":"Rowan","value":"No champion: nobody here to ask/);
    await new Promise((wait) => setTimeout(wait, 600));
    expect(cardsTo(at(7), 'Your week as a change champion')).toEqual([]);
    expect(cardsTo(at(6), 'Your week as a change champion')).toHaveLength(1);
  });
});

describe('a champion who leaves', () => {
  it('is no longer named anywhere, and their group falls back to the other champions', async () => {
    // As Huddle records it when Teams says the person has left the organisation.
    const leaver = await storage.members.get(TENANT, at(7).aadObjectId);
    if (leaver === undefined) throw new Error('fixture');
    await storage.members.modify(TENANT, leaver.aadObjectId, (current) => ({
      ...(current ?? leaver),
      unreachableAt: new Date().toISOString(),
      unreachableReason: 'left',
    }));
    const birch = await say(at(8), "what's changing");
    expect(birch).not.toContain('Carer 8');
    expect(birch).toContain('Carer 1');
    const list = await say(manager, 'initiatives');
    expect(list).toContain('Carer 1');
    expect(list).not.toContain('Carer 8');
    expect(await say(manager, 'digest')).toMatch(/"title":"Birch","value":"No champion/);
    // Asking Birch again: the preview counts the two Huddle can reach and says why not the third.
    const preview = await press(manager, VERBS.championInvitePreview, {
      initiativeId: 'care-plans',
      audience: 'unit:Birch',
    });
    expect(preview).toContain('Send invitations to 2 people: Team or unit: Birch');
    expect(preview).toContain('Will reach 2; 1 cannot be reached yet');
  });
});
