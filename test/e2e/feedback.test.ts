import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { VERBS } from '../../src/cards/verbs.js';
import { feedbackForm, type Person, person, personalInstall } from '../support/activities.js';
import { actionsIn, type Chat, chat } from '../support/chat.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, quietNow, seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

const manager = person(2, 'Alex Wilber');
// seedStaff names people "Carer n" from these numbers.
const writer = person(4000, 'Carer 1');
const lead = person(4001, 'Carer 2');
const admin = person(4002, 'Carer 3');
const prefix = uniquePrefix();
const PROCEDURE = 'Oak View procedure: tell the nurse in charge, then ring the DSL on 0117 496 0000.';

let connector: RecordingConnector;
let bot: TestHuddle;
let press: Chat['press'];
let say: Chat['say'];

const table = (name: string) =>
  TableClient.fromConnectionString(inject('storageConnectionString'), `${prefix}${name}`, {
    allowInsecureConnection: true,
  });
async function rows(name: string): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for await (const row of table(name).listEntities()) found.push(row);
  return found;
}
const sentTo = (who: Person) =>
  connector.sent().filter((activity) => JSON.stringify(activity).includes(conversationIdOf(who)));
const feedback = (text: string, extra: Record<string, string> = {}) =>
  press(writer, VERBS.feedbackSubmit, feedbackForm(text, extra), `form-${text.length}-${text.slice(0, 12)}`);
/** How many comments `comments` says are kept back while their writer is asked, and passed to the lead. */
const awaitingIn = (card: string) =>
  countIn(/(One|\d+) comments? (?:is|are) not shown while Huddle asks the writer/, card);
const passedOnIn = (card: string) =>
  countIn(/passed to the safeguarding lead are not shown here \((\d+)/, card);
const countIn = (pattern: RegExp, card: string) => {
  const count = pattern.exec(card)?.[1];
  return count === undefined ? 0 : count === 'One' ? 1 : Number(count);
};

/** The data of the `verb` button under the comment `commentId` on a `comments` card, if it has one. */
const buttonFor = (card: string, verb: string, commentId: unknown) =>
  actionsIn(JSON.parse(card), verb).find((action) => action.data.commentId === commentId)?.data;
const PASS_ON_QUESTION = 'Pass this comment to the safeguarding lead now? They will get it as urgent.';

/** What pressing Yes or No on an "Is that right?" card sends. */
function answerOf(card: string, answer: 'yes' | 'no'): Record<string, string> {
  const actions = (JSON.parse(card) as { actions: { data: Record<string, string> }[] }).actions;
  const data = actions.find((action) => action.data.answer === answer)?.data;
  if (data === undefined) throw new Error(`no ${answer} button on ${card}`);
  return data;
}

beforeAll(async () => {
  connector = await startRecordingConnector([], { tenantRate: 50 });
  bot = await startTestHuddle({
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_SAFEGUARDING_LEADS: lead.aadObjectId,
    HUDDLE_ADMINS: admin.aadObjectId,
    HUDDLE_SAFEGUARDING_PROCEDURE: PROCEDURE,
    HUDDLE_SCHEDULER_TICK_MS: '60000',
    HUDDLE_TABLE_PREFIX: prefix,
    LOG_LEVEL: 'error',
  });
  ({ press, say } = chat(bot, connector));
  await bot.post(personalInstall(manager, { serviceUrl: connector.serviceUrl }));
  // Everyone is in quiet hours right now: an alert must reach the lead anyway.
  await seedStaff(bot.huddle.storage, connector.serviceUrl, 3, { first: 4000, quietHours: quietNow() });
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

describe('staff feedback', () => {
  it('says who will read it before anything is stored, and refuses empty or over-long words with nothing stored', async () => {
    const form = await say(writer, 'feedback');
    expect(form).toContain('Tell us what you think');
    expect(form).toContain('Who reads it: the managers and leaders of your service. It is anonymous');
    expect(form).toContain('This is about someone being harmed, abused or neglected');

    expect(await feedback('   ')).toContain('Write something first.');
    expect(await feedback('x'.repeat(1_001))).toContain('That is 1,001 characters; please keep it to 1,000.');
    expect(await rows('Comments')).toEqual([]);
  });

  it('stores feedback with what Huddle read in it, and an anonymous row holds nothing that identifies the writer', async () => {
    const thanked = await feedback('Nobody asked the night staff before they chose the tablets.');
    expect(thanked).toContain('Thank you. Your feedback has been passed on anonymously.');

    const [row, ...more] = await rows('Comments');
    expect(more).toEqual([]);
    expect(row?.source).toBe('feedback');
    expect(JSON.parse(String(row?.analysis))).toMatchObject({
      primaryTheme: 'not_consulted',
      safeguarding: false,
      by: 'local',
    });
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(writer.aadObjectId);
    expect(raw).not.toContain(writer.name);
    expect(row?.day).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(await rows('Escalations')).toEqual([]);
  });

  it('shows a manager words in <angle brackets> as written, which Teams would drop as a tag, and stores them as typed', async () => {
    const typed = 'the <new> system logs me out every hour';
    expect(await feedback(typed)).toContain('Thank you.');
    expect((await rows('Comments')).map((row) => row.text)).toContain(typed);
    const list = await say(manager, 'comments');
    expect(list).toContain('the ‹new› system logs me out every hour');
    expect(list).not.toContain('<new>');
  });

  it('offers free text back to pass on and stores nothing until the person sends it', async () => {
    const before = (await rows('Comments')).length;
    const offer = await say(writer, 'the training was far too short for us on nights');
    expect(offer).toContain('Would you like to pass this on?');
    expect(offer).toContain('the training was far too short for us on nights');
    expect(await rows('Comments')).toHaveLength(before);

    // A mistyped command is still a command: it is suggested, not offered to pass on.
    const typo = await say(writer, 'feedbak');
    expect(typo).toContain('**feedback**');
    expect(typo).not.toContain('Would you like to pass this on?');
  });
});

describe('a possible disclosure', () => {
  it('asks the writer first, with 999 and the procedure, and alerts nobody until they answer or the wait is over', async () => {
    const text = 'Staff shout at the residents with dementia when they are busy.';
    const question = await feedback(text);
    expect(question).toContain('It sounds like someone may be at risk. Is that right?');
    expect(question).toContain('If they are in danger now, call 999.');
    expect(question).toContain(PROCEDURE);
    expect(question).toContain('Yes, tell the safeguarding lead now');
    expect(question).toContain('No, it is not about harm');
    await new Promise((done) => setTimeout(done, 300));
    expect(sentTo(lead).filter((sent) => JSON.stringify(sent).includes(text))).toEqual([]);

    // A forwarded card cannot answer for the writer; the writer's No passes nothing on.
    expect(await press(admin, VERBS.safeguardingAnswer, answerOf(question, 'no'))).toContain(
      'Only the person who wrote it can answer this.',
    );
    expect(await press(writer, VERBS.safeguardingAnswer, answerOf(question, 'no'))).toContain(
      'Nothing has been passed to the safeguarding lead',
    );
    expect(await say(manager, 'comments')).toContain(text);
    expect((await rows('Escalations')).find((row) => row.text === text)?.status).toBe('dismissed');
  });

  it('on Yes tells the writer how to report it and alerts the lead within seconds, through quiet hours, without naming an anonymous writer', async () => {
    const text = "I saw one of the carers slap Mr T when he wouldn't settle last night.";
    const question = await feedback(text);
    const card = await press(writer, VERBS.safeguardingAnswer, answerOf(question, 'yes'));
    expect(card).toContain('What you wrote has been passed to the safeguarding lead now.');
    expect(card).toContain(
      'You sent it anonymously, so nobody, including the safeguarding lead, can see who you are',
    );
    expect(card).toContain(PROCEDURE);

    const [alert] = await until(
      async () => sentTo(lead),
      (sent) => sent.length > 0,
      5_000,
    );
    const shown = JSON.stringify(alert);
    expect(shown).toContain('Safeguarding alert');
    expect(shown).toContain(text);
    expect(shown).toContain('Anonymous: Huddle does not know who wrote it');
    expect(shown).not.toContain(writer.name);
    // Only the lead: the admin hears only if nobody acknowledges, and managers never through this path.
    const alerts = (who: Person) =>
      sentTo(who).filter((activity) => JSON.stringify(activity).includes('Safeguarding alert'));
    expect(alerts(admin)).toEqual([]);
    expect(alerts(manager)).toEqual([]);

    const [escalation, ...others] = (await rows('Escalations')).filter((row) => row.status !== 'dismissed');
    expect(others).toEqual([]);
    expect(escalation).toMatchObject({ flaggedBy: 'huddle', status: 'raised', anonymous: true });
    expect(JSON.stringify(escalation)).not.toContain(writer.aadObjectId);
    const comment = (await rows('Comments')).find((row) => row.text === text);
    expect(comment?.escalationId).toBe(escalation?.rowKey);
  });

  it("escalates when the writer ticks 'someone is being harmed', even if the words alone would not be flagged", async () => {
    const before = (await rows('Escalations')).length;
    const card = await feedback('Something keeps happening on the night shift that is not right.', {
      harm: 'true',
      giveName: 'true',
    });
    expect(card).toContain('You added your name, so the safeguarding lead can see who you are');
    const escalations = await rows('Escalations');
    expect(escalations).toHaveLength(before + 1);
    const named = escalations.find((row) => row.flaggedBy === 'writer');
    expect(JSON.parse(String(named?.writer))).toEqual({ aadObjectId: writer.aadObjectId, name: writer.name });
    await until(
      async () => sentTo(lead).map((activity) => JSON.stringify(activity)),
      (sent) => sent.some((one) => one.includes(writer.name)),
      5_000,
    );
  });

  it('the lead acknowledges on the card; the first acknowledgement stands and staff cannot acknowledge', async () => {
    const [first] = (await rows('Escalations')).filter(
      (row) => row.flaggedBy === 'huddle' && row.status === 'raised',
    );
    const escalationId = String(first?.rowKey);

    expect(await press(writer, VERBS.safeguardingAcknowledge, { escalationId })).toContain(
      'only someone with the Safeguarding lead or Admin role',
    );
    expect((await rows('Escalations')).find((row) => row.rowKey === escalationId)?.status).toBe('raised');

    const acknowledged = await press(lead, VERBS.safeguardingAcknowledge, { escalationId });
    expect(acknowledged).toContain('Acknowledged by Carer 2');
    expect(acknowledged).not.toContain('I have this');
    const again = await press(admin, VERBS.safeguardingAcknowledge, { escalationId });
    expect(again).toContain('Acknowledged by Carer 2');

    const stored = (await rows('Escalations')).find((row) => row.rowKey === escalationId);
    expect(stored?.status).toBe('acknowledged');
    expect(JSON.parse(String(stored?.timeline)).map((entry: { event: string }) => entry.event)).toEqual([
      'asked',
      'confirmed',
      'alerted',
      'acknowledged',
    ]);

    const list = await say(lead, 'escalations');
    expect(list).toContain('Acknowledged by Carer 2');
    expect(list).toContain('Waiting for a lead');
    expect(list).not.toContain('slap');
  });

  it('never shows a manager that an alert was raised', async () => {
    const list = await say(manager, 'broadcasts');
    expect(list).not.toContain('Safeguarding');
    expect(await say(manager, 'escalations')).toContain(
      'only someone with the Safeguarding lead or Admin role',
    );
  });
});

describe('two-way anonymous follow-up', () => {
  // Out of quiet hours (the others are in theirs), so a reply reaches them at once.
  const author = person(4010, 'Precious Okafor');
  const traces = [author.aadObjectId, author.id, conversationIdOf(author), 'Precious', 'Okafor'];
  const revealsAuthor = (text: string) => traces.filter((trace) => text.includes(trace));
  const words = 'The new handover sheet takes twice as long on nights.';
  type Found = { data: Record<string, string>; input: string };

  /** The Send action under the comment with `text` on the `comments` card. */
  function replyActionFor(card: string, text: string): Found | undefined {
    const body = (JSON.parse(card) as { attachments: { content: { body: unknown[] } }[] }[])[0]
      ?.attachments[0]?.content.body as {
      items?: { text?: string; items?: { text?: string }[]; actions?: unknown[] }[];
    }[];
    const thread = body.find((element) =>
      element.items?.some((item) => item.items?.some((inner) => inner.text === text)),
    );
    type ShowCard = { card: { actions: { verb: string; data: Record<string, string> }[] } };
    const reply = thread?.items
      ?.flatMap((item) => (item.actions ?? []) as Partial<ShowCard>[])
      .flatMap((action) => action.card?.actions ?? [])
      .find((action) => action.verb === VERBS.followUpReply);
    const data = reply?.data;
    return data === undefined ? undefined : { data, input: String(data.input) };
  }

  const cardTo = async (who: Person, containing: string) =>
    JSON.stringify(
      (
        await until(
          async () => sentTo(who).filter((activity) => JSON.stringify(activity).includes(containing)),
          (sent) => sent.length > 0,
          10_000,
        )
      ).at(-1),
    );

  it('a manager replies without learning who wrote it; the writer answers back; nothing stored names the writer', async () => {
    await seedStaff(bot.huddle.storage, connector.serviceUrl, 1, { first: 4010 });
    expect(await press(author, VERBS.feedbackSubmit, feedbackForm(words))).toContain('passed on anonymously');

    const list = await say(manager, 'comments');
    expect(list).toContain(words);
    expect(list).toContain('Anonymous');
    // Disclosures stay with the safeguarding lead.
    expect(list).not.toContain('slap');
    expect(list).toContain('Comments passed to the safeguarding lead are not shown here (2');
    expect(revealsAuthor(list)).toEqual([]);
    const reply = replyActionFor(list, words);
    expect(reply).toBeDefined();
    const { data, input } = reply as Found;

    // An empty reply is refused under the comment; nothing is stored or sent.
    const empty = await press(manager, VERBS.followUpReply, { ...data, [input]: '  ' });
    expect(empty).toContain('Write something first.');
    expect(await rows('Threads')).toEqual([]);

    const question = 'Thank you for saying. Which part of the sheet takes longest?';
    const sent = await press(manager, VERBS.followUpReply, { ...data, [input]: question });
    expect(sent).toContain("Your reply is on its way to the writer's chat. You will not see who they are.");
    expect(sent).toContain(question);

    const received = await cardTo(author, question);
    expect(received).toContain('A manager replied to what you said');
    expect(received).toContain(words);
    expect(received).toContain('Alex Wilber');
    expect(received).toContain('They do not know who you are.');

    const answer = 'The medication part: it asks for everything twice.';
    const answered = await press(author, VERBS.followUpAnswer, {
      ...data,
      input: 'text',
      view: 'thread',
      text: answer,
    });
    expect(answered).toContain('Sent to Alex Wilber.');

    const back = await cardTo(manager, answer);
    expect(back).toContain('The writer of a comment answered you');
    expect(back).toContain('The writer,');
    expect(back).toContain(question);
    expect(revealsAuthor(back)).toEqual([]);
    expect(revealsAuthor(await say(manager, 'comments'))).toEqual([]);

    // Nothing in storage links the comment, its thread or the sends to the writer: the way back is sealed.
    for (const name of ['Comments', 'Threads', 'Broadcasts', 'Deliveries']) {
      expect({ name, found: revealsAuthor(JSON.stringify(await rows(name))) }).toEqual({ name, found: [] });
    }
    const thread = await rows('Threads');
    expect(thread.map((row) => [row.from, row.text])).toEqual([
      ['manager', question],
      ['writer', answer],
    ]);
  });

  it('only the writer can answer, either side can end it, and after that nothing more is sent', async () => {
    const list = await say(manager, 'comments');
    const { data } = replyActionFor(list, words) as Found;

    expect(
      await press(writer, VERBS.followUpAnswer, {
        ...data,
        input: 'text',
        view: 'thread',
        text: 'Not mine.',
      }),
    ).toContain('Only the person who wrote this comment can answer here.');
    // Nor can anyone else read the thread, or the managers' list, by sending a card back with no words.
    const peek = await press(writer, VERBS.followUpAnswer, {
      ...data,
      input: 'text',
      view: 'list',
      text: '',
    });
    expect(peek).toContain('Only the person who wrote this comment can answer here.');
    expect(peek).not.toContain('What staff have said');
    expect(peek).not.toContain(words);

    const ended = await press(author, VERBS.followUpClose, { ...data, as: 'writer' });
    expect(ended).toContain('This conversation has ended: nobody can reply to this comment now.');
    const comment = (await rows('Comments')).find((row) => row.text === words);
    expect(comment?.replyHandle).toBeUndefined();

    const refused = await press(manager, VERBS.followUpReply, {
      ...data,
      input: 'reply0',
      reply0: 'Are you there?',
    });
    expect(refused).toContain('This conversation has ended');
    expect(refused).not.toContain('Your reply is on its way');
    expect(await rows('Threads')).toHaveLength(2);
    expect(replyActionFor(await say(manager, 'comments'), words)).toBeUndefined();
  });

  it("the writer's last answer reaches the manager even when they end the conversation straight after", async () => {
    const second = 'Could nights get the tablets charged before handover?';
    await press(author, VERBS.feedbackSubmit, feedbackForm(second));
    const { data, input } = replyActionFor(await say(manager, 'comments'), second) as Found;
    await press(manager, VERBS.followUpReply, { ...data, [input]: 'Yes, from Monday.' });
    await cardTo(author, 'Yes, from Monday.');

    const last = 'Thank you, that will help a lot.';
    await press(author, VERBS.followUpAnswer, { ...data, input: 'text', view: 'thread', text: last });
    await press(author, VERBS.followUpClose, { ...data, as: 'writer' });
    const back = await cardTo(manager, last);
    expect(back).toContain(second);
    expect(revealsAuthor(back)).toEqual([]);
  });
});

describe('a second person', () => {
  it('a manager passes a comment Huddle did not flag to the safeguarding lead after saying yes to a question, once, and it is recorded who did', async () => {
    const words = 'Mrs D has stopped coming down for lunch since the new rota.';
    await press(writer, VERBS.feedbackSubmit, feedbackForm(words), 'pass-on-form');
    const stored = (await rows('Comments')).find((row) => row.text === words);
    expect(stored?.escalationId).toBeUndefined();
    const id = stored?.rowKey;
    const list = await say(manager, 'comments');
    expect(list).toContain('Pass to the safeguarding lead');
    expect(list).not.toContain(PASS_ON_QUESTION);
    const escalated = async () => (await rows('Escalations')).filter((row) => row.text === words);

    // One tap only asks, under the comment, in place of its buttons; nothing is sent.
    const alertsBefore = sentTo(lead).length;
    const asked = await press(
      manager,
      VERBS.commentPassOn,
      buttonFor(list, VERBS.commentPassOn, id),
      'comments-card',
    );
    expect(asked).toContain(PASS_ON_QUESTION);
    expect(asked).toContain(words);
    expect(buttonFor(asked, VERBS.commentPassOn, id)).toBeUndefined();
    expect(buttonFor(asked, VERBS.commentTheme, id)).toBeUndefined();
    expect(actionsIn(JSON.parse(asked), VERBS.commentPassOnConfirm).map((action) => action.title)).toEqual([
      'Yes, pass it on now',
    ]);
    // The other comments keep their buttons.
    expect(actionsIn(JSON.parse(asked), VERBS.commentPassOn).length).toBeGreaterThan(0);

    // Cancel gives the comment its buttons back, and still nothing has gone to the lead.
    const cancelled = await press(
      manager,
      VERBS.commentPassOnCancel,
      buttonFor(asked, VERBS.commentPassOnCancel, id),
      'comments-card',
    );
    expect(cancelled).not.toContain(PASS_ON_QUESTION);
    expect(cancelled).toContain(words);
    expect(buttonFor(cancelled, VERBS.commentPassOn, id)).toBeDefined();
    expect(buttonFor(cancelled, VERBS.commentTheme, id)).toBeDefined();
    await new Promise((done) => setTimeout(done, 300));
    expect(sentTo(lead).slice(alertsBefore)).toEqual([]);
    expect(await escalated()).toEqual([]);
    expect((await rows('Comments')).find((row) => row.rowKey === id)?.escalationId).toBeUndefined();

    const again = await press(
      manager,
      VERBS.commentPassOn,
      buttonFor(cancelled, VERBS.commentPassOn, id),
      'comments-card',
    );
    const yes = buttonFor(again, VERBS.commentPassOnConfirm, id);
    const after = await press(manager, VERBS.commentPassOnConfirm, yes, 'comments-card');
    expect(after).toContain('Passed to the safeguarding lead, who has been alerted now.');
    expect(after).not.toContain(words);
    // Yes pressed again on the same card (a double tap, or Teams retrying): still one escalation and one alert.
    expect(await press(manager, VERBS.commentPassOnConfirm, yes, 'comments-card')).toContain(
      'Passed to the safeguarding lead',
    );
    const [alert] = await until(
      async () => sentTo(lead).slice(alertsBefore),
      (sent) => sent.length > 0,
      5_000,
    );
    expect(JSON.stringify(alert)).toContain(words);
    expect(JSON.stringify(alert)).toContain('A manager or leader who read it passed it on');

    const escalations = await escalated();
    expect(escalations).toHaveLength(1);
    expect(JSON.parse(String(escalations[0]?.timeline))).toMatchObject([
      { event: 'raised', by: 'reader' },
      { event: 'passedOn', by: 'Alex Wilber' },
      { event: 'alerted' },
    ]);
    await new Promise((done) => setTimeout(done, 500));
    expect(
      sentTo(lead)
        .slice(alertsBefore)
        .filter((sent) => JSON.stringify(sent).includes(words)),
    ).toHaveLength(1);
    expect(await say(lead, 'escalations')).toContain('Passed on by Alex Wilber');
  });

  it('is for those who read comments: staff cannot pass anything on', async () => {
    const words = 'The rota app logs me out twice a shift.';
    await press(writer, VERBS.feedbackSubmit, feedbackForm(words), 'staff-pass-form');
    const stored = (await rows('Comments')).find((row) => row.text === words);
    const ref = { commentId: stored?.rowKey, initiativeId: '', week: stored?.week };
    expect(await press(writer, VERBS.commentPassOn, ref)).toContain(
      'only someone with the Manager or Leader role',
    );
    expect(await press(writer, VERBS.commentPassOnConfirm, ref)).toContain(
      'only someone with the Manager or Leader role',
    );
    expect((await rows('Comments')).find((row) => row.text === words)?.escalationId).toBeUndefined();
  });
});

describe('the disclosure screen', () => {
  it('reads after the thank-you, catches what the lexicon misses and asks the writer in their chat, with nothing sent to the lead', async () => {
    const words =
      "My rota gives me 10 mins for a 30 min call once you take off travel. So I do the meds and leave. Mr G hasn't had a wash in over a week and he's getting sore.";
    expect((await new LocalClassifier().classify(words)).safeguarding).toBe(false);
    const thanks = await feedback(words);
    expect(thanks).not.toContain('Is that right?');
    const [question] = await until(
      async () => sentTo(writer).filter((sent) => JSON.stringify(sent).includes('Mr G')),
      (found) => found.length > 0,
    );
    const card = JSON.stringify(
      (question as { attachments: { content: unknown }[] }).attachments[0]?.content,
    );
    expect(card).toContain('It sounds like someone may be at risk. Is that right?');
    expect(card).toContain('About what you wrote just now:');
    expect(card).toContain(PROCEDURE);
    expect((await rows('Escalations')).find((row) => row.text === words)).toMatchObject({
      status: 'asked',
      flaggedBy: 'huddle',
    });
    expect(sentTo(lead).filter((sent) => JSON.stringify(sent).includes('Mr G'))).toEqual([]);
    // Waiting for the writer, it is not in the managers' list, nor counted as passed to the lead; the
    // writer's No gives it back to them.
    const waiting = await say(manager, 'comments');
    expect(waiting).not.toContain('Mr G');
    expect(awaitingIn(waiting)).toBeGreaterThanOrEqual(1);
    expect(await press(admin, VERBS.safeguardingAnswer, answerOf(card, 'no'))).toContain(
      'Only the person who wrote it can answer this.',
    );
    expect(await press(writer, VERBS.safeguardingAnswer, answerOf(card, 'no'))).toContain(
      'Nothing has been passed to the safeguarding lead',
    );
    const given = await say(manager, 'comments');
    expect(given).toContain('Mr G');
    expect(awaitingIn(given)).toBe(awaitingIn(waiting) - 1);
    expect(passedOnIn(given)).toBe(passedOnIn(waiting));
  });
});

describe('paging back through comments', () => {
  const PAGING = 14;
  const listed = (card: string) => [...card.matchAll(/Paging comment (\d+)\b/g)].map((found) => found[1]);
  const rangeOf = (card: string) => {
    const found = /Showing (\d+)-(\d+) of (\d+) comments?\./.exec(card);
    if (found !== null) return found.slice(1).map(Number);
    // A last page of one: "Showing comment 21 of 21."
    const one = /Showing comment (\d+) of (\d+)\./.exec(card);
    return one === null ? undefined : [Number(one[1]), Number(one[1]), Number(one[2])];
  };
  const older = (card: string) => actionsIn(JSON.parse(card), VERBS.commentsOlder)[0];

  it('shows ten at a time, newest first, with a button for the next ten until there are none, each saying which it shows', async () => {
    for (let n = 1; n <= PAGING; n += 1)
      await feedback(`Paging comment ${n} about the laundry rota on Willow.`);
    const first = await say(manager, 'comments');
    const [from, to, total] = rangeOf(first) ?? [];
    expect([from, to]).toEqual([1, 10]);
    expect(total).toBeGreaterThan(PAGING);
    expect(older(first)?.title).toBe('Show older comments');

    const seen = [JSON.stringify(first)];
    let card = first;
    for (let page = 2; older(card) !== undefined; page += 1) {
      card = await press(manager, VERBS.commentsOlder, older(card)?.data, `comments-page-${page}`);
      const last = Math.min(page * 10, total ?? 0);
      expect(rangeOf(card)).toEqual([(page - 1) * 10 + 1, last, total]);
      seen.push(card);
    }
    // Every comment once, on exactly one page.
    const all = seen.flatMap(listed);
    expect(all.sort()).toEqual(Array.from({ length: PAGING }, (_, n) => String(n + 1)).sort());
    expect(seen.length).toBe(Math.ceil((total ?? 0) / 10));
  });

  it("a comment's buttons on an older page act on it and bring back the same page, the question and all", async () => {
    const first = await say(manager, 'comments');
    const second = await press(manager, VERBS.commentsOlder, older(first)?.data, 'comments-page-2');
    const [from, , total] = rangeOf(second) ?? [];
    expect(from).toBe(11);
    const onIt = listed(second)[0];
    const stored = (await rows('Comments')).find((row) =>
      String(row.text).startsWith(`Paging comment ${onIt} `),
    );
    const id = stored?.rowKey;

    const theme = buttonFor(second, VERBS.commentTheme, id);
    const changed = await press(
      manager,
      VERBS.commentTheme,
      { ...theme, [String(theme?.input)]: 'workload_time' },
      'comments-page-2',
    );
    expect(changed).toContain('Theme changed to: time and workload.');
    expect(rangeOf(changed)?.[0]).toBe(11);
    expect((await rows('Comments')).find((row) => row.rowKey === id)?.managerTheme).toBe('workload_time');

    const reply = buttonFor(changed, VERBS.followUpReply, id);
    const replied = await press(manager, VERBS.followUpReply, {
      ...reply,
      [String(reply?.input)]: 'Thank you: which days is the laundry rota worst?',
    });
    expect(replied).toContain("Your reply is on its way to the writer's chat.");
    expect(rangeOf(replied)?.[0]).toBe(11);

    const asked = await press(manager, VERBS.commentPassOn, buttonFor(changed, VERBS.commentPassOn, id));
    expect(asked).toContain(PASS_ON_QUESTION);
    expect(rangeOf(asked)?.[0]).toBe(11);
    const alertsBefore = sentTo(lead).length;
    const passed = await press(
      manager,
      VERBS.commentPassOnConfirm,
      buttonFor(asked, VERBS.commentPassOnConfirm, id),
    );
    expect(passed).toContain('Passed to the safeguarding lead, who has been alerted now.');
    expect(passed).not.toContain(`Paging comment ${onIt} `);
    // Still the second page, one comment fewer in all.
    expect(
      rangeOf(passed)
        ?.slice(0, 1)
        .concat(rangeOf(passed)?.[2] ?? 0),
    ).toEqual([11, (total ?? 0) - 1]);
    await until(
      async () => sentTo(lead).slice(alertsBefore),
      (sent) => sent.some((one) => JSON.stringify(one).includes(`Paging comment ${onIt} `)),
      5_000,
    );
  });

  it('refuses a damaged or out-of-date place in the list, with nothing done', async () => {
    const escalationsBefore = (await rows('Escalations')).length;
    const stored = (await rows('Comments')).find((row) => String(row.text).startsWith('Paging comment 1 '));
    const ref = { commentId: stored?.rowKey, initiativeId: '', week: stored?.week };
    for (const damaged of [
      { fromDay: 'yesterday', fromId: 'x' },
      { fromDay: '2026-02-30', fromId: 'x' },
      { fromDay: '2026-11-30', fromId: '' },
    ]) {
      const refused = await press(manager, VERBS.commentsOlder, damaged);
      expect(refused).toContain("This card's place in the list of comments cannot be read");
      expect(refused).not.toContain('Paging comment');
    }
    const expired = { fromDay: '2020-01-06', fromId: 'x' };
    expect(await press(manager, VERBS.commentsOlder, expired)).toContain(
      'now more than 28 days old, so they are no longer listed, and nothing was done.',
    );
    expect(await press(manager, VERBS.commentPassOnConfirm, { ...ref, ...expired })).toContain(
      'no longer listed, and nothing was done',
    );
    expect((await rows('Escalations')).length).toBe(escalationsBefore);
    // Staff cannot page through the managers' list.
    expect(await press(writer, VERBS.commentsOlder, {})).toContain(
      'only someone with the Manager or Leader role',
    );
  });
});

describe('a comment with the safeguarding lead', () => {
  it('cannot be read, answered, re-themed or closed by a manager through a made-up card', async () => {
    const text = 'The night senior shouts at Mrs P and leaves her till last every morning.';
    await press(writer, VERBS.safeguardingAnswer, answerOf(await feedback(text), 'yes'));
    const stored = (await rows('Comments')).find((row) => row.text === text);
    expect(stored?.escalationId).toBeDefined();
    const ref = { commentId: String(stored?.rowKey), initiativeId: '', week: String(stored?.week) };
    const refused = 'This comment went to the safeguarding lead; follow it up through them.';
    const attempts = [
      await press(manager, VERBS.followUpClose, { ...ref, as: 'manager' }),
      await press(manager, VERBS.commentTheme, {
        ...ref,
        fromDay: '',
        fromId: '',
        input: 'theme0',
        theme0: 'training_gap',
      }),
      await press(manager, VERBS.followUpReply, {
        ...ref,
        fromDay: '',
        fromId: '',
        input: 'text',
        view: 'thread',
        text: 'Can you tell me more?',
      }),
    ];
    for (const card of attempts) {
      expect(card).toContain(refused);
      expect(card).not.toContain(text);
    }
    const after = (await rows('Comments')).find((row) => row.rowKey === stored?.rowKey);
    expect(after?.escalationId).toBe(stored?.escalationId);
    expect(after?.managerTheme).toBeUndefined();
    expect(
      (await rows('Threads')).filter((row) => JSON.stringify(row).includes(String(stored?.rowKey))),
    ).toEqual([]);
  });
});
