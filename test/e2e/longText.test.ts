import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, type Person } from '../support/activities.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

// Within Teams' message size. Before the classifier bounded its reading, this held the server for over a
// minute, and every other turn waited behind it.
const ONE_TOKEN = 'x'.repeat(100_000);
const A_SECOND = 1_000;

let connector: RecordingConnector;
let bot: TestHuddle;
let writer: Person;
let other: Person;

beforeAll(async () => {
  connector = await startRecordingConnector();
  bot = await startTestHuddle({ LOG_LEVEL: 'error' });
  [writer, other] = (await seedStaff(bot.huddle.storage, connector.serviceUrl, 2, { first: 5000 })) as [
    Person,
    Person,
  ];
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

/** Types `text` as `who` in their personal chat: the HTTP status, Huddle's reply, and how long each took from sending. */
async function timedSay(who: Person, text: string) {
  const sentAt = Date.now();
  const response = await bot.post(message(who, text, { serviceUrl: connector.serviceUrl }));
  const answeredMs = Date.now() - sentAt;
  const [reply] = await until(
    async () =>
      connector.calls.filter(
        (call) =>
          call.method === 'POST' && call.conversationId === conversationIdOf(who) && call.at >= sentAt,
      ),
    (replies) => replies.length > 0,
    10_000,
  );
  return {
    status: response.status,
    answeredMs,
    repliedMs: (reply?.at ?? Number.POSITIVE_INFINITY) - sentAt,
    reply: JSON.stringify(reply?.body),
  };
}

describe('a 100 KB message of one unbroken token', () => {
  it('is answered within a second, and someone else asking for help meanwhile is answered within a second too', async () => {
    const [long, help] = await Promise.all([timedSay(writer, ONE_TOKEN), timedSay(other, 'help')]);

    expect(long).toMatchObject({ status: 200 });
    // Offered to pass on, with only what a comment can hold riding on the card, and the writer told so.
    expect(long.reply).toContain('Would you like to pass this on?');
    expect(long.reply).toContain('its first 4,000 characters go onto the form');
    expect(long.reply.length).toBeLessThan(20_000);
    expect(help).toMatchObject({ status: 200 });
    expect(help.reply).toContain('delete my data');
    for (const { answeredMs, repliedMs } of [long, help]) {
      expect(answeredMs).toBeLessThan(A_SECOND);
      expect(repliedMs).toBeLessThan(A_SECOND);
    }
  });
});
