import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enqueueBroadcast, inPersonalChats, queueRecipients } from '../../src/delivery/outbox.js';
import type { Broadcast } from '../../src/domain/broadcasts/broadcast.js';
import { person, personalInstall, sendUpdateToEveryone, TENANT, teamInstall } from '../support/activities.js';
import { type CountingProxy, startCountingProxy } from '../support/countingProxy.js';
import {
  openedChatId,
  type RecordingConnector,
  startRecordingConnector,
} from '../support/recordingConnector.js';
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

describe('a person whose chat is not open yet, queued twice (their item back after a slow storage answer)', () => {
  it('has their chat opened once, by whichever sender claimed them, and gets one card', async () => {
    const team = {
      serviceUrl: connector.serviceUrl,
      teamId: '19:oakview@thread.tacv2',
      teamName: 'Oak View',
    };
    const carers = Array.from({ length: 20 }, (_, i) => person(8000 + i, `Night carer ${i + 1}`));
    connector.setTeam(
      team.teamId,
      carers.map((who) => ({ ...who, userPrincipalName: `${who.aadObjectId}@oakview.example` })),
    );
    await bot.post(teamInstall(manager, team));
    const { storage } = bot.huddle;
    const inTeam = await until(
      async () =>
        (await storage.members.list(TENANT)).filter((member) => member.teamIds?.includes(team.teamId)),
      (members) => members.length === carers.length,
    );
    const now = new Date().toISOString();
    const broadcast: Broadcast = {
      tenantId: TENANT,
      id: 'night-rota',
      content: { headline: 'Night rota', message: 'The night rota for December is on the office door.' },
      audience: { kind: 'all' },
      urgent: false,
      sendAt: now,
      status: 'sending',
      createdBy: { aadObjectId: manager.aadObjectId, name: manager.name, locale: 'en-GB', timeZone: 'UTC' },
      recipients: carers.length,
      createdAt: now,
      updatedAt: now,
    };
    await storage.broadcasts.create(broadcast);
    const recipients = inPersonalChats(inTeam);
    await enqueueBroadcast(storage, broadcast, recipients);
    // The same people again, as when their work item reappears while the first take is still at work.
    await queueRecipients(
      storage.queue,
      TENANT,
      broadcast.id,
      recipients.map((recipient) => recipient.id),
    );

    const finished = await until(
      () => storage.broadcasts.get(TENANT, broadcast.id),
      (found) => found?.status === 'done',
      30_000,
    );
    expect(finished?.figures).toMatchObject({ recipients: 20, sent: 20, unconfirmed: 0, failed: 0 });
    const opened = connector.chatsOpened();
    const cards = connector.messagesPerConversation();
    for (const carer of carers) {
      expect(opened.get(carer.id)).toBe(1);
      expect(cards.get(openedChatId(carer.id))).toBe(1);
    }
  }, 40_000);
});
