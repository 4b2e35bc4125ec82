import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import type { Initiative } from '../../src/domain/initiatives/initiative.js';
import { localDayAndTime } from '../../src/domain/shared/timeZone.js';
import { feedbackForm, person, personalInstall, TENANT } from '../support/activities.js';
import { actionsIn, type Chat, chat, choiceLists } from '../support/chat.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

/** "You said, we did": a manager records what was heard and what will be done, and tells staff, once. */
const manager = person(2, 'Alex Wilber');
let connector: RecordingConnector;
let bot: TestHuddle;
let say: Chat['say'];
let press: Chat['press'];
let staff: ReturnType<typeof person>[];

const inAWeek = () => localDayAndTime(new Date(Date.now() + 7 * 86_400_000), 'Europe/London').day;

const initiative: Initiative = {
  tenantId: TENANT,
  id: 'care-plans',
  title: 'Digital care plans',
  why: 'why',
  vision: 'vision',
  objectives: [],
  model: 'lewin',
  stages: [{ key: 'change', title: 'Going digital', explanation: '', focus: ['knowledge'] }],
  currentStage: 0,
  audience: { kind: 'all' },
  owners: [manager.aadObjectId],
  champions: [],
  createdAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
  updatedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
};

const form = (extra: Record<string, string> = {}) => ({
  fromCommentId: '',
  fromInitiativeId: '',
  fromWeek: '',
  heard: 'Nights have had no time to learn the tablets',
  willDo: 'Champion-led drop-ins at 22:00 on every night shift for two weeks',
  owner: manager.aadObjectId,
  due: inAWeek(),
  initiativeId: initiative.id,
  audience: 'all',
  ...extra,
});

beforeAll(async () => {
  connector = await startRecordingConnector([], { tenantRate: 50 });
  bot = await startTestHuddle({ HUDDLE_MANAGERS: manager.aadObjectId, HUDDLE_SCHEDULER_TICK_MS: '200' });
  ({ say, press } = chat(bot, connector));
  await bot.post(personalInstall(manager, { serviceUrl: connector.serviceUrl }));
  staff = await seedStaff(bot.huddle.storage, connector.serviceUrl, 12, { first: 4100 });
  await bot.huddle.storage.initiatives.put(initiative);
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

const stored = () => bot.huddle.storage.actions.list(TENANT);
const loopCardsTo = (conversationId: string) =>
  connector.calls.filter(
    (call) =>
      call.conversationId === conversationId &&
      call.method === 'POST' &&
      call.status < 300 &&
      JSON.stringify(call.body).includes('You said, we did'),
  );

describe('You said, we did', () => {
  it('records an action from a checked form, refusing what is missing or past with the words kept', async () => {
    const opened = await say(manager, 'new action');
    expect(opened).toContain('You said, we did: record an action');
    const refused = await press(
      manager,
      VERBS.actionCreate,
      form({ willDo: ' ', due: '2020-01-01' }),
      'form-1',
    );
    expect(refused).toContain('Say what you will do.');
    expect(refused).toContain('That date has passed: choose today or later.');
    expect(refused).toContain('Nights have had no time to learn the tablets');
    // Shown again with a problem, every choice list is built as on first show.
    expect(choiceLists(opened).initiativeId).toContain('care-plans');
    expect(choiceLists(refused)).toEqual(choiceLists(opened));
    expect(await stored()).toEqual([]);
    const saved = await press(manager, VERBS.actionCreate, form(), 'form-1');
    expect(saved).toContain('Saved. Publish it when you are ready');
    expect(saved).toContain('We will: Champion-led drop-ins');
    expect((await stored()).map((action) => action.status)).toEqual(['open']);
  });

  it('is for managers and leaders: staff are refused plainly, naming both', async () => {
    expect(await say(staff[0] as (typeof staff)[number], 'actions')).toContain(
      'only someone with the Manager or Leader role',
    );
  });

  it('publishes to its audience through the outbox, once each however often Publish is pressed', async () => {
    const [action] = await stored();
    const progress = await press(manager, VERBS.actionPublish, { actionId: action?.id ?? '' }, 'list-1');
    expect(progress).toContain('You said, we did');
    await until(
      async () => staff.map((who) => loopCardsTo(conversationIdOf(who)).length),
      (counts) => counts.every((count) => count === 1),
    );
    const card = JSON.stringify(loopCardsTo(conversationIdOf(staff[0] as (typeof staff)[number]))[0]?.body);
    expect(card).toContain('You said: Nights have had no time to learn the tablets');
    expect(card).toContain('We will: Champion-led drop-ins');
    expect(card).toContain('"title":"Thanks"');
    expect(card).toContain("This doesn't fix it");
    // Pressed again from another copy of the list: refused, nothing sent again.
    expect(await press(manager, VERBS.actionPublish, { actionId: action?.id ?? '' }, 'list-2')).toContain(
      'That has been published already.',
    );
    await new Promise((wait) => setTimeout(wait, 600));
    for (const who of staff) expect(loopCardsTo(conversationIdOf(who))).toHaveLength(1);
    expect((await stored())[0]?.published).toEqual(['willDo']);
  });

  it('moves on to done (dropping needs a reason), publishes that it was done, and the digest counts it', async () => {
    const [action] = await stored();
    const id = action?.id ?? '';
    expect(
      await press(manager, VERBS.actionStatus, { actionId: id, to: 'dropped', reason: ' ' }, 'list-3'),
    ).toContain('Say why it is dropped.');
    const done = await press(manager, VERBS.actionStatus, { actionId: id, to: 'done' }, 'list-3');
    expect(done).toContain('Done');
    expect(done).toContain('Publish that it is done');
    await press(manager, VERBS.actionPublish, { actionId: id }, 'list-4');
    await until(
      async () => loopCardsTo(conversationIdOf(staff[1] as (typeof staff)[number])).length,
      (count) => count === 2,
    );
    expect(
      JSON.stringify(loopCardsTo(conversationIdOf(staff[1] as (typeof staff)[number]))[1]?.body),
    ).toContain('We did: Champion-led drop-ins');
    const digest = await say(manager, 'digest');
    expect(digest).toMatch(/"title":"Done this week","value":"1"/);
    expect(digest).toMatch(/"title":"Closed as done","value":"100%"/);
  });

  it('starts from a comment in comments, and on publishing tells its writer through the reply handle, unnamed', async () => {
    const writer = staff[5] as (typeof staff)[number];
    const words = 'Handover takes twice as long since the tablets came in.';
    expect(await press(writer, VERBS.feedbackSubmit, feedbackForm(words))).toContain('passed on anonymously');
    const comment = (await bot.huddle.storage.comments.recent(TENANT, '2000-01-01')).find(
      (one) => one.text === words,
    );
    const ref = {
      commentId: comment?.id ?? '',
      initiativeId: comment?.initiativeId ?? '',
      week: comment?.week ?? '',
    };
    expect(await say(manager, 'comments')).toContain('Record an action');

    // The form takes the list's place; Back brings the list again, with nothing saved.
    const opened = await press(manager, VERBS.actionFromComment, ref, 'comments-1');
    const [back] = actionsIn(JSON.parse(opened), VERBS.commentsOlder);
    expect(back?.title).toBe('Back to comments');
    // Not held up by the form's required fields, which it does not send.
    expect(opened).toMatch(/"title":"Back to comments"[^}]*"associatedInputs":"none"/);
    const actionsBefore = (await stored()).length;
    const listAgain = await press(manager, VERBS.commentsOlder, back?.data, 'comments-1');
    expect(listAgain).toContain(words);
    expect(listAgain).toContain('Record an action');
    expect((await stored()).length).toBe(actionsBefore);
    expect(actionsIn(JSON.parse(await say(manager, 'new action')), VERBS.commentsOlder)).toEqual([]);

    const started = await press(manager, VERBS.actionFromComment, ref, 'comments-1');
    expect(started).toContain('never as it was written');
    // The manager's own words; the comment's place travels on the form, not its text.
    expect(started).not.toContain(words);
    const from = { fromCommentId: ref.commentId, fromInitiativeId: ref.initiativeId, fromWeek: ref.week };
    const saved = await press(
      manager,
      VERBS.actionCreate,
      form({
        heard: 'Handovers run long with the tablets',
        willDo: 'A shorter handover screen by Friday',
        ...from,
      }),
      'form-2',
    );
    expect(saved).toContain('Saved.');
    const action = (await stored()).find((one) => one.willDo === 'A shorter handover screen by Friday');
    expect(action?.fromComment?.id).toBe(ref.commentId);

    await press(manager, VERBS.actionPublish, { actionId: action?.id ?? '' }, 'list-5');
    const told = await until(
      async () =>
        connector.calls
          .filter((call) => call.conversationId === conversationIdOf(writer) && call.status < 300)
          .map((call) => JSON.stringify(call.body)),
      (cards) => cards.some((card) => card.includes('your comment led to an action')),
    );
    expect(told.find((card) => card.includes('your comment led to an action'))).toContain(
      'A shorter handover screen by Friday',
    );
  });
});
