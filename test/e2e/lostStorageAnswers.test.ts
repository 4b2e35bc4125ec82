import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { person, personalInstall, sendUpdateToEveryone, TENANT } from '../support/activities.js';
import { type CountingProxy, startCountingProxy } from '../support/countingProxy.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

const manager = person(2, 'Alex Wilber');
const LOST = 3;

let proxy: CountingProxy & { answersLost(): number };
let connector: RecordingConnector;
let bot: TestHuddle;

beforeAll(async () => {
  // Storage carries out the first few claims of a send, but their answers never come back.
  proxy = await startCountingProxy(inject('storageConnectionString'), {
    match: (method, path, body) =>
      method === 'PUT' && path.includes('Deliveries') && body.includes('"status":"sending"'),
    times: LOST,
  });
  connector = await startRecordingConnector([], { tenantRate: 50 });
  bot = await startTestHuddle({
    AZURE_STORAGE_CONNECTION_STRING: proxy.connectionString,
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_SCHEDULER_TICK_MS: '200',
  });
  await bot.post(personalInstall(manager, { serviceUrl: connector.serviceUrl }));
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await proxy?.close();
});

describe('a send whose claim was stored but whose answer was lost', () => {
  it('is still sent, once, instead of being reported "sent, not confirmed" to someone who got nothing', async () => {
    const staff = await seedStaff(bot.huddle.storage, connector.serviceUrl, 12);
    await bot.post(sendUpdateToEveryone(manager, { serviceUrl: connector.serviceUrl }));
    const [broadcast] = await until(
      () => bot.huddle.storage.broadcasts.list(TENANT),
      (found) => found[0]?.status === 'done',
    );
    expect(proxy.answersLost()).toBe(LOST);
    expect(broadcast?.figures).toMatchObject({ recipients: 13, sent: 13, unconfirmed: 0, failed: 0 });
    const cards = connector.messagesPerConversation();
    for (const carer of staff) expect(cards.get(conversationIdOf(carer))).toBe(1);
  });
});
