import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import {
  channelAction,
  type Person,
  person,
  personalInstall,
  TENANT,
  teamInstall,
} from '../support/activities.js';
import { actionsIn, type Chat, chat } from '../support/chat.js';
import { initiativeFixture } from '../support/initiatives.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

const manager = person(3, 'Megan Bowen');
const team = { teamId: '19:nights@thread.tacv2', teamName: 'Night staff' };
const prefix = uniquePrefix();
const alreadyInTeam = [person(5300, 'Grace Okafor'), person(5301, 'Tomasz Nowak')];

let connector: RecordingConnector;
let bot: TestHuddle;
let press: Chat['press'];
let say: Chat['say'];
let willowInChat: Person[];
let willowInTeamOnly: Person[];
let rowan: Person;
let pulseId: string;

// The readiness questions ask about "this change", so the pulse is about one.
const handovers = initiativeFixture({ title: 'Night handovers' });
const closeDate = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
const settings = {
  title: 'How are the night handovers going?',
  initiativeId: handovers.id,
  template: 'readiness',
  audience: 'unit:Willow',
  opens: 'now',
  closeDate,
  closeTime: '12:00',
  cadence: 'once',
  anonymity: 'anonymous',
  where: team.teamId,
};

async function answerRows(): Promise<Record<string, unknown>[]> {
  const table = TableClient.fromConnectionString(inject('storageConnectionString'), `${prefix}Answers`, {
    allowInsecureConnection: true,
  });
  const rows: Record<string, unknown>[] = [];
  for await (const row of table.listEntities()) rows.push(row);
  return rows;
}

/** Presses a button on the channel post as `who`; returns the card Teams would show them alone. */
async function inChannel(who: Person, verb: string, data: Record<string, unknown>, trigger?: 'automatic') {
  const response = await bot.post(
    channelAction(who, verb, { serviceUrl: connector.serviceUrl, ...team }, data, trigger),
  );
  expect(response.status).toBe(200);
  return JSON.stringify((response.body as { value: unknown }).value);
}

const channelPosts = () =>
  connector.sent().filter((activity) => JSON.stringify(activity).includes(`"id":"${team.teamId}"`));

/** What a reader's own pulse card says about itself (pulse, round, token, groups, zone), from its buttons. */
function refIn(card: string): Record<string, string> {
  const {
    pulseId = '',
    round = '',
    token = '',
    groups = '',
    zone = '',
  } = actionsIn(JSON.parse(card), VERBS.pulseStep)[0]?.data ?? {};
  return { pulseId, round, token, groups, zone };
}

beforeAll(async () => {
  // The team as Teams lists it when Huddle is added: the manager and two people Huddle has never seen.
  const roster = [manager, ...alreadyInTeam].map((who) => ({
    ...who,
    userPrincipalName: `${who.aadObjectId}@oakview.example`,
  }));
  connector = await startRecordingConnector(roster, { tenantRate: 50 });
  bot = await startTestHuddle({
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_SCHEDULER_TICK_MS: '200',
    HUDDLE_TABLE_PREFIX: prefix,
    HUDDLE_QUIET_HOURS: '00:00-00:00',
  });
  await bot.huddle.storage.initiatives.put(handovers);
  ({ press, say } = chat(bot, connector));
  const where = { serviceUrl: connector.serviceUrl };
  await bot.post(personalInstall(manager, where));
  await bot.post(teamInstall(manager, { ...where, ...team }));
  // The scheduler reads the team's roster after the install's turn.
  await until(
    () => bot.huddle.storage.members.get(TENANT, alreadyInTeam[1]?.aadObjectId ?? ''),
    (member) => member !== undefined,
  );
  const willow = () => ({ unit: 'Willow' });
  willowInChat = await seedStaff(bot.huddle.storage, where.serviceUrl, 2, { first: 5000, groups: willow });
  willowInTeamOnly = await seedStaff(bot.huddle.storage, where.serviceUrl, 2, {
    first: 5100,
    groups: willow,
    personalChat: false,
  });
  [rowan] = (await seedStaff(bot.huddle.storage, where.serviceUrl, 1, {
    first: 5200,
    groups: () => ({ unit: 'Rowan' }),
  })) as [Person];
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

describe('a pulse posted in a team channel', () => {
  it("the manager chooses the team's channel, and the pulse counts everyone it asks, with a chat or not", async () => {
    expect(await say(manager, 'pulse')).toContain("Posted in the Night staff team's channel");
    // Asking everyone in the channel includes the people already in the team, read from its roster on install.
    const everyone = await press(manager, VERBS.pulseItems, { ...settings, audience: 'all' });
    expect(everyone).toMatch(/"title":"People","value":"8"/);
    const grace = await bot.huddle.storage.members.get(TENANT, alreadyInTeam[0]?.aadObjectId ?? '');
    expect(grace).toMatchObject({
      name: 'Grace Okafor',
      teamsUserId: alreadyInTeam[0]?.id,
      personalInstalled: false,
    });

    const items = await press(manager, VERBS.pulseItems, settings);
    expect(items).toMatch(/"title":"People","value":"4"/);
    expect(items).toContain("Posted in the Night staff team's channel");
    const scheduled = await press(manager, VERBS.pulseConfirm, {
      ...settings,
      itemIds: 'aware-why,open-easier',
    });
    expect(scheduled).toContain("Posted in the Night staff team's channel");
    const [pulse] = await bot.huddle.storage.pulses.list(TENANT);
    expect(pulse?.channel).toEqual({ conversationId: team.teamId, name: 'Night staff' });
    pulseId = pulse?.id ?? '';
  });

  it("is posted once in the channel, turning into each Willow member's own card, and sent to nobody's chat", async () => {
    const [post, ...more] = await until(
      async () => channelPosts(),
      (posts) => posts.length > 0,
      10_000,
    );
    expect(more).toEqual([]);
    const attachments = (post?.attachments ?? []) as {
      content: { refresh: { action: { verb: string }; userIds: string[] } };
    }[];
    const card = attachments[0]?.content;
    expect(card?.refresh.action.verb).toBe(VERBS.pulseView);
    expect([...(card?.refresh.userIds ?? [])].sort()).toEqual(
      [...willowInChat, ...willowInTeamOnly].map((who) => who.id).sort(),
    );
    const shown = JSON.stringify(card);
    expect(shown).toContain('Only you see your questions and your answers here');
    // The same post for everyone: no questions, no token, nobody's answers.
    expect(shown).not.toContain(VERBS.pulseSubmit);
    expect(shown).not.toContain('token');
    for (const who of [...willowInChat, rowan]) {
      const toThem = connector
        .sent()
        .filter((activity) => JSON.stringify(activity).includes(conversationIdOf(who)));
      expect(toThem).toEqual([]);
    }
  });

  it('someone Huddle knows only from the team answers there, and sees their own answers when they look again', async () => {
    const [carer] = willowInTeamOnly as [Person];
    const questions = await inChannel(carer, VERBS.pulseView, { pulseId, round: '1' }, 'automatic');
    expect(questions).toContain('I understand why we are making this change.');
    const ref = refIn(questions);
    expect(ref.token).toBeTruthy();

    const thanks = await inChannel(carer, VERBS.pulseSubmit, {
      ...ref,
      'q_aware-why': '4',
      'q_open-easier': 'A quieter place to do the handover.',
    });
    expect(thanks).toContain('Thanks, your answers are saved.');

    const again = await inChannel(carer, VERBS.pulseView, { pulseId, round: '1' }, 'automatic');
    expect(again).toContain('Agree');
    expect(again).toContain('A quieter place to do the handover.');
    expect(again).toContain('Change my answers');
    expect(again).not.toContain(VERBS.pulseSubmit);

    // Someone else in Willow still gets the questions, not the first person's answers.
    const other = await inChannel(willowInChat[0] as Person, VERBS.pulseView, { pulseId, round: '1' });
    expect(other).toContain(VERBS.pulseStep);
    expect(other).not.toContain('A quieter place');

    const rows = await answerRows();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(carer.aadObjectId);
    expect(JSON.stringify(rows)).not.toContain(carer.id);
  });

  it('staff outside the audience, and people Huddle has never seen, are told it is not for them; a borrowed card stores nothing', async () => {
    expect(await inChannel(rowan, VERBS.pulseView, { pulseId, round: '1' }, 'automatic')).toContain(
      'is for other staff, so there is nothing for you to answer here',
    );
    const stranger = person(9_999, 'Visiting Agency Nurse');
    expect(await inChannel(stranger, VERBS.pulseView, { pulseId, round: '1' })).toContain(
      'is for other staff',
    );

    const willowCard = await inChannel(willowInChat[1] as Person, VERBS.pulseView, { pulseId, round: '1' });
    const borrowed = refIn(willowCard);
    expect(await inChannel(rowan, VERBS.pulseSubmit, { ...borrowed, 'q_aware-why': '1' })).toContain(
      'This pulse card was sent to someone else',
    );
    expect(await inChannel(rowan, VERBS.pulseView, { pulseId: 'no-such-pulse', round: '1' })).toContain(
      'That pulse no longer exists.',
    );
    expect(await answerRows()).toHaveLength(1);
  });

  it('once the pulse is stopped, the channel post says it has closed', async () => {
    expect(await press(manager, VERBS.pulseStop, { pulseId })).toContain('Stopped.');
    // Rounds are read through a one-second cache, so the stop shows within a second.
    const closed = await until(
      () => inChannel(willowInChat[0] as Person, VERBS.pulseView, { pulseId, round: '1' }),
      (card) => card.includes('This pulse closed on'),
      5_000,
    );
    expect(closed).not.toContain(VERBS.pulseSubmit);
  });
});
