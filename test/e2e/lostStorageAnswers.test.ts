import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enqueueBroadcast, inPersonalChats, queueRecipients } from '../../src/delivery/outbox.js';
import type { Broadcast, Delivery } from '../../src/domain/broadcasts/broadcast.js';
import type { Member } from '../../src/domain/people/member.js';
import {
  type Person,
  person,
  personalInstall,
  sendUpdateToEveryone,
  TENANT,
  teamInstall,
} from '../support/activities.js';
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

describe('people whose personal chats are not open yet', () => {
  const team = { teamId: '19:oakview@thread.tacv2', teamName: 'Oak View' };
  const carers = Array.from({ length: 22 }, (_, i) => person(8000 + i, `Night carer ${i + 1}`));
  let inTeam: Member[];

  beforeAll(async () => {
    connector.setTeam(
      team.teamId,
      carers.map((who) => ({ ...who, userPrincipalName: `${who.aadObjectId}@oakview.example` })),
    );
    await bot.post(teamInstall(manager, { ...team, serviceUrl: connector.serviceUrl }));
    inTeam = await until(
      async () =>
        (await bot.huddle.storage.members.list(TENANT)).filter((member) =>
          member.teamIds?.includes(team.teamId),
        ),
      (members) => members.length === carers.length,
    );
  });

  const memberOf = (who: Person) => inTeam.find((member) => member.aadObjectId === who.aadObjectId) as Member;

  /** A plain update to `people`, its rows written and its work items queued as the scheduler would. */
  async function startSending(id: string, people: readonly Person[]): Promise<Broadcast> {
    const now = new Date().toISOString();
    const broadcast: Broadcast = {
      tenantId: TENANT,
      id,
      content: { headline: 'Night rota', message: 'The night rota for December is on the office door.' },
      audience: { kind: 'all' },
      urgent: false,
      sendAt: now,
      status: 'sending',
      createdBy: { aadObjectId: manager.aadObjectId, name: manager.name, locale: 'en-GB', timeZone: 'UTC' },
      recipients: people.length,
      createdAt: now,
      updatedAt: now,
    };
    await bot.huddle.storage.broadcasts.create(broadcast);
    return broadcast;
  }

  const finished = (broadcast: Broadcast) =>
    until(
      () => bot.huddle.storage.broadcasts.get(TENANT, broadcast.id),
      (found) => found?.status === 'done',
      30_000,
    );

  const openingsOf = (who: Person) =>
    connector.calls.filter(
      (call) =>
        call.path === '/v3/conversations' &&
        (call.body.members as { id?: string }[] | undefined)?.[0]?.id === who.id,
    );

  it('queued twice (their work item back after a slow storage answer), each has their chat opened once, by whichever sender claimed them, and gets one card', async () => {
    const people = carers.slice(0, 20);
    const { storage } = bot.huddle;
    const broadcast = await startSending('night-rota', people);
    const recipients = inPersonalChats(people.map(memberOf));
    await enqueueBroadcast(storage, broadcast, recipients);
    await queueRecipients(
      storage.queue,
      TENANT,
      broadcast.id,
      recipients.map((recipient) => recipient.id),
    );

    expect((await finished(broadcast))?.figures).toMatchObject({
      recipients: 20,
      sent: 20,
      unconfirmed: 0,
      failed: 0,
    });
    const cards = connector.messagesPerConversation();
    for (const carer of people) {
      expect(openingsOf(carer)).toHaveLength(1);
      expect(cards.get(openedChatId(carer.id))).toBe(1);
    }
  }, 40_000);

  it('claimed by a sender that died before opening their chat, they are sent to once its claim runs out, not reported "sent, not confirmed"', async () => {
    const [diedLongAgo, diedJustNow] = carers.slice(20) as [Person, Person];
    const { storage } = bot.huddle;
    const broadcast = await startSending('handover-times', [diedLongAgo, diedJustNow]);
    const heldUntil = Date.now() + 2_000;
    const claimedByTheDead = (who: Person, claimedUntil: number): Delivery => {
      const member = memberOf(who);
      return {
        broadcastId: broadcast.id,
        tenantId: TENANT,
        memberId: member.aadObjectId,
        status: 'pending',
        attempts: 0,
        locale: member.locale,
        timeZone: member.timeZone,
        quietHours: member.quietHours,
        claimedBy: 'a-sender-that-died#1',
        claimedUntil: new Date(claimedUntil).toISOString(),
      };
    };
    await storage.deliveries.createMissing([
      claimedByTheDead(diedLongAgo, Date.now() - 60_000),
      claimedByTheDead(diedJustNow, heldUntil),
    ]);
    await queueRecipients(storage.queue, TENANT, broadcast.id, [
      diedLongAgo.aadObjectId,
      diedJustNow.aadObjectId,
    ]);

    expect((await finished(broadcast))?.figures).toMatchObject({ recipients: 2, sent: 2, unconfirmed: 0 });
    const cards = connector.messagesPerConversation();
    for (const carer of [diedLongAgo, diedJustNow]) {
      expect(openingsOf(carer)).toHaveLength(1);
      expect(cards.get(openedChatId(carer.id))).toBe(1);
    }
    // A claim still held is waited out, not ignored.
    expect(openingsOf(diedJustNow)[0]?.at).toBeGreaterThanOrEqual(heldUntil);
  }, 40_000);
});
