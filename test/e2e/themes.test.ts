import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { feedbackForm, person, personalInstall, TENANT } from '../support/activities.js';
import { type Chat, chat } from '../support/chat.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { seedStaff } from '../support/staff.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';

/** What comments are about: the writer's own tags first, a manager's correction next, Huddle's reading last. */
const manager = person(2, 'Alex Wilber');
const writer = person(6000, 'Carer 1');
const leader = person(6001, 'Carer 2');

let connector: RecordingConnector;
let bot: TestHuddle;
let press: Chat['press'];
let say: Chat['say'];

beforeAll(async () => {
  connector = await startRecordingConnector([], { tenantRate: 50 });
  bot = await startTestHuddle({
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_LEADERS: leader.aadObjectId,
    HUDDLE_SCHEDULER_TICK_MS: '60000',
  });
  ({ press, say } = chat(bot, connector));
  await bot.post(personalInstall(manager, { serviceUrl: connector.serviceUrl }));
  await seedStaff(bot.huddle.storage, connector.serviceUrl, 2, { first: 6000 });
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

const stored = async (text: string) =>
  (await bot.huddle.storage.comments.recent(TENANT, '2000-01-01')).find((comment) => comment.text === text);

/** The data a manager's Save under "Change theme" sends for the comment shown first in the list. */
const correction = async (text: string, theme: string) => {
  const comment = await stored(text);
  return { commentId: comment?.id, initiativeId: '', week: comment?.week, input: 'theme0', theme0: theme };
};

describe("the writer's own tags", () => {
  it('are offered on the feedback form, stored as the theme, and win over what Huddle reads', async () => {
    const form = await say(writer, 'feedback');
    expect(form).toContain('Mostly about (optional, up to two)');
    expect(form).toContain('not knowing what is happening');
    // Words the classifier reads as about communication; the writer says it is about not being asked.
    const text = 'We only heard about the new app when the tablets turned up.';
    expect(
      await press(writer, VERBS.feedbackSubmit, feedbackForm(text, { tags: 'not_consulted' })),
    ).toContain('Thank you');
    expect((await stored(text))?.tags).toEqual(['not_consulted']);
    const list = await say(manager, 'comments');
    expect(list).toContain('not being asked (chosen by the writer)');
    expect(list).toContain('1 of 1 chosen by staff');
  });

  it('are never more than two: a third is refused with the words kept and nothing stored', async () => {
    const text = 'Too much at once and no training for it.';
    const card = await press(
      writer,
      VERBS.feedbackSubmit,
      feedbackForm(text, { tags: 'workload_time,training_gap,change_fatigue' }),
      'three-tags',
    );
    expect(card).toContain('Choose at most 2 for what it is mostly about, or none.');
    expect(card).toContain(text);
    expect(await stored(text)).toBeUndefined();
    // The same words with two tags go through from the same form.
    await press(
      writer,
      VERBS.feedbackSubmit,
      feedbackForm(text, { tags: 'training_gap,change_fatigue' }),
      'three-tags',
    );
    expect((await stored(text))?.tags).toEqual(['training_gap', 'change_fatigue']);
  });
});

describe("a manager's correction", () => {
  it('replaces what Huddle read, in place, and is shown and counted as the manager’s', async () => {
    const text = 'The handover on the app misses half of what we used to say.';
    await press(writer, VERBS.feedbackSubmit, feedbackForm(text), 'untagged');
    const before = await say(manager, 'comments');
    expect(before).toContain("(Huddle's reading)");
    expect(before).toContain('Change theme');

    const after = await press(manager, VERBS.commentTheme, await correction(text, 'communication'), 'list');
    expect(after).toContain('Theme changed to: not knowing what is happening.');
    expect(after).toContain('not knowing what is happening (corrected by a manager)');
    expect((await stored(text))?.managerTheme).toBe('communication');
    expect(after).toMatch(/2 of 3 chosen by staff, 1 corrected by a manager, 0 read by Huddle/);
  });

  it("is not offered for a writer's own tag, which counts first, and is for managers only", async () => {
    const tagged = 'We only heard about the new app when the tablets turned up.';
    // From a card shown before: refused plainly, nothing stored.
    const kept = await press(manager, VERBS.commentTheme, await correction(tagged, 'workload_time'), 'list');
    expect(kept).toContain('The person who wrote this chose what it is about');
    expect(await say(manager, 'comments')).toContain('not being asked (chosen by the writer)');

    expect(await say(leader, 'comments')).not.toContain('Change theme');
    const refused = await press(leader, VERBS.commentTheme, await correction(tagged, 'supportive'), 'list');
    expect(refused).toContain('only someone with the Manager role');
    expect((await stored(tagged))?.managerTheme).toBeUndefined();
  });
});
