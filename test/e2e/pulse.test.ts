import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { ANONYMITY, CADENCES, ITEM_KINDS } from '../../src/domain/pulses/pulse.js';
import { TEMPLATES } from '../../src/domain/pulses/questionBank.js';
import {
  executeAction,
  fileConsentAnswer,
  type Person,
  person,
  personalInstall,
  TENANT,
} from '../support/activities.js';
import { actionsIn, buttonData, type Chat, chat, choiceLists } from '../support/chat.js';
import { initiativeFixture } from '../support/initiatives.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, quietNow, seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

const manager = person(3, 'Megan Bowen');
const prefix = uniquePrefix();

let connector: RecordingConnector;
let bot: TestHuddle;
let staff: Person[];
let press: Chat['press'];
let say: Chat['say'];
let pulseId: string;

// The readiness questions ask about "this change": the pulse is about one.
const pilot = initiativeFixture({ title: 'Digital care plan pilot' });
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const settings = (overrides: Record<string, string> = {}) => ({
  title: 'How is the digital care plan pilot going?',
  initiativeId: pilot.id,
  template: 'readiness',
  audience: 'all',
  opens: 'now',
  closeDate: inDays(4),
  closeTime: '12:00',
  cadence: 'once',
  anonymity: 'anonymous',
  ...overrides,
});
const READINESS_ITEMS = 'aware-why,desire-want,know-what,able-busy,reinforce-norm,open-easier';

async function rowsOf(table: string): Promise<Record<string, unknown>[]> {
  const client = TableClient.fromConnectionString(inject('storageConnectionString'), `${prefix}${table}`, {
    allowInsecureConnection: true,
  });
  const rows: Record<string, unknown>[] = [];
  for await (const row of client.listEntities()) rows.push(row);
  return rows;
}
const answerRows = () => rowsOf('Answers');

/** The pulse cards a person has been sent, newest last, as JSON text. */
const cardsTo = (who: Person) =>
  connector
    .sent()
    .map((activity) => JSON.stringify(activity))
    .filter((text) => text.includes(conversationIdOf(who)) && text.includes(VERBS.pulseStep));
/** What the buttons of a person's latest pulse card carry about it (pulse, round, token, groups, zone). */
function refOf(who: Person): Record<string, string> {
  const step = buttonData(connector, conversationIdOf(who), VERBS.pulseStep);
  if (step === undefined) throw new Error(`no pulse card for ${who.name}`);
  const { pulseId = '', round = '', token = '', groups = '', zone = '' } = step;
  return { pulseId, round, token, groups, zone };
}
/** The answer button titled `title` on a pulse card (JSON text), ready to press. */
function choice(card: string, title: string): Record<string, string> {
  const found = actionsIn(JSON.parse(card), VERBS.pulseStep).find((button) => button.title === title);
  if (found === undefined) throw new Error(`no button ${title}`);
  return found.data;
}
const answers = (overrides: Record<string, string> = {}) => ({
  'q_aware-why': '4',
  'q_desire-want': '5',
  'q_know-what': '2',
  'q_able-busy': '3',
  'q_open-easier': 'Time on shift to practise with the tablets.',
  ...overrides,
});

beforeAll(async () => {
  connector = await startRecordingConnector([], { tenantRate: 50 });
  bot = await startTestHuddle({
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_SCHEDULER_TICK_MS: '200',
    HUDDLE_TABLE_PREFIX: prefix,
  });
  ({ press, say } = chat(bot, connector));
  await bot.huddle.storage.initiatives.put(pilot);
  await bot.post(personalInstall(manager, { serviceUrl: connector.serviceUrl }));
  staff = await seedStaff(bot.huddle.storage, connector.serviceUrl, 8);
  // One more who is in quiet hours now: nothing reaches them until their quiet hours end.
  staff.push(
    ...(await seedStaff(bot.huddle.storage, connector.serviceUrl, 1, {
      first: 2000,
      quietHours: quietNow(),
    })),
  );
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

describe('a manager runs a pulse', () => {
  it('checks the settings, lets the manager edit the questions, and schedules it', async () => {
    expect(await say(manager, 'pulse')).toContain('New pulse');
    const bad = await press(
      manager,
      VERBS.pulseItems,
      settings({ title: '', closeDate: inDays(40), audience: 'unit:Nowhere' }),
    );
    for (const problem of ['Give the pulse a title.', 'at most 28 days', 'That group no longer exists']) {
      expect(bad).toContain(problem);
    }
    const items = await press(manager, VERBS.pulseItems, settings());
    expect(items).toContain('Check the questions');
    expect(items).toContain('I understand why we are making this change.');
    expect(items).toMatch(/"title":"People","value":"10"/); // nine staff and the manager
    // Every question box, and the own-question box, shows long wording in full over several lines.
    const boxes = JSON.stringify(JSON.parse(items)).match(
      /\{"type":"Input\.Text","id":"(text_[^"]+|customText)"[^}]*\}/g,
    );
    expect(boxes?.length).toBeGreaterThan(1);
    for (const box of boxes ?? []) expect(box).toContain('"isMultiline":true');

    const scheduled = await press(manager, VERBS.pulseConfirm, {
      ...settings(),
      itemIds: READINESS_ITEMS,
      'text_aware-why': 'I understand why we are moving\r\ncare plans onto the tablets. ',
      'keep_reinforce-norm': 'false',
    });
    expect(scheduled).toContain('Pulse: How is the digital care plan pilot going?');
    expect(scheduled).toContain('Stop this pulse');
    const [pulse] = await bot.huddle.storage.pulses.list(TENANT);
    pulseId = pulse?.id ?? '';
    expect(pulse?.items.map((item) => item.id)).toEqual([
      'aware-why',
      'desire-want',
      'know-what',
      'able-busy',
      'open-easier',
    ]);
    expect(pulse?.items[0]?.text).toBe('I understand why we are moving care plans onto the tablets.');
  });

  it('delivers a pulse card to everyone not in quiet hours, each with a token of their own', async () => {
    const awake = staff.slice(0, 8);
    await until(async () => awake.every((who) => cardsTo(who).length === 1), Boolean);
    const card = cardsTo(awake[0] as Person)[0] ?? '';
    expect(card).toContain('I understand why we are moving care plans onto the tablets.');
    expect(card).toContain('Anonymous: your answers are stored without your name');
    expect(card).toContain('Strongly agree');
    expect(refOf(awake[0] as Person).token).not.toBe(refOf(awake[1] as Person).token);
    expect(cardsTo(staff[8] as Person)).toEqual([]);
  });

  it('stores one anonymous row per person however often they submit, and lets them change it', async () => {
    const [first] = staff as [Person];
    const ref = refOf(first);
    const thanks = await press(first, VERBS.pulseSubmit, { ...ref, ...answers() });
    expect(thanks).toContain('Thanks, your answers are saved.');
    expect(thanks).toContain('You can change your answers until');
    expect(thanks).toContain('Time on shift to practise with the tablets.');
    // A double tap and a Teams retry.
    await Promise.all([
      press(first, VERBS.pulseSubmit, { ...ref, ...answers() }),
      press(first, VERBS.pulseSubmit, { ...ref, ...answers() }),
    ]);
    let rows = await answerRows();
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows[0]);
    expect(raw).not.toContain(first.aadObjectId);
    expect(raw).not.toContain(first.name);
    expect(raw).not.toContain(first.id);
    expect(rows[0]?.memberId).toBeUndefined();
    expect(rows[0]?.day).toMatch(/^\d{4}-\d\d-\d\d$/);
    // Azure's own last-modified Timestamp (and the ETag made from it) cannot be left out; nothing else has a time.
    const { etag: _, timestamp: __, ...ours } = rows[0] ?? {};
    expect(JSON.stringify(ours)).not.toMatch(/T\d\d:\d\d/);

    // The open answer went to the feedback pipeline as an anonymous comment.
    const comments = await rowsOf('Comments');
    expect(comments.map((row) => [row.source, row.text, row.anonymous])).toEqual([
      ['pulse', 'Time on shift to practise with the tablets.', true],
    ]);
    expect(JSON.stringify(comments)).not.toContain(first.aadObjectId);

    // Changing opens on the answers to check, each with Change; Send carries them all, as an edit.
    const edit = await press(first, VERBS.pulseEdit, ref);
    expect(edit).toContain('Check your answers');
    expect(actionsIn(JSON.parse(edit), VERBS.pulseSubmit)[0]?.data).toMatchObject({
      'q_know-what': '2',
      editing: 'true',
    });
    await press(first, VERBS.pulseSubmit, {
      ...ref,
      editing: 'true',
      ...answers({ 'q_know-what': '4', 'q_open-easier': '' }),
    });
    rows = await answerRows();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(String(rows[0]?.values))['know-what']).toBe(4);
    // Emptying the open answer took the comment away too.
    expect(await rowsOf('Comments')).toEqual([]);
  });

  it("keeps what the open answer's writer says it is about, and asks again, answers kept, when they pick three", async () => {
    const [first] = staff as [Person];
    const ref = refOf(first);
    const review = await press(first, VERBS.pulseEdit, ref);
    // Change on the open question (the fifth) shows its box and what it is about.
    const open = actionsIn(JSON.parse(review), VERBS.pulseStep).find(
      (button) => String(button.data.step) === '4',
    );
    const card = await press(first, VERBS.pulseStep, open?.data);
    expect(card).toContain('"id":"tags_open-easier"');
    expect(card).toContain('Mostly about (optional, up to two)');
    const three = await press(first, VERBS.pulseSubmit, {
      ...ref,
      editing: 'true',
      ...answers({ 'tags_open-easier': 'training_gap,workload_time,change_fatigue' }),
    });
    expect(three).toContain('Choose at most 2 for what it is mostly about, or none.');
    expect(three).toContain('"tags_open-easier":"workload_time,training_gap,change_fatigue"');
    expect(three).toContain('Time on shift to practise with the tablets.');
    expect(await rowsOf('Comments')).toEqual([]);

    await press(first, VERBS.pulseSubmit, {
      ...ref,
      editing: 'true',
      ...answers({ 'tags_open-easier': 'training_gap' }),
    });
    const comments = await rowsOf('Comments');
    expect(comments.map((row) => [row.text, row.tags])).toEqual([
      ['Time on shift to practise with the tablets.', '["training_gap"]'],
    ]);
  });

  it('refuses tampered or misdirected submits with a clear message and stores nothing', async () => {
    const [first, second] = staff as [Person, Person];
    const ref = refOf(first);
    const before = await answerRows();
    const cases: [Person, Record<string, unknown>, string][] = [
      [
        first,
        { ...ref, pulseId: 'no-such-pulse', ...answers() },
        'sent to someone else, or the pulse no longer exists',
      ],
      [second, { ...ref, ...answers() }, 'sent to someone else'],
      // Counting the answer under another unit than the card was sent with.
      [first, { ...ref, groups: '{"site":"Oak View","unit":"Rowan"}', ...answers() }, 'sent to someone else'],
      [first, { ...ref, ...answers({ 'q_aware-why': '9' }) }, 'answers the pulse does not ask for'],
      [first, { ...ref, ...answers(), 'q_reinforce-norm': '5' }, 'answers the pulse does not ask for'],
      [
        first,
        { ...ref, ...answers({ 'q_open-easier': 'x'.repeat(100_000) }) },
        'Your answer is 100,000 characters; the most is 1,000.',
      ],
      [first, { ...ref, ...answers({ 'q_desire-want': '' }) }, 'Please answer: I want this change to work.'],
    ];
    for (const [who, data, message] of cases)
      expect(await press(who, VERBS.pulseSubmit, data)).toContain(message);
    expect(await answerRows()).toEqual(before);
  });

  it('asks one question at a time, each answer one tap moving the card on in place, and stores only on Send', async () => {
    const who = staff[2] as Person;
    const before = await answerRows();
    const delivered = JSON.stringify(
      (JSON.parse(cardsTo(who).at(-1) ?? '{}') as { attachments: { content: unknown }[] }).attachments[0]
        ?.content,
    );
    expect(delivered).toContain('Question 1 of 5');
    expect(delivered).not.toContain('Input.ChoiceSet'); // no lists of radio buttons to scroll past
    // Each choice is a full-width button of its own.
    expect(delivered.match(/"type":"ActionSet"/g)).toHaveLength(5);

    const second = await press(who, VERBS.pulseStep, choice(delivered, 'Agree'));
    expect(second).toContain('Question 2 of 5');
    expect(second).toContain('I want this change to work.');
    const third = await press(who, VERBS.pulseStep, choice(second, 'Strongly agree'));
    // Stopped here, the card keeps both answers on every button; nothing is stored yet.
    for (const button of actionsIn(JSON.parse(third), VERBS.pulseStep)) {
      expect(button.data).toMatchObject({ 'q_aware-why': '4', 'q_desire-want': '5' });
    }
    expect(await answerRows()).toEqual(before);

    const fourth = await press(who, VERBS.pulseStep, choice(third, 'Disagree'));
    const open = await press(who, VERBS.pulseStep, choice(fourth, 'Neither agree nor disagree'));
    expect(open).toContain('"id":"q_open-easier"');
    const next = actionsIn(JSON.parse(open), VERBS.pulseStep)[0]?.data;
    const review = await press(who, VERBS.pulseStep, { ...next, 'q_open-easier': 'More time on nights.' });
    expect(review).toContain('Check your answers: nothing is sent until you press Send my answers.');
    for (const answer of [
      'Agree',
      'Strongly agree',
      'Disagree',
      'Neither agree nor disagree',
      'More time on nights.',
    ])
      expect(review).toContain(`"text":"${answer}"`);

    // Change one: its question comes back with the answer marked, and answering returns to the check.
    const change = actionsIn(JSON.parse(review), VERBS.pulseStep).find((b) => String(b.data.step) === '2');
    const again = await press(who, VERBS.pulseStep, change?.data);
    const marked = actionsIn(JSON.parse(again), VERBS.pulseStep).filter((b) => b.style === 'positive');
    expect(marked.map((button) => button.title)).toEqual(['Disagree']);
    const checked = await press(who, VERBS.pulseStep, choice(again, 'Agree'));
    expect(checked).toContain('Check your answers');
    expect(await answerRows()).toEqual(before);

    const send = actionsIn(JSON.parse(checked), VERBS.pulseSubmit)[0]?.data;
    expect(send).toMatchObject({ 'q_know-what': '4', 'q_open-easier': 'More time on nights.' });
    expect(await press(who, VERBS.pulseSubmit, send)).toContain('Thanks, your answers are saved.');
    expect(await answerRows()).toHaveLength(before.length + 1);
  });

  it('reminds only those who have not answered, and nobody in their quiet hours', async () => {
    const answered = staff.slice(0, 4);
    for (const who of answered.slice(1)) await press(who, VERBS.pulseSubmit, { ...refOf(who), ...answers() });
    const sentBefore = new Map(staff.map((who) => [who.aadObjectId, cardsTo(who).length]));
    await bot.huddle.storage.rounds.modify(TENANT, pulseId, 1, (round) => ({
      ...round,
      reminders: round.reminders.map((one, index) =>
        index === 0 ? { ...one, at: new Date().toISOString() } : one,
      ),
    }));
    const reminderId = `${pulseId}.1.reminder1`;
    await until(
      () => bot.huddle.storage.deliveries.outcomes(reminderId),
      // Nine staff and the manager, who is in the audience too; each settled (a send in flight is not).
      (rows) =>
        rows.length === 10 &&
        rows.every(
          (row) => row.status !== 'sending' && (row.status !== 'pending' || row.notBefore !== undefined),
        ),
    );
    const outcomes = new Map(
      (await bot.huddle.storage.deliveries.outcomes(reminderId)).map((row) => [row.memberId, row]),
    );
    for (const who of answered) {
      expect(outcomes.get(who.aadObjectId)?.status).toBe('skipped');
      expect(cardsTo(who).length).toBe(sentBefore.get(who.aadObjectId));
    }
    for (const who of staff.slice(4, 8)) {
      expect(outcomes.get(who.aadObjectId)?.status).toBe('sent');
      expect(cardsTo(who).at(-1)).toContain('Reminder: you have not answered this yet.');
    }
    const sleeper = staff[8] as Person;
    expect(outcomes.get(sleeper.aadObjectId)).toMatchObject({ status: 'pending' });
    expect(cardsTo(sleeper)).toEqual([]);
  });

  it('shows results only once enough people have answered, never a group below the threshold', async () => {
    expect(await say(manager, 'results')).toContain('Fewer than 5 people have answered');
    // The open answers wait as the figures do: only counted, and not to be acted on through a made-up card.
    const waiting = await say(manager, 'comments');
    expect(waiting).toContain(
      '4 answers to a pulse are waiting until at least 5 people have answered it, so nobody can be picked out.',
    );
    expect(waiting).not.toContain('Time on shift to practise');
    const untagged = (await rowsOf('Comments')).find((row) => row.tags === undefined);
    const madeUp = await press(manager, VERBS.commentTheme, {
      commentId: String(untagged?.rowKey),
      initiativeId: pilot.id,
      week: String(untagged?.week),
      input: 'theme0',
      theme0: 'workload_time',
    });
    expect(madeUp).toContain('it is not listed yet and nothing was done');
    expect((await rowsOf('Comments')).filter((row) => row.managerTheme !== undefined)).toEqual([]);

    await press(staff[4] as Person, VERBS.pulseSubmit, {
      ...refOf(staff[4] as Person),
      ...answers({ 'q_know-what': '1' }),
    });
    const listed = await say(manager, 'comments');
    expect(listed).toContain('Time on shift to practise');
    expect(listed).not.toContain('waiting until');
    const results = await say(manager, 'results');
    expect(results).toContain('How is the digital care plan pilot going? (round 1)');
    // Over the nine the pulse reached: the tenth is still in their quiet hours and could not answer.
    expect(results).toMatch(/"title":"Answered","value":"5 of the 9 it reached \(56%\)"/);
    expect(results).toContain('Readiness index (0-100)');
    expect(results).toMatch(/"title":"Where to help first","value":"Knowing how"/);
    // Willow has three answers and Rowan two: neither unit may be shown, and Oak View is everyone.
    expect(results).not.toMatch(/Unit (Willow|Rowan)/);
    expect(results).not.toContain('Time on shift to practise');
    // What the open answers are about, counted by best source: one writer tagged theirs (training).
    expect(results).toMatch(/What the open answers are about: [^"]*training \d/);
    expect(results).toMatch(/Of 5 answers, 1 chosen by staff, 0 corrected by a manager, 4 read by Huddle/);
  });

  it("starts an action from the round's themes, the pilot chosen and the theme named, never an answer quoted", async () => {
    const results = await say(manager, 'results');
    const from = actionsIn(JSON.parse(results), VERBS.actionFromTheme);
    expect(from).toEqual([
      { title: 'Open the action form', style: undefined, data: { initiativeId: pilot.id } },
    ]);
    expect(results).toContain('"title":"Record an action"');
    // Every theme the line counts can be chosen, the first shown chosen already.
    const themes = choiceLists(results).theme ?? [];
    expect(themes).toContain('training_gap');
    expect(results).toContain(`"id":"theme","label":"Theme","style":"expanded","value":"${themes[0]}"`);
    const form = await press(manager, VERBS.actionFromTheme, { ...from[0]?.data, theme: 'training_gap' });
    expect(form).toContain('From the theme \\"training\\"');
    expect(form).toContain(
      `"id":"initiativeId","label":"Which change it belongs to","style":"compact","value":"${pilot.id}"`,
    );
    expect(actionsIn(JSON.parse(form), VERBS.actionCreate)[0]?.data).toMatchObject({
      fromTheme: 'training_gap',
    });
  });

  it('saves a round as a spreadsheet in the manager’s OneDrive once they allow it, with only what the card shows', async () => {
    const where = { serviceUrl: connector.serviceUrl };
    const ref = buttonData(connector, conversationIdOf(manager), VERBS.resultsExport);
    expect(ref).toEqual({ pulseId, round: 1 });
    // Teams only takes files in personal chat: a results card forwarded to a group chat says so.
    const inGroup = await bot.post({
      ...executeAction(manager, VERBS.resultsExport, where, ref),
      conversation: { id: '19:managers@thread.v2', conversationType: 'groupChat', tenantId: TENANT },
    });
    expect(JSON.stringify(inGroup.body)).toContain(
      'Spreadsheets can only be saved in your own chat with Huddle',
    );
    const before = connector.sent().length;
    // The results card stays as it was; Teams asks the manager whether to save the file.
    expect(await press(manager, VERBS.resultsExport, ref)).toContain(
      'How is the digital care plan pilot going? (round 1)',
    );
    const [offer] = (await connector.waitForSent(before + 1)).slice(before);
    type Consent = { contentType: string; name: string; content: Record<string, unknown> };
    const consent = (offer?.attachments as Consent[] | undefined)?.[0];
    expect(consent).toMatchObject({
      contentType: 'application/vnd.microsoft.teams.card.file.consent',
      name: 'how-is-the-digital-care-plan-pilot-going-round-1.csv',
      content: { acceptContext: ref, declineContext: ref },
    });
    const size = consent?.content.sizeInBytes as number;

    const answer = (action: 'accept' | 'decline', who: Person, uploadUrl?: string, context: unknown = ref) =>
      bot.post(fileConsentAnswer(who, where, { action, context, consentId: 'consent-1', uploadUrl }));
    const sentSince = (count: number) =>
      connector
        .sent()
        .slice(count)
        .map((activity) => JSON.stringify(activity));

    let mark = connector.sent().length;
    expect((await answer('accept', manager, connector.uploadUrl('results.csv'))).status).toBe(200);
    expect(connector.uploads).toHaveLength(1);
    const [file] = connector.uploads;
    expect(file?.contentRange).toBe(`bytes 0-${size - 1}/${size}`);
    expect(Buffer.byteLength(file?.text ?? '')).toBe(size);
    expect(
      file?.text.startsWith('\uFEFFPulse,Round,Opened,Closes,Group,Figure,Question,Answer,Value\r\n'),
    ).toBe(true);
    const rows = (file?.text ?? '').trim().split('\r\n').slice(1);
    const figure = (group: string, name: string) =>
      rows.filter((row) => row.includes(`,${group},${name},`)).map((row) => row.split(',').at(-1));
    expect(figure('Everyone', 'People reached')).toEqual(['9']);
    expect(figure('Everyone', 'Answers')).toEqual(['5']);
    expect(figure('Everyone', 'Answered among people reached (%)')).toEqual(['56']);
    expect(figure('Everyone', 'Barrier point (3 or less)')).toContain('Knowing how');
    expect(rows.some((row) => row.includes('Readiness index (0-100)'))).toBe(true);
    // The one person who chose "Strongly disagree" on knowing how, counted like the card counts them.
    expect(rows).toContainEqual(
      expect.stringMatching(/,Everyone,People who gave this answer,I know what .*,Strongly disagree,1$/),
    );
    // Willow (3) and Rowan (2) are below the threshold (the whole site is everyone who answered), and open
    // answers never leave the feedback pipeline.
    expect(new Set(rows.map((row) => row.split(',')[4]))).toEqual(new Set(['Everyone', 'Site Oak View']));
    expect(file?.text).not.toContain('Time on shift to practise');
    const saved = sentSince(mark);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toContain('application/vnd.microsoft.teams.card.file.info');
    expect(saved[0]).toContain('Saved results.csv to your OneDrive');

    mark = connector.sent().length;
    expect((await answer('accept', manager, connector.uploadUrl('results.csv', 'full'))).status).toBe(200);
    expect(sentSince(mark).join()).toContain('could not be saved to your OneDrive (HTTP 507)');
    mark = connector.sent().length;
    expect((await answer('decline', manager)).status).toBe(200);
    expect(sentSince(mark).join()).toContain('No spreadsheet was saved.');

    // Refused, and nothing uploaded: a carer replaying the consent, an upload address that is not Teams',
    // and a round that does not exist.
    mark = connector.sent().length;
    expect((await answer('accept', staff[0] as Person, connector.uploadUrl('results.csv'))).status).toBe(200);
    expect((await answer('accept', manager, 'http://files.example.net/upload/results.csv')).status).toBe(200);
    expect(
      (await answer('accept', manager, connector.uploadUrl('results.csv'), { pulseId, round: 7 })).status,
    ).toBe(200);
    const refusals = sentSince(mark);
    expect(refusals[0]).toContain('only someone with the Manager or Leader role');
    expect(refusals[1]).toContain('This card is out of date');
    expect(refusals[2]).toContain('That pulse no longer exists');
    expect(connector.uploads).toHaveLength(1);
  });

  it('asks the writer of an anonymous open answer that may disclose harm; on Yes a person is alerted at once', async () => {
    const writer = staff[6] as Person;
    const thanks = await press(writer, VERBS.pulseSubmit, {
      ...refOf(writer),
      ...answers({ 'q_open-easier': 'A carer on nights shouts at Mrs K and pushed her back into bed.' }),
    });
    expect(thanks).toContain('Thanks, your answers are saved.');
    const [asked] = await until(
      async () =>
        connector
          .sent()
          .filter((one) => JSON.stringify(one).includes(conversationIdOf(writer)))
          .map(
            (one) => (one.attachments as { content: { body: unknown[]; actions?: unknown[] } }[])[0]?.content,
          )
          .filter((card) => JSON.stringify(card).includes('Is that right?')),
      (found) => found.length > 0,
    );
    expect(JSON.stringify(asked)).toContain('If they are in danger now, call 999.');
    const yes = ((asked?.actions ?? []) as { data: Record<string, string> }[]).find(
      (action) => action.data.answer === 'yes',
    );
    const told = await press(writer, VERBS.safeguardingAnswer, yes?.data ?? {});
    expect(told).toContain('safeguarding lead now');
    expect(told).toContain('You sent it anonymously');
    // No safeguarding lead or admin is named in this deployment, so the managers are alerted: someone must be.
    const alert = await until(
      async () => connector.sent().map((activity) => JSON.stringify(activity)),
      (sent) =>
        sent.some((one) => one.includes(conversationIdOf(manager)) && one.includes('Safeguarding alert')),
    );
    expect(alert.find((one) => one.includes('Safeguarding alert'))).toContain('pushed her back into bed');
  });

  it('keeps the published figures, marked, until five answers have come in or changed since, on the card and in the spreadsheet', async () => {
    // One more answer since the figures were published (the one passed to the safeguarding lead).
    const kept = await say(manager, 'results');
    expect(kept).toMatch(/"title":"Answered","value":"6 of the 9 it reached \(67%\)"/);
    expect(kept).toMatch(/"title":"Figures","value":"As published on [^"]*, when 5 had answered\./);
    expect(kept).toContain('They are updated once 5 answers have come in or changed since.');

    const where = { serviceUrl: connector.serviceUrl };
    const ref = { pulseId, round: 1 };
    await press(manager, VERBS.resultsExport, ref);
    const uploads = connector.uploads.length;
    await bot.post(
      fileConsentAnswer(manager, where, {
        action: 'accept',
        context: ref,
        consentId: 'consent-2',
        uploadUrl: connector.uploadUrl('later.csv'),
      }),
    );
    const rows = (connector.uploads[uploads]?.text ?? '').trim().split('\r\n');
    expect(rows).toContainEqual(expect.stringMatching(/,Everyone,Answers,,,6$/));
    expect(rows).toContainEqual(expect.stringMatching(/,Everyone,Answers when published,,,5$/));
    expect(rows).toContainEqual(
      expect.stringMatching(/,Everyone,Figures as published at,,,\d{4}-\d\d-\d\d \d\d:\d\d$/),
    );

    // A new answer and two changed answers: four changes, still the published figures.
    const edit = (who: Person, knowWhat: string) =>
      press(who, VERBS.pulseSubmit, {
        ...refOf(who),
        editing: 'true',
        ...answers({ 'q_know-what': knowWhat }),
      });
    await press(staff[7] as Person, VERBS.pulseSubmit, { ...refOf(staff[7] as Person), ...answers() });
    await edit(staff[0] as Person, '1');
    await edit(staff[1] as Person, '5');
    expect(await say(manager, 'results')).toContain('when 5 had answered');
    // The fifth change: new figures, as they stand.
    await edit(staff[2] as Person, '5');
    const updated = await say(manager, 'results');
    expect(updated).toMatch(/"title":"Answered","value":"7 of the 9 it reached \(78%\)"/);
    expect(updated).not.toContain('As published');
    expect(updated).toContain('Readiness index (0-100)');
  });

  it('refuses an answer after the round has closed and stores nothing', async () => {
    await bot.huddle.storage.rounds.modify(TENANT, pulseId, 1, (round) => ({
      ...round,
      closesAt: new Date(Date.now() - 1_000).toISOString(),
    }));
    await until(
      () => bot.huddle.storage.rounds.get(TENANT, pulseId, 1),
      (round) => round?.status === 'closed',
    );
    await new Promise((wait) => setTimeout(wait, 1_100)); // the answer path's one-second read cache
    const before = await answerRows();
    const late = staff[5] as Person;
    expect(await press(late, VERBS.pulseSubmit, { ...refOf(late), ...answers() })).toContain(
      'This pulse closed on',
    );
    expect(await answerRows()).toEqual(before);
  });
});

/** The words of the questions on the card where the manager checks them. */
const questionsOn = (card: string) =>
  [...card.matchAll(/"id":"text_[^"]+"[^}]*"value":"([^"]*)"/g)].map((match) => match[1]);

describe('the pulse settings form', () => {
  it('opens about the first change, with its questions', async () => {
    const form = await say(manager, 'pulse');
    expect(form).toContain(
      `"id":"initiativeId","label":"About which change","style":"compact","value":"${pilot.id}"`,
    );
    expect(choiceLists(form).template).toEqual([...TEMPLATES]);
  });

  it('offers a general pulse only questions that never mention a change, and refuses one that does', async () => {
    const general = { initiativeId: 'none', title: 'How are things at work?' };
    const refused = await press(manager, VERBS.pulseItems, settings({ ...general, template: 'stage' }));
    expect(refused).toContain('Those questions ask about a change: choose the change they are about');
    expect(choiceLists(refused).template).toEqual(['wellbeing']);
    for (const template of ['readiness', 'team'])
      expect(await press(manager, VERBS.pulseItems, settings({ ...general, template }))).toContain(
        'Those questions ask about a change',
      );
    // Scheduling from a card altered to send a set about a change is refused too, and stores nothing.
    const before = (await bot.huddle.storage.pulses.list(TENANT)).length;
    expect(
      await press(manager, VERBS.pulseConfirm, {
        ...settings({ ...general, template: 'team' }),
        itemIds: 'team-want',
      }),
    ).toContain('Those questions ask about a change');
    expect(await bot.huddle.storage.pulses.list(TENANT)).toHaveLength(before);

    const items = await press(manager, VERBS.pulseItems, settings({ ...general, template: 'wellbeing' }));
    expect(items).toContain('Check the questions');
    expect(questionsOn(items)).toEqual([
      'How are you feeling at work this week?',
      'How likely are you to recommend working here to a friend? (0 not at all, 10 very likely)',
      'What one thing would make your work easier this week?',
    ]);
    // The form cannot change its lists as the manager chooses a change; Show its questions does.
    expect(refused).toContain('Show its questions');
    const shown = await press(manager, VERBS.pulseBack, settings({ ...general, initiativeId: pilot.id }));
    expect(choiceLists(shown).template).toEqual([...TEMPLATES]);
    expect(shown).not.toContain('Show its questions');
  });

  it('builds every choice list from its own source on every path: first show, Back, Check again, a problem', async () => {
    const first = choiceLists(await say(manager, 'pulse'));
    const settingsLists = (aboutChange: boolean) => ({
      initiativeId: ['none', pilot.id],
      template: aboutChange ? [...TEMPLATES] : ['wellbeing'],
      audience: first.audience,
      opens: ['now', 'later'],
      cadence: [...CADENCES],
      anonymity: [...ANONYMITY],
    });
    const itemsLists = { customKind: ['none', ...ITEM_KINDS] };
    expect(first).toEqual(settingsLists(true));
    expect(first.audience).toContain('all');

    const weekly = settings({ cadence: 'weekly', closeDate: inDays(3) });
    const ownQuestion = { customKind: 'none', customText: '', customOptions: '' };
    const items = await press(manager, VERBS.pulseItems, weekly);
    expect(choiceLists(items)).toEqual(itemsLists);
    const back = await press(manager, VERBS.pulseBack, {
      ...weekly,
      itemIds: READINESS_ITEMS,
      ...ownQuestion,
    });
    expect(back).toContain('"id":"cadence","label":"How often","style":"compact","value":"weekly"');
    expect(choiceLists(back)).toEqual(settingsLists(true));
    const again = await press(manager, VERBS.pulseItems, weekly);
    expect(choiceLists(again)).toEqual(itemsLists);
    const generalBack = await press(manager, VERBS.pulseBack, {
      ...settings({ initiativeId: 'none', template: 'wellbeing' }),
      itemIds: 'mood,enps,open-work',
      ...ownQuestion,
    });
    expect(choiceLists(generalBack)).toEqual(settingsLists(false));

    // Shown again with a problem: the settings, the questions, and settings gone stale while checking them.
    const untitled = await press(manager, VERBS.pulseItems, settings({ title: '' }));
    expect(untitled).toContain('Give the pulse a title.');
    expect(choiceLists(untitled)).toEqual(settingsLists(true));
    const oneChoice = await press(manager, VERBS.pulseConfirm, {
      ...weekly,
      itemIds: READINESS_ITEMS,
      customKind: 'choice',
      customText: 'Which shift do you work most?',
      customOptions: 'Days',
    });
    expect(oneChoice).toContain('A single-choice question needs 2 to 6 choices');
    expect(choiceLists(oneChoice)).toEqual(itemsLists);
    const stale = await press(manager, VERBS.pulseConfirm, {
      ...settings({ opens: 'later', openDate: inDays(-1), openTime: '09:00' }),
      itemIds: READINESS_ITEMS,
      ...ownQuestion,
    });
    expect(stale).toContain('The opening time has already passed.');
    expect(choiceLists(stale)).toEqual(settingsLists(true));
  });
});
