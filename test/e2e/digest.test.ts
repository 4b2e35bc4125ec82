import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import type { DigestFigures } from '../../src/domain/digest/figures.js';
import type { Comment } from '../../src/domain/feedback/comment.js';
import type { Theme } from '../../src/domain/feedback/themes.js';
import type { Initiative } from '../../src/domain/initiatives/initiative.js';
import { isoWeek } from '../../src/domain/shared/isoWeek.js';
import { localDayAndTime } from '../../src/domain/shared/timeZone.js';
import { createLogger } from '../../src/logger.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import {
  BOT,
  channelMessage,
  fileConsentAnswer,
  message,
  type person,
  TENANT,
} from '../support/activities.js';
import { actionIn, type Chat, chat, choiceLists } from '../support/chat.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { localBox } from '../support/sealing.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';

/**
 * The weekly digest through the real server: sent by itself to managers, leaders and a channel, each
 * seeing what their role allows, and asked for with `digest`.
 */
const DAY = 86_400_000;
const now = Date.now();
const prefix = uniquePrefix();
const TEAM = '19:oakview-team@thread.tacv2';

let connector: RecordingConnector;
let bot: TestHuddle;
let storage: Storage;
let say: Chat['say'];
let press: Chat['press'];
let manager: ReturnType<typeof person>;
let leader: ReturnType<typeof person>;
let carer: ReturnType<typeof person>;

const initiative: Initiative = {
  tenantId: TENANT,
  id: 'care-plans',
  title: 'Digital care plans',
  why: 'Paper plans go missing',
  vision: 'Every plan on the tablet',
  objectives: [
    {
      text: 'Every care plan digital by March',
      kpi: {
        name: 'Plans digitised',
        unit: '%',
        baseline: 0,
        target: 100,
        due: '2027-03-31',
        readings: [{ value: 40, on: new Date(now - 3 * DAY).toISOString().slice(0, 10), by: 'x' }],
      },
    },
  ],
  model: 'lewin',
  stages: [
    { key: 'unfreeze', title: 'Getting ready', explanation: '', focus: ['awareness'] },
    { key: 'change', title: 'Going digital', explanation: '', focus: ['knowledge'] },
    { key: 'refreeze', title: 'Making it stick', explanation: '', focus: ['reinforcement'] },
  ],
  currentStage: 1,
  stageStartedAt: new Date(now - 9 * DAY - 3_600_000).toISOString(),
  audience: { kind: 'all' },
  owners: [],
  champions: [],
  createdAt: new Date(now - 60 * DAY).toISOString(),
  updatedAt: new Date(now - 60 * DAY).toISOString(),
};

const said = (n: number, theme: Theme, text: string): Comment => {
  const day = new Date(now - (n % 3) * DAY);
  return {
    tenantId: TENANT,
    id: `digest-comment-${n}`,
    source: 'feedback',
    initiativeId: initiative.id,
    text,
    anonymous: true,
    groups: { shiftPattern: n % 2 === 0 ? 'Nights' : 'Days' },
    week: isoWeek(day),
    day: day.toISOString().slice(0, 10),
    tags: [theme],
  };
};

beforeAll(async () => {
  connector = await startRecordingConnector([], { tenantRate: 50 });
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    prefix,
    createLogger('silent'),
    localBox(),
  );
  const people = await seedStaff(storage, connector.serviceUrl, 12, {
    first: 8000,
    groups: (n) => ({ shiftPattern: n % 2 === 0 ? 'Nights' : 'Days' }),
  });
  [manager, leader, carer] = people as [typeof manager, typeof leader, typeof carer];
  await storage.initiatives.put(initiative);
  for (let n = 0; n < 8; n++) {
    await storage.comments.add(
      said(n, 'training_gap', `Nobody has shown nights how to use the tablets (${n}).`),
    );
  }
  for (let n = 8; n < 11; n++) {
    await storage.comments.add(
      said(n, 'workload_time', `No time to type plans between calls, ring Carer 3 on 07700 900123.`),
    );
  }
  await storage.comments.add({
    ...said(11, 'resident_safety', 'Someone on Willow is being shouted at'),
    escalationId: 'e1',
  });
  const lastWeek: DigestFigures = {
    week: isoWeek(new Date(now - 7 * DAY)),
    stage: { index: 1, count: 3, title: 'Going digital' },
    kpis: [],
    engagement: { updatesSent: 1, reached: 12, acknowledgementRate: 80, concerns: 3 },
    themes: {
      total: 10,
      top: [{ theme: 'training_gap', count: 5 }],
      sources: { writer: 10, manager: 0, classifier: 0 },
    },
    resistance: [],
    safeguarding: { raised: 0, acknowledgedInTime: 0, waiting: 0 },
  };
  await storage.digestSnapshots.put(TENANT, {
    initiative: { id: initiative.id, title: initiative.title },
    period: { from: new Date(now - 14 * DAY).toISOString(), to: new Date(now - 7 * DAY).toISOString() },
    figures: lastWeek,
    quotes: [],
    nextSteps: [],
  });
  // Today at midnight in the service's zone, so the digest is due as soon as Huddle starts, whatever the day.
  const weekday =
    new Date(`${localDayAndTime(new Date(now), 'Europe/London').day}T12:00:00Z`).getUTCDay() || 7;
  await storage.digestSettings.setSchedule(TENANT, { weekday, time: '00:00' });
  await storage.digestSettings.addChannel({
    tenantId: TENANT,
    conversationId: TEAM,
    // As TurnContext.getConversationReference gives it for `digest here` typed in the channel.
    conversation: {
      activityId: 'act-digest-here',
      user: { id: manager.id, name: manager.name, aadObjectId: manager.aadObjectId },
      bot: BOT,
      conversation: { id: TEAM, conversationType: 'channel', tenantId: TENANT },
      channelId: 'msteams',
      locale: 'en-GB',
      serviceUrl: connector.serviceUrl,
    },
    addedBy: 'someone',
    addedAt: new Date(now).toISOString(),
  });
  bot = await startTestHuddle({
    HUDDLE_TABLE_PREFIX: prefix,
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_LEADERS: leader.aadObjectId,
    HUDDLE_SCHEDULER_TICK_MS: '200',
  });
  ({ say, press } = chat(bot, connector));
});

afterAll(async () => {
  await bot?.stop();
  await storage?.close();
  await connector?.close();
});

const cardsTo = (conversationId: string) =>
  connector.calls
    .filter((call) => call.conversationId === conversationId && call.method === 'POST' && call.status < 300)
    .map((call) => JSON.stringify(call.body));

const waitFor = async (conversationId: string, text: string) => {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = cardsTo(conversationId).find((card) => card.includes(text));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no card with "${text}" to ${conversationId}`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
};

describe('the weekly digest, sent by itself', () => {
  it("gives the manager the change's week: stage, KPI, what staff say with quotes scrubbed, next steps", async () => {
    const card = await waitFor(conversationIdOf(manager), 'Weekly digest: Digital care plans');
    expect(card).toContain('2 of 3: Going digital');
    expect(card).toContain('Days in this stage');
    expect(card).toContain('latest 40%');
    // 11 comments (the one passed to safeguarding is left out), 8 about training: up 3 on last week's 5.
    expect(card).toContain('11 comments. Themes chosen by staff: 11');
    expect(card).toContain('training: 8 (+3 on last week)');
    expect(card).toContain('Nobody has shown nights how to use the tablets');
    expect(card).toContain('ring [name] on [phone]');
    expect(card).not.toContain('shouted');
    expect(card).not.toContain('Safeguarding');
    expect(card).toContain('Run champion-led drop-ins on each shift');
    expect(card).toContain('Chart.HorizontalBar');
    // Beside the themes, an action can start from one; the change's evidence pack is a press away.
    expect(actionIn(JSON.parse(card), VERBS.actionFromTheme)).toEqual({ initiativeId: initiative.id });
    expect(choiceLists(card).theme).toEqual(['training_gap', 'workload_time']);
    expect(actionIn(JSON.parse(card), VERBS.evidenceExport)).toEqual({
      initiativeId: initiative.id,
      from: 'digest',
    });
    // Teams refuses cards over 28 KB.
    expect(Buffer.byteLength(card)).toBeLessThan(28 * 1024);
  });

  it('gives each leader one overview with a way into each change, and the safeguarding counts inside', async () => {
    const card = await waitFor(conversationIdOf(leader), 'Weekly digest: every change');
    expect(card).toContain('Digital care plans');
    expect(card).toContain(VERBS.digestOpen);
    const full = await press(leader, VERBS.digestOpen, { initiativeId: initiative.id });
    expect(full).toContain('Weekly digest: Digital care plans');
    expect(full).toContain('Disclosures raised');
    expect(full).not.toContain('Someone on Willow');
    // A leader reads the digest; recording actions and taking evidence away is for the managers who run it.
    expect(full).not.toContain('Record an action');
    expect(full).not.toContain(VERBS.actionFromTheme);
    expect(full).not.toContain(VERBS.evidenceExport);
  });

  it('posts the figures in the channel that asked, never what anyone wrote', async () => {
    const card = await waitFor(TEAM, 'Weekly digest: Digital care plans');
    expect(card).toContain('training: 8');
    expect(card).not.toContain('tablets (');
    expect(card).not.toContain('Record a value');
    expect(card).not.toContain('Record an action');
    expect(card).not.toContain(VERBS.evidenceExport);
    expect(card).not.toContain('Disclosures raised');
  });

  it('goes to nobody else, and once', async () => {
    expect(cardsTo(conversationIdOf(carer)).filter((card) => card.includes('Weekly digest'))).toEqual([]);
    await new Promise((wait) => setTimeout(wait, 1_000));
    expect(cardsTo(conversationIdOf(manager)).filter((card) => card.includes('Weekly digest'))).toHaveLength(
      1,
    );
  });
});

describe('digest on demand', () => {
  it('answers a manager at once with the last seven days', async () => {
    const card = await say(manager, 'digest');
    expect(card).toContain('Weekly digest: Digital care plans');
    expect(card).toContain('training: 8');
    expect(card).toContain('Record a value');
  });

  it('is refused to staff plainly', async () => {
    expect(await say(carer, 'digest')).toContain('only someone with the Manager or Leader role can do that');
  });

  it('finds a change by name, and says which there are when the name matches none', async () => {
    expect(await say(manager, 'digest care plans')).toContain('Weekly digest: Digital care plans');
    expect(await say(manager, 'digest medicines')).toContain(
      'Type digest followed by one of: Digital care plans',
    );
  });

  it('records a KPI value from the card, and refuses one that is not a number or dated ahead', async () => {
    const today = localDayAndTime(new Date(), 'Europe/London').day;
    const bad = await press(manager, VERBS.digestRecord, {
      initiativeId: initiative.id,
      objective: '0',
      value: 'lots',
      on: today,
    });
    expect(bad).toContain('Not saved: the value must be a number.');
    const ahead = await press(manager, VERBS.digestRecord, {
      initiativeId: initiative.id,
      objective: '0',
      value: '55',
      on: '2999-01-01',
    });
    expect(ahead).toContain('Not saved: the date cannot be in the future.');
    expect((await storage.initiatives.get(TENANT, initiative.id))?.objectives[0]?.kpi.readings).toHaveLength(
      1,
    );
    const saved = await press(manager, VERBS.digestRecord, {
      initiativeId: initiative.id,
      objective: '0',
      value: '55',
      on: today,
    });
    expect(saved).toContain(`Saved: Plans digitised 55% on ${today}.`);
    expect(saved).toContain('latest 55%');
    expect(
      await press(leader, VERBS.digestRecord, {
        initiativeId: initiative.id,
        objective: '0',
        value: '60',
        on: today,
      }),
    ).toContain('only someone with the Manager role');
  });
});

describe('acting from the digest', () => {
  const inAWeek = () => localDayAndTime(new Date(Date.now() + 7 * DAY), 'Europe/London').day;

  it("records an action from a theme: the theme is named, the change chosen, the words the manager's own", async () => {
    const opened = await press(manager, VERBS.actionFromTheme, {
      initiativeId: initiative.id,
      theme: 'workload_time',
    });
    expect(opened).toContain('From the theme \\"time and workload\\"');
    expect(opened).toContain(
      `"id":"initiativeId","label":"Which change it belongs to","style":"compact","value":"${initiative.id}"`,
    );
    // A theme carries no words: no comment is on the form, and "what we heard" waits for the manager's.
    expect(opened).not.toContain('07700');
    expect(opened).toMatch(/"id":"heard"[^}]*"value":""/);
    const save = actionIn(JSON.parse(opened), VERBS.actionCreate);
    expect(save).toMatchObject({ fromTheme: 'workload_time', fromCommentId: '' });

    const refused = await press(manager, VERBS.actionCreate, {
      ...save,
      heard: '',
      willDo: 'Ten protected minutes to type plans after each round',
      owner: manager.aadObjectId,
      due: inAWeek(),
      initiativeId: initiative.id,
      audience: 'all',
    });
    expect(refused).toContain('Say what you heard.');
    // Shown again with the problem, it still answers the theme.
    expect(refused).toContain('From the theme \\"time and workload\\"');
    expect(await storage.actions.list(TENANT)).toEqual([]);
    const saved = await press(manager, VERBS.actionCreate, {
      ...save,
      heard: 'There is no time between calls to type up plans',
      willDo: 'Ten protected minutes to type plans after each round',
      owner: manager.aadObjectId,
      due: inAWeek(),
      initiativeId: initiative.id,
      audience: 'all',
    });
    expect(saved).toContain('Saved. Publish it when you are ready');
    expect(saved).toMatch(/"title":"Answers the theme","value":"time and workload"/);
    const [action] = await storage.actions.list(TENANT);
    expect(action).toMatchObject({ fromTheme: 'workload_time', initiativeId: initiative.id, status: 'open' });
    expect(action?.fromComment).toBeUndefined();
  });

  it('refuses a theme Huddle does not know, and leaders and staff, with nothing stored', async () => {
    const bogus = await press(manager, VERBS.actionFromTheme, {
      initiativeId: initiative.id,
      theme: 'gossip',
    });
    expect(bogus).toContain('This card is out of date.');
    for (const who of [leader, carer])
      expect(
        await press(who, VERBS.actionFromTheme, { initiativeId: initiative.id, theme: 'training_gap' }),
      ).toContain('only someone with the Manager role');
    expect(await storage.actions.list(TENANT)).toHaveLength(1);
  });

  it('offers the evidence pack from the digest, which stays, and saves it once the manager allows it', async () => {
    const before = connector.sent().length;
    const kept = await press(manager, VERBS.evidenceExport, { initiativeId: initiative.id, from: 'digest' });
    expect(kept).toContain('Weekly digest: Digital care plans');
    expect(kept).toContain('Record an action');
    const [offer] = (await connector.waitForSent(before + 1)).slice(before);
    const context = { file: 'evidence', initiativeId: initiative.id };
    expect((offer?.attachments as { name: string; content: unknown }[] | undefined)?.[0]).toMatchObject({
      name: `evidence-${initiative.id}.docx`,
      content: { acceptContext: context },
    });
    const answered = await bot.post(
      fileConsentAnswer(
        manager,
        { serviceUrl: connector.serviceUrl },
        {
          action: 'accept',
          context,
          consentId: 'consent-digest',
          uploadUrl: connector.uploadUrl('pack.docx'),
        },
      ),
    );
    expect(answered.status).toBe(200);
    expect(connector.uploads.map((upload) => upload.name)).toEqual(['pack.docx']);
    expect(connector.uploads[0]?.bytes.byteLength).toBeGreaterThan(1_000);
  });
});

describe("the digest's day and time", () => {
  it('are in settings for managers, checked, and kept for the service', async () => {
    const cards = await say(manager, 'settings', 2);
    expect(cards).toContain('Your quiet hours');
    expect(cards).toContain('When the weekly digest goes out');
    expect(await say(carer, 'settings')).not.toContain('When the weekly digest goes out');
    const bad = await press(manager, VERBS.digestSchedule, { weekday: '9', time: '08:00' });
    expect(bad).toContain('Choose a day and a time like 08:00.');
    const saved = await press(manager, VERBS.digestSchedule, { weekday: '3', time: '07:30:00' });
    expect(saved).toContain('The digest goes out every Wednesday at 07:30.');
    expect(await storage.digestSettings.schedule(TENANT)).toEqual({ weekday: 3, time: '07:30' });
  });
});

describe('digest here and digest off', () => {
  const inChannel = (who: typeof manager, text: string) =>
    bot.post(
      channelMessage(who, text, { serviceUrl: connector.serviceUrl, teamId: '19:second-team@thread.tacv2' }),
    );

  it('add and remove a team channel, for managers and leaders only', async () => {
    const before = connector.sent().length;
    await inChannel(carer, 'digest here');
    await inChannel(manager, 'digest here');
    const replies = JSON.stringify((await connector.waitForSent(before + 2)).slice(before));
    expect(replies).toContain('only someone with the Manager or Leader role');
    expect(replies).toContain('This channel will get the weekly digest');
    expect(
      (await storage.digestSettings.channels(TENANT)).map((channel) => channel.conversationId),
    ).toContain('19:second-team@thread.tacv2;messageid=1');
    const after = connector.sent().length;
    await inChannel(manager, 'digest off');
    expect(JSON.stringify((await connector.waitForSent(after + 1)).slice(after))).toContain(
      'will no longer get the weekly digest',
    );
  });

  it("is refused in a group chat: its members are not one of the service's teams", async () => {
    const before = connector.sent().length;
    const inGroup = message(manager, 'digest here', { serviceUrl: connector.serviceUrl });
    await bot.post({
      ...inGroup,
      conversation: { id: '19:group-chat@thread.v2', conversationType: 'groupChat', tenantId: TENANT },
    });
    expect(JSON.stringify((await connector.waitForSent(before + 1)).slice(before))).toContain(
      'Type digest here in a team channel',
    );
    expect((await storage.digestSettings.channels(TENANT)).map((one) => one.conversationId)).not.toContain(
      '19:group-chat@thread.v2',
    );
  });

  it('is refused in a personal chat', async () => {
    const before = connector.sent().length;
    await bot.post(message(manager, 'digest here', { serviceUrl: connector.serviceUrl }));
    expect(JSON.stringify((await connector.waitForSent(before + 1)).slice(before))).toContain(
      'Type digest here in a team channel',
    );
  });
});

describe("a small pulse round's open answers", () => {
  const today = new Date(now);
  const week = isoWeek(today);
  const day = today.toISOString().slice(0, 10);
  const pulseId = 'digest-pulse';
  const answered = (n: number) =>
    storage.answers.put({
      tenantId: TENANT,
      pulseId,
      round: 1,
      initiativeId: initiative.id,
      respondent: `digest-respondent-${n}`,
      values: { worry: `answer ${n}` },
      groups: {},
      week,
      day,
    });

  it('are neither quoted nor counted until the round has 5 answers, as in comments; then they are', async () => {
    for (let n = 0; n < 3; n++) {
      await answered(n);
      await storage.comments.add({
        ...said(20 + n, 'communication', `Nobody said the rota moves to the tablets in May (${n}).`),
        id: `digest-pulse-answer-${n}`,
        source: 'pulse',
        pulseId,
        round: 1,
        week,
        day,
      });
    }
    // Three of a round of three answers would be a top theme, and one of them quoted, were they read.
    const waiting = await say(manager, 'digest');
    expect(waiting).toContain('11 comments.');
    expect(waiting).not.toContain('rota moves to the tablets');
    expect(waiting).not.toContain('not knowing what is happening');

    for (let n = 3; n < 5; n++) await answered(n);
    const shown = await say(manager, 'digest');
    expect(shown).toContain('14 comments.');
    expect(shown).toContain('not knowing what is happening: 3');
    expect(shown).toContain('Nobody said the rota moves to the tablets in May');
  });
});
