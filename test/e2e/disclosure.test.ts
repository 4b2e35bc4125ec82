import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { feedbackForm, type Person, person, personalInstall } from '../support/activities.js';
import { buttonData, type Chat, chat } from '../support/chat.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

/**
 * What someone who may be disclosing harm meets: free text never ends in "I didn't understand", the
 * safeguarding wording comes first, and a disclosure is never refused for its length.
 */
const manager = person(2, 'Alex Wilber');
// seedStaff names people "Carer n" from these numbers.
const writer = person(5000, 'Carer 1');
const lead = person(5001, 'Carer 2');
const prefix = uniquePrefix();
const PROCEDURE = 'Oak View procedure: tell the nurse in charge, then ring the DSL on 0117 496 0000.';
const CONTACTS = 'DSL: Priya Shah, 0117 496 0001. Registered manager: Tom Reed, 0117 496 0002.';
const PATEL = 'Night staff leave Mr Patel in wet pads until the morning because there are not enough of us';
const TRAINING = 'the training was far too short for us on nights';
const OFFER = 'Would you like to pass this on?';
const AT_RISK = 'It sounds like someone may be at risk. If they are in danger now, call 999.';
const TELL_MANAGER = 'Tell my manager (anonymously)';
const HARMED = 'Someone is being harmed';
const LIMITS = 'up to 1,000 characters, or 4,000 if someone is being harmed';

let connector: RecordingConnector;
let bot: TestHuddle;
let press: Chat['press'];
let say: Chat['say'];

async function rows(name: string): Promise<Record<string, unknown>[]> {
  const table = TableClient.fromConnectionString(inject('storageConnectionString'), `${prefix}${name}`, {
    allowInsecureConnection: true,
  });
  const found: Record<string, unknown>[] = [];
  for await (const row of table.listEntities()) found.push(row);
  return found;
}

interface Shown {
  /** Every TextBlock's words and every input's label or title, in the order the person reads them. */
  words: string[];
  buttons: { title: string; verb: string; data: Record<string, string> }[];
  inputs: Record<string, { value?: string; maxLength?: number; label?: string }>;
}

/** What a person sees on a card: from `say` (a list of activities) or `press` (the card itself). */
function shown(json: string): Shown {
  const parsed = JSON.parse(json) as unknown;
  const card = Array.isArray(parsed)
    ? (parsed as { attachments?: { content: unknown }[] }[]).flatMap((a) => a.attachments ?? [])[0]?.content
    : parsed;
  const result: Shown = { words: [], buttons: [], inputs: {} };
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (element.type === 'TextBlock') result.words.push(String(element.text));
    if (typeof element.type === 'string' && element.type.startsWith('Input.')) {
      result.words.push(String(element.label ?? element.title));
      result.inputs[String(element.id)] = element as Shown['inputs'][string];
    }
    if (element.type === 'Action.Execute')
      result.buttons.push(element as unknown as Shown['buttons'][number]);
    for (const child of Object.values(element)) walk(child);
  };
  walk(card);
  return result;
}

/** The words each button on the card in `json` would type for the person (imBack), in order. */
const typed = (json: string) => [...json.matchAll(/"type":"imBack","value":"([^"]*)"/g)].map((m) => m[1]);
const button = (card: Shown, title: string) => card.buttons.find((one) => one.title === title);
/** Exactly `length` characters of `sentence` over and over, ending in a full stop so trimming keeps them all. */
const lengthy = (sentence: string, length: number) =>
  `${sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length - 1)}.`;
const alertsTo = (who: Person) =>
  connector
    .sent()
    .map((activity) => JSON.stringify(activity))
    .filter((sent) => sent.includes(conversationIdOf(who)) && sent.includes('Safeguarding alert'));

beforeAll(async () => {
  connector = await startRecordingConnector([], { tenantRate: 50 });
  bot = await startTestHuddle({
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_SAFEGUARDING_LEADS: lead.aadObjectId,
    HUDDLE_SAFEGUARDING_PROCEDURE: PROCEDURE,
    HUDDLE_SAFEGUARDING_CONTACTS: CONTACTS,
    HUDDLE_SCHEDULER_TICK_MS: '60000',
    HUDDLE_TABLE_PREFIX: prefix,
    LOG_LEVEL: 'error',
  });
  ({ press, say } = chat(bot, connector));
  await bot.post(personalInstall(manager, { serviceUrl: connector.serviceUrl }));
  await seedStaff(bot.huddle.storage, connector.serviceUrl, 2, { first: 5000 });
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

describe('free text in personal chat never ends in a dead end', () => {
  it('a disclosure Huddle does not read as one gets a card offering to tell a manager or say someone is being harmed, and nothing is stored', async () => {
    const offer = shown(await say(writer, PATEL));
    // The local classifier reads these words as neither feedback nor a disclosure today; a better one may
    // read a disclosure and lead with 999. Either way the person gets the same two ways on.
    expect([OFFER, AT_RISK]).toContain(offer.words[0]);
    expect(offer.words.join(' ')).not.toContain("didn't understand");
    expect(offer.buttons.map((one) => one.title)).toEqual([TELL_MANAGER, HARMED]);

    const feedbackLike = shown(await say(writer, TRAINING));
    expect(feedbackLike.words[0]).toBe(OFFER);
    expect(feedbackLike.buttons.map((one) => one.title)).toEqual([TELL_MANAGER, HARMED]);
    expect(await rows('Comments')).toEqual([]);
  });

  it('a mistyped command still gets its suggestion, and a greeting or thanks gets no offer', async () => {
    const typo = await say(manager, 'broadcst');
    expect(typo).toContain('Did you mean **broadcast**?');
    expect(typed(typo)).toEqual(['broadcast', 'help']);
    expect(shown(typo).buttons).toEqual([]);
    for (const words of ['Thanks!', 'thank you', 'cheers']) {
      const answer = await say(writer, words);
      expect({ words, buttons: shown(answer).buttons }).toEqual({ words, buttons: [] });
      expect(answer).toContain("You're welcome.");
    }
  });

  it('a greeting is greeted with the menu, and "what is a pulse?" gets a one-line answer and the menu', async () => {
    for (const words of ['Hello', 'hi there', 'good morning']) {
      const answer = await say(writer, words, 2);
      expect(answer).toMatch(/Hello \w+! Here is what I can do for you\./);
      expect(answer).toContain('feedback');
      expect(answer).not.toContain('Would you like to pass this on?');
    }
    const pulse = await say(writer, 'what is a pulse?', 2);
    expect(pulse).toContain('A pulse is a short survey');
    expect(pulse).toContain('my data');
    expect(await say(writer, 'what does anonymous mean?', 2)).toContain('groups of 5 or more');
    // Anything else starting "what" may be a worry to pass on, never small talk.
    expect(await say(writer, 'what is happening to Mrs K at night?')).toContain('Someone is being harmed');
  });

  it('"Tell my manager (anonymously)" opens the feedback form with their words, anonymous, and only Send stores it', async () => {
    const offer = shown(await say(writer, TRAINING));
    const form = shown(await press(writer, VERBS.feedbackOpen, button(offer, TELL_MANAGER)?.data));
    expect(form.words[0]).toBe('Tell your manager');
    expect(form.inputs.text?.value).toBe(TRAINING);
    expect(form.inputs.harm?.value).toBe('false');
    expect(form.inputs.giveName?.value).toBe('false');
    expect(form.words.join('\n')).toContain('Who reads it: the managers and leaders of your service.');
    expect(await rows('Comments')).toEqual([]);

    const send = button(form, 'Send');
    const sent = await press(writer, VERBS.feedbackSubmit, { ...feedbackForm(TRAINING), ...send?.data });
    expect(sent).toContain('Your feedback has been passed on anonymously.');
    const [stored] = await rows('Comments');
    expect(stored).toMatchObject({ text: TRAINING, anonymous: true, source: 'feedback' });
  });

  it('"Someone is being harmed" opens the same form with the box ticked and the safeguarding wording first', async () => {
    const before = await rows('Comments');
    const offer = shown(await say(writer, PATEL));
    const form = shown(await press(writer, VERBS.feedbackOpen, button(offer, HARMED)?.data));
    expect(form.words.slice(0, 5)).toEqual([
      AT_RISK,
      'How to report a safeguarding concern',
      PROCEDURE,
      'Who to contact',
      CONTACTS,
    ]);
    expect(form.inputs.text?.value).toBe(PATEL);
    expect(form.inputs.harm?.value).toBe('true');
    expect(form.inputs.giveName?.value).toBe('false');
    expect(form.buttons.map((one) => one.title)).toEqual(['Send']);
    expect(await rows('Comments')).toEqual(before);
    expect(await rows('Escalations')).toEqual([]);
  });

  it('words Huddle reads as a possible disclosure lead with 999, the procedure and the contacts, not "Send this as feedback?"', async () => {
    const offer = shown(await say(writer, "I saw a carer slap Mrs D when she wouldn't settle."));
    expect(offer.words.slice(0, 5)).toEqual([
      AT_RISK,
      'How to report a safeguarding concern',
      PROCEDURE,
      'Who to contact',
      CONTACTS,
    ]);
    expect(offer.words.join(' ')).not.toContain('Send this as feedback?');
    expect(offer.buttons.map((one) => one.title)).toEqual([TELL_MANAGER, HARMED]);
    expect(await rows('Escalations')).toEqual([]);
  });
});

describe('a message that is nearly a command', () => {
  it('gets that command as a button, and help, when the person may use it: politeness, other words or a slip', async () => {
    for (const [words, command] of [
      ['comments pls', 'comments'],
      ['Can I see results?', 'results'],
      ['invite champions', 'initiatives'],
      ['reslts', 'results'],
      ['comentss', 'comments'],
    ] as const) {
      const answer = await say(manager, words);
      expect({ words, buttons: typed(answer) }).toEqual({ words, buttons: [command, 'help'] });
      expect(answer).toContain(`Did you mean **${command}**?`);
      expect(answer).not.toContain("didn't understand");
      expect(answer).not.toContain(HARMED);
    }
    // The button types the command, which then runs as if typed.
    expect(await say(manager, 'comments')).toContain('What staff have said');
  });

  it('is the offer to pass it on for someone whose role cannot use the command, and typing it is refused', async () => {
    const offer = shown(await say(writer, 'comments pls'));
    expect(offer.buttons.map((one) => one.title)).toEqual([TELL_MANAGER, HARMED]);
    // What the button would type, from a forwarded card, is refused as the typed command is.
    expect(await say(writer, 'comments')).toContain(
      'only someone with the Manager or Leader role can do that',
    );
  });

  it("never takes longer words for a command: a staff member's or a manager's message with command words gets the offer", async () => {
    const stored = (await rows('Comments')).length;
    for (const [who, words] of [
      [writer, 'the results of the new system are that Mrs K was left in bed'],
      [manager, 'the results of the new system are that Mrs K was left in bed'],
      [manager, 'comments from nights: Mrs K was left in bed until ten'],
      [manager, 'invite champions? the night staff shout at Mr Patel'],
    ] as const) {
      const answer = await say(who, words);
      const offer = shown(answer);
      expect([OFFER, AT_RISK]).toContain(offer.words[0]);
      expect({ words, buttons: offer.buttons.map((one) => one.title) }).toEqual({
        words,
        buttons: [TELL_MANAGER, HARMED],
      });
      expect(answer).not.toContain('Did you mean');
    }
    expect(await rows('Comments')).toHaveLength(stored);
  });
});

describe('a disclosure is never refused for its length', () => {
  const disclosure =
    'The night carer shouts at Mrs D and leaves her in the dark when she calls out for help. ';

  it('every comment form says the limits before anyone types, and lets 4,000 characters in', async () => {
    const form = shown(await say(writer, 'feedback'));
    expect(form.inputs.text?.label).toContain(LIMITS);
    expect(form.inputs.text?.maxLength).toBeGreaterThanOrEqual(4_000);
  });

  it('a 4,000-character disclosure with the box ticked is stored and alerts the safeguarding lead', async () => {
    const over = shown(
      await press(writer, VERBS.feedbackSubmit, feedbackForm(lengthy(disclosure, 4_001), { harm: 'true' })),
    );
    expect(over.words.join('\n')).toContain(
      'That is 4,001 characters; one message can hold 4,000. Please shorten it, or send the rest in a second message.',
    );
    expect(await rows('Escalations')).toEqual([]);

    const text = lengthy(disclosure, 4_000);
    const card = await press(writer, VERBS.feedbackSubmit, feedbackForm(text, { harm: 'true' }));
    expect(card).toContain('What you wrote has been passed to the safeguarding lead now.');
    const comment = (await rows('Comments')).find((row) => row.text === text);
    expect(comment?.escalationId).toEqual(expect.any(String));
    const alerts = await until(
      async () => alertsTo(lead),
      (sent) => sent.some((one) => one.includes(text)),
      5_000,
    );
    expect(alerts.length).toBeGreaterThan(0);
  });

  it('a concern about an update takes a 4,000-character disclosure too', async () => {
    const update = { headline: 'Night checks move to two-hourly', message: 'From Monday.', audience: 'all' };
    await press(manager, VERBS.broadcastConfirm, { ...update, when: 'now' });
    const concern = await until(
      async () => buttonData(connector, conversationIdOf(writer), VERBS.updateConcern),
      (data) => data !== undefined,
      10_000,
    );
    const form = shown(await press(writer, VERBS.updateConcern, concern));
    expect(form.inputs.text?.label).toContain(LIMITS);
    expect(form.inputs.text?.maxLength).toBeGreaterThanOrEqual(4_000);

    const text = lengthy(`Since the change, ${disclosure}`, 4_000);
    const sent = button(form, 'Send')?.data;
    const card = await press(writer, VERBS.concernSubmit, { ...sent, text, harm: 'true', giveName: 'false' });
    expect(card).toContain('What you wrote has been passed to the safeguarding lead now.');
    expect((await rows('Comments')).find((row) => row.text === text)).toMatchObject({ source: 'concern' });
    await until(
      async () => alertsTo(lead),
      (alerts) => alerts.some((one) => one.includes(text)),
      5_000,
    );
  });

  it('a long comment Huddle reads as a disclosure is taken without the tick', async () => {
    const text = lengthy("I saw a carer slap Mrs D when she wouldn't settle. ", 1_500);
    const card = await press(writer, VERBS.feedbackSubmit, feedbackForm(text));
    // Stored in full, and the writer is asked whether someone is at risk before anyone is alerted.
    expect(card).toContain('It sounds like someone may be at risk. Is that right?');
    expect((await rows('Escalations')).find((row) => row.text === text)).toMatchObject({
      flaggedBy: 'huddle',
      status: 'asked',
    });
  });

  it('a 1,001-character ordinary comment is still refused, saying why, with the words kept and nothing stored', async () => {
    const before = (await rows('Comments')).length;
    const text = lengthy('The new rota app logs me out every time I switch to the care plans. ', 1_001);
    const form = shown(await press(writer, VERBS.feedbackSubmit, feedbackForm(text)));
    expect(form.words.join('\n')).toContain(
      'That is 1,001 characters; please keep it to 1,000. If it is about someone being harmed, tick that box',
    );
    expect(form.inputs.text?.value).toBe(text);
    expect(await rows('Comments')).toHaveLength(before);
  });
});
