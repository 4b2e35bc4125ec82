import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { type EmbeddedStorage, startAzurite } from '../../src/storage/azurite.js';
import {
  executeAction,
  feedbackForm,
  type Person,
  person,
  personalInstall,
  TENANT,
} from '../support/activities.js';
import { actionsIn, buttonData, type Chat, chat } from '../support/chat.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

/**
 * Storage taken away mid-flow and given back (Azurite stopped and started again on the same ports and
 * the same files): people are told plainly that nothing was saved, a disclosure still gets the
 * safeguarding procedure at once, `/readyz` says so, and work in flight finishes once storage is back
 * without anyone being messaged twice. Nothing is restarted by hand but storage itself.
 */
const manager = person(2, 'Alex Wilber');
const newcomer = person(3, 'Lynne Robbins');
const PROCEDURE = 'Oak View procedure: tell the nurse in charge, then ring the DSL on 0117 496 0000.';
const CONTACTS = 'DSL: Priya Shah, 0117 496 0001. Registered manager: Tom Reed, 0117 496 0002.';
const NOT_SAVED = 'nothing was changed';
const HEADLINE = 'New medication round times';

let dataDir: string;
let azurite: EmbeddedStorage;
let connector: RecordingConnector;
let bot: TestHuddle;
let press: Chat['press'];
let say: Chat['say'];
let pulseStaff: Person[];
const where = () => ({ serviceUrl: connector.serviceUrl });

const startStorage = () =>
  startAzurite({ dataDir, logFile: 'test-output/azurite-outage.log', ports: azurite?.ports });

/** Stops storage, runs `during` while it is down, then starts it again on the same ports and files. */
async function outage<T>(during: () => Promise<T>): Promise<T> {
  await azurite.stop();
  try {
    return await during();
  } finally {
    azurite = await startStorage();
  }
}

const readiness = async () => (await fetch(`${bot.url}/readyz`)).status;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'huddle-outage-'));
  azurite = await startStorage();
  connector = await startRecordingConnector([], { tenantRate: 50 });
  bot = await startTestHuddle({
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_SCHEDULER_TICK_MS: '200',
    HUDDLE_SAFEGUARDING_PROCEDURE: PROCEDURE,
    HUDDLE_SAFEGUARDING_CONTACTS: CONTACTS,
  });
  ({ press, say } = chat(bot, connector));
  expect((await bot.post(personalInstall(manager, where()))).status).toBe(200);
  pulseStaff = await seedStaff(bot.huddle.storage, connector.serviceUrl, 3, {
    first: 3000,
    groups: () => ({ unit: 'Willow' }),
  });
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await azurite?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('readiness', () => {
  it('answers 503 while storage is down and 200 once it is back, with no restart', async () => {
    expect(await readiness()).toBe(200);
    const answeredIn = await outage(async () => {
      const asked = Date.now();
      expect(await readiness()).toBe(503);
      return Date.now() - asked;
    });
    // A load balancer's probe gives up after a few seconds; the answer must come before that.
    expect(answeredIn).toBeLessThan(3_000);
    await until(readiness, (status) => status === 200);
  }, 60_000);
});

describe('an install while storage is down', () => {
  it('tells the person nothing was saved and how to try again, and `start` welcomes them once storage is back', async () => {
    const before = connector.sent().length;
    const told = await outage(async () => {
      expect((await bot.post(personalInstall(newcomer, where()))).status).toBe(200);
      return JSON.stringify((await connector.waitForSent(before + 1, 30_000)).slice(before));
    });
    expect(told).toContain(NOT_SAVED);
    expect(told).toContain('**start**');
    expect(told).not.toContain("I'm Huddle");
    expect(await bot.huddle.storage.members.get(TENANT, newcomer.aadObjectId)).toBeUndefined();
    await until(readiness, (status) => status === 200);
    expect(await say(newcomer, 'start')).toContain("Hello Lynne, I'm Huddle");
  }, 60_000);
});

describe('a pulse answer while storage is down', () => {
  it('is told it was not saved, with no thanks, and the same answer is saved when sent again', async () => {
    expect(
      await press(manager, VERBS.pulseConfirm, {
        title: 'How are the new tablets?',
        initiativeId: '',
        template: 'wellbeing',
        audience: 'unit:Willow',
        opens: 'now',
        closeDate: new Date(Date.now() + 4 * 86_400_000).toISOString().slice(0, 10),
        closeTime: '12:00',
        cadence: 'once',
        anonymity: 'anonymous',
        itemIds: 'mood',
      }),
    ).toContain('Stop this pulse');
    const [who] = pulseStaff as [Person];
    const step = await until(
      async () => buttonData(connector, conversationIdOf(who), VERBS.pulseStep),
      (found) => found !== undefined,
    );
    const { pulseId = '', round = '', token = '', groups = '', zone = '' } = step ?? {};
    const answer = { pulseId, round, token, groups, zone, q_mood: '4' };
    const refused = await outage(() => press(who, VERBS.pulseSubmit, answer));
    expect(refused).toContain(NOT_SAVED);
    expect(refused).toContain('try again');
    expect(refused).not.toContain('Thanks');
    await until(readiness, (status) => status === 200);
    expect(await press(who, VERBS.pulseSubmit, answer)).toContain('Thanks, your answers are saved.');
  }, 90_000);
});

describe('a comment with the harm box ticked while storage is down', () => {
  it('shows the safeguarding procedure and contacts at once, says it was not saved, and thanks nobody', async () => {
    const [writer] = pulseStaff as [Person];
    const before = connector.sent().length;
    const answer = await outage(() =>
      press(
        writer,
        VERBS.feedbackSubmit,
        feedbackForm('The night carer on Willow hits Mrs Jones when she will not settle', {
          purpose: 'harm',
          harm: 'true',
        }),
      ),
    );
    // The answer beside the form, which keeps the words to send again; the procedure is already in the chat.
    expect(answer).toContain('Not saved');
    expect(answer).toContain('try again');
    const chatSince = JSON.stringify(connector.sent().slice(before));
    expect(chatSince).toContain(conversationIdOf(writer));
    expect(chatSince).toContain(PROCEDURE);
    expect(chatSince).toContain(CONTACTS);
    expect(chatSince).toContain('could not be saved');
    expect(`${answer}${chatSince}`).not.toMatch(/thank/i);
  }, 60_000);
});

describe('a disclosure typed in the chat while storage is down', () => {
  it('is offered back with the safeguarding procedure and contacts first, and its harm button repeats them', async () => {
    const [, writer] = pulseStaff as [Person, Person];
    const { offer, answer, chatAfter } = await outage(async () => {
      // The typing indicator, then the offer.
      const offer = await say(
        writer,
        'Night staff leave Mr Patel in wet pads until the morning and he is being hurt',
        2,
      );
      const harmed = actionsIn(JSON.parse(offer), VERBS.feedbackOpen).find(
        (button) => button.data.harm === 'true',
      );
      const before = connector.sent().length;
      const answer = await press(writer, VERBS.feedbackOpen, harmed?.data);
      return { offer, answer, chatAfter: JSON.stringify(connector.sent().slice(before)) };
    });
    expect(offer).toContain('It sounds like someone may be at risk');
    expect(offer).toContain(PROCEDURE);
    expect(offer).toContain(CONTACTS);
    expect(offer).not.toContain(NOT_SAVED);
    expect(answer).toContain('Not saved');
    expect(chatAfter).toContain(PROCEDURE);
    expect(chatAfter).toContain(CONTACTS);
  }, 60_000);
});

describe('stopping while storage is down', () => {
  it('takes seconds, not the minute the scheduler, send worker and lease would wait for storage', async () => {
    const other = await startTestHuddle({
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      HUDDLE_SCHEDULER_TICK_MS: '200',
    });
    const took = await outage(async () => {
      // Long enough for the scheduler, the send worker and the heartbeat each to be waiting on storage.
      await new Promise((wait) => setTimeout(wait, 1_500));
      const started = Date.now();
      await other.stop();
      return Date.now() - started;
    });
    expect(took).toBeLessThan(8_000);
  }, 120_000);
});

describe('a broadcast to 500 while storage goes down and comes back', () => {
  it('finishes once storage is back, and nobody gets it twice', async () => {
    const staff = await seedStaff(bot.huddle.storage, connector.serviceUrl, 500, {
      groups: () => ({ unit: 'Rowan' }),
    });
    const received = () => {
      const counts = new Map<string, number>();
      for (const call of connector.calls) {
        if (call.method !== 'POST' || call.status >= 300 || !JSON.stringify(call.body).includes(HEADLINE))
          continue;
        counts.set(call.conversationId, (counts.get(call.conversationId) ?? 0) + 1);
      }
      return counts;
    };
    const confirm = {
      ...executeAction(manager, VERBS.broadcastConfirm, where(), {
        headline: HEADLINE,
        message: 'From Monday the lunchtime round starts at 12:30.',
        audience: 'unit:Rowan',
        when: 'now',
        urgent: 'false',
      }),
      replyToId: 'progress-card',
    };
    expect((await bot.post(confirm)).status).toBe(200);
    await until(
      async () => received().size,
      (size) => size >= 100,
      30_000,
    );
    const duringOutage = await outage(async () => {
      await new Promise((wait) => setTimeout(wait, 5_000));
      return received().size;
    });
    // Storage went away mid-broadcast: some had it, the rest waited for storage to come back.
    expect(duringOutage).toBeLessThan(staff.length);
    const done = await until(
      async () =>
        (await bot.huddle.storage.broadcasts.list(TENANT)).find((one) => one.content.headline === HEADLINE),
      (broadcast) => broadcast?.status === 'done',
      90_000,
    );
    const counts = received();
    const twice = staff.filter((who) => (counts.get(conversationIdOf(who)) ?? 0) > 1);
    const never = staff.filter((who) => !counts.has(conversationIdOf(who)));
    expect(twice.map((who) => who.name)).toEqual([]);
    expect(never.map((who) => who.name)).toEqual([]);
    expect(done?.figures).toBeDefined();
  }, 180_000);
});
