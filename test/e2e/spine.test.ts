import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import {
  channelMessage,
  executeAction,
  message,
  person,
  personalInstall,
  TENANT,
  teamInstall,
} from '../support/activities.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';

const carer = person(1, 'Grace Hughes');
const admin = person(2, 'Alex Wilber');
const newcomer = person(3, 'Tom Okafor');

let connector: RecordingConnector;
let bot: TestHuddle;
let where: { serviceUrl: string };

const cardIn = (activity: Record<string, unknown> | undefined) =>
  JSON.stringify((activity?.attachments as { content: unknown }[] | undefined)?.[0]?.content ?? {});
const textOf = (activity: Record<string, unknown> | undefined) => String(activity?.text ?? '');

/** Posts an activity and returns what the bot sent back to the connector because of it. */
async function say(activity: object, expectReplies = 1) {
  const before = connector.sent().length;
  const response = await bot.post(activity);
  expect(response.status).toBeLessThan(300);
  const sent = await connector.waitForSent(before + expectReplies);
  return { response, replies: sent.slice(before) };
}

beforeAll(async () => {
  connector = await startRecordingConnector([
    {
      id: carer.id,
      name: carer.name,
      aadObjectId: carer.aadObjectId,
      userPrincipalName: 'grace.hughes@oakview.example',
    },
    {
      id: admin.id,
      name: admin.name,
      aadObjectId: admin.aadObjectId,
      userPrincipalName: 'alexw@oakview.example',
    },
  ]);
  where = { serviceUrl: connector.serviceUrl };
  // The service's usual quiet hours, which people take when they install (the harness sets none).
  bot = await startTestHuddle({ HUDDLE_ADMINS: 'ALEXW@oakview.example', HUDDLE_QUIET_HOURS: '21:00-07:00' });
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

describe('installing Huddle in personal chat', () => {
  it('stores the member and their conversation, and sends the welcome card once', async () => {
    const { replies } = await say(personalInstall(carer, where));
    const welcome = cardIn(replies[0]);
    expect(welcome).toContain("Hello Grace, I'm Huddle");
    expect(welcome).toContain('groups of 5 people or more');
    expect(welcome).toContain('delete my data');

    const stored = await bot.huddle.storage.members.get(TENANT, carer.aadObjectId);
    expect(stored).toMatchObject({
      name: 'Grace Hughes',
      userPrincipalName: 'grace.hughes@oakview.example',
      personalInstalled: true,
      locale: 'en-GB',
    });
    expect(stored?.personalConversation).toMatchObject({
      conversation: { id: `a:personal-${carer.aadObjectId}` },
    });
    expect(stored?.welcomedAt).toBeDefined();

    const countBefore = connector.sent().length;
    expect((await bot.post(personalInstall(carer, where))).status).toBe(200);
    await new Promise((done) => setTimeout(done, 200));
    expect(connector.sent().length).toBe(countBefore);
  });

  it('sends one welcome when Teams reports the install twice at the same moment', async () => {
    const twin = person(4, 'Priya Patel');
    const before = connector.sent().length;
    const conversationUpdate = {
      ...personalInstall(twin, where),
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:huddle-bot' }],
    };
    const responses = await Promise.all([
      bot.post(personalInstall(twin, where)),
      bot.post(conversationUpdate),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    await new Promise((done) => setTimeout(done, 300));
    const welcomes = connector
      .sent()
      .slice(before)
      .filter((activity) => cardIn(activity).includes("I'm Huddle"));
    expect(welcomes).toHaveLength(1);
  });

  it('learns the time zone from the first message, since install events do not carry it', async () => {
    const nightNurse = person(5, 'Wiktoria Nowak');
    await say(personalInstall(nightNurse, where));
    expect((await bot.huddle.storage.members.get(TENANT, nightNurse.aadObjectId))?.timeZone).toBe(
      'Europe/London',
    );
    await say(message(nightNurse, 'help', { ...where, timeZone: 'Europe/Warsaw', locale: 'pl-PL' }));
    expect(await bot.huddle.storage.members.get(TENANT, nightNurse.aadObjectId)).toMatchObject({
      timeZone: 'Europe/Warsaw',
      locale: 'pl-PL',
    });
    await say(message(nightNurse, 'help', { ...where, timeZone: 'Mars/Olympus_Mons' }));
    expect((await bot.huddle.storage.members.get(TENANT, nightNurse.aadObjectId))?.timeZone).toBe(
      'Europe/Warsaw',
    );
  });

  it("takes a client's bare UTC (a machine with no zone set, as Agents Playground sends) as no zone: the service's", async () => {
    const agencyNurse = person(11, 'Grace Hughes');
    await say(personalInstall(agencyNurse, where));
    await say(message(agencyNurse, 'help', { ...where, timeZone: 'UTC' }));
    expect((await bot.huddle.storage.members.get(TENANT, agencyNurse.aadObjectId))?.timeZone).toBe(
      'Europe/London',
    );
    await say(message(agencyNurse, 'help', { ...where, timeZone: 'Europe/Dublin' }));
    await say(message(agencyNurse, 'help', { ...where, timeZone: 'Etc/UTC' }));
    expect((await bot.huddle.storage.members.get(TENANT, agencyNurse.aadObjectId))?.timeZone).toBe(
      'Europe/Dublin',
    );
  });

  it('marks the member as uninstalled on removal but keeps the record', async () => {
    await bot.post(personalInstall(newcomer, where));
    expect((await bot.post(personalInstall(newcomer, where, 'remove'))).status).toBe(200);
    const stored = await bot.huddle.storage.members.get(TENANT, newcomer.aadObjectId);
    expect(stored?.personalInstalled).toBe(false);
    expect(stored?.name).toBe('Tom Okafor');
  });

  it('records a team install with its reference and marks it inactive on removal', async () => {
    const team = { ...where, teamId: '19:oakview-team@thread.tacv2', teamName: 'Oak View staff' };
    expect((await bot.post(teamInstall(admin, team))).status).toBe(200);
    const installed = await bot.huddle.storage.installations.get(TENANT, team.teamId);
    expect(installed).toMatchObject({ scope: 'team', name: 'Oak View staff', active: true });

    const removal = {
      ...teamInstall(admin, team),
      membersAdded: undefined,
      membersRemoved: [{ id: '28:huddle-bot' }],
    };
    expect((await bot.post(removal)).status).toBe(200);
    const removed = await bot.huddle.storage.installations.get(TENANT, team.teamId);
    expect(removed).toMatchObject({ active: false, name: 'Oak View staff' });
    expect(removed?.removedAt).toBeDefined();
  });
});

describe('help and unknown input', () => {
  it('shows staff only the commands they may use', async () => {
    const { replies } = await say(message(carer, 'help', where));
    const card = cardIn(replies[0]);
    expect(card).toContain('my data');
    expect(card).toContain('delete my data');
    expect(card).not.toContain('grant');
    expect(card).toContain('"text":"For everyone"');
    expect(card).not.toContain('"text":"Admin"');
    expect(card).not.toContain('"text":"Managing a change"');
    // The common ones are buttons that send the command as if typed.
    expect(card).toContain('{"type":"imBack","value":"what\'s changing"}');
    expect(card).not.toContain('"value":"roles"');
  });

  it('shows an admin named by UPN in configuration the role commands too, under their own heading', async () => {
    await say(personalInstall(admin, where));
    const { replies } = await say(message(admin, 'help', where));
    const card = cardIn(replies[0]);
    expect(card).toContain('grant ‹role› to ‹name or email›');
    expect(card).toContain('Words in ‹angle brackets› are yours to fill in.');
    const headings = ['For everyone', 'Admin'].map((heading) => card.indexOf(`"text":"${heading}"`));
    expect(headings[0]).toBeGreaterThan(-1);
    expect(headings[1]).toBeGreaterThan(headings[0] ?? 0);
    expect(card.indexOf('grant ‹role›')).toBeGreaterThan(headings[1] ?? 0);
    expect(card).toContain('{"type":"imBack","value":"roles"}');
  });

  it('answers a mistyped command with a button for it, never silence', async () => {
    const { replies } = await say(message(carer, 'hepl', where));
    const card = cardIn(replies[0]);
    expect(card).toContain('Did you mean **help**?');
    expect(card).toContain('{"type":"imBack","value":"help"}');
    expect(card).not.toContain("didn't understand");
  });

  it('refuses admin commands from staff politely', async () => {
    const { replies } = await say(message(carer, 'grant manager to Tom Okafor', where));
    expect(textOf(replies[0])).toContain('only someone with the Admin role can do that');
    expect((await bot.huddle.storage.members.get(TENANT, newcomer.aadObjectId))?.roles).toEqual([]);
  });
});

describe('roles through the bot', () => {
  it('lets an admin grant and revoke a role by name', async () => {
    const granted = await say(message(admin, 'grant safeguarding lead to Tom', where));
    expect(textOf(granted.replies[0])).toContain('Tom Okafor now has the Safeguarding lead role');
    expect((await bot.huddle.storage.members.get(TENANT, newcomer.aadObjectId))?.roles).toEqual([
      'safeguardingLead',
    ]);

    const listed = await say(message(admin, 'roles', where));
    expect(cardIn(listed.replies[0])).toContain('Tom Okafor');

    const revoked = await say(message(admin, 'revoke dsl from Tom Okafor', where));
    expect(textOf(revoked.replies[0])).toContain('no longer has the Safeguarding lead role');
    expect((await bot.huddle.storage.members.get(TENANT, newcomer.aadObjectId))?.roles).toEqual([]);
  });

  it('shows angle brackets in a typed name in the reply rather than letting Teams drop them as a tag', async () => {
    const nightLead = person(8, 'Sam <Nights> Ward');
    await say(personalInstall(nightLead, where));
    const { replies } = await say(message(admin, 'grant manager to Sam', where));
    expect(textOf(replies[0])).toContain('Sam ‹Nights› Ward now has the Manager role');
  });

  it('will not remove a role that comes from configuration', async () => {
    const { replies } = await say(message(admin, 'revoke admin from alexw@oakview.example', where));
    expect(textOf(replies[0])).toContain("from Huddle's configuration");
  });
});

describe('privacy in shared chats', () => {
  it('will not show someone their data in a team channel, where the whole team would read it', async () => {
    const team = { ...where, teamId: '19:oakview-team@thread.tacv2' };
    const { replies } = await say(channelMessage(carer, 'my data', team));
    expect(textOf(replies[0])).toContain('only do that in our personal chat');
    expect(replies[0]?.attachments).toBeUndefined();
  });

  it('answers words it does not understand in a team channel with help and any near command a button away', async () => {
    const team = { ...where, teamId: '19:oakview-team@thread.tacv2' };
    const buttonsOf = (card: string) => [...card.matchAll(/"imBack","value":"([^"]*)"/g)].map((m) => m[1]);
    // "hlep pls" may be someone asking for help with something; "my data" only works in the personal chat.
    for (const words of ['what time is handover today?', 'hlep pls', 'my dat']) {
      const card = cardIn((await say(channelMessage(admin, words, team))).replies[0]);
      expect({ words, sorry: card.includes("Sorry, I didn't understand that.") }).toEqual({
        words,
        sorry: true,
      });
      expect({ words, buttons: buttonsOf(card) }).toEqual({ words, buttons: ['help'] });
    }
    const typo = cardIn((await say(channelMessage(admin, 'hlep', team))).replies[0]);
    expect(typo).toContain('Did you mean **help**?');
    expect(buttonsOf(typo)).toEqual(['help']);
  });

  it('answers help in a team channel with the commands that work there', async () => {
    const team = { ...where, teamId: '19:oakview-team@thread.tacv2' };
    const { replies } = await say(channelMessage(admin, 'help', team));
    const card = cardIn(replies[0]);
    expect(card).toContain('Show this list');
    expect(card).not.toContain('my data');
    expect(card).not.toContain('grant');
  });
});

describe('my data', () => {
  it('shows what Huddle holds about the person', async () => {
    const { replies } = await say(message(carer, 'my data', where));
    const card = cardIn(replies[0]);
    expect(card).toContain('Grace Hughes');
    expect(card).toContain('grace.hughes@oakview.example');
    expect(card).toContain('Europe/London');
    expect(card).toContain('21:00 to 07:00');
  });

  it('deletes it only after confirmation, updating the card in place', async () => {
    const { replies } = await say(message(carer, 'delete my data', where));
    expect(cardIn(replies[0])).toContain(VERBS.deleteMyDataConfirm);

    const cancelled = await bot.post(executeAction(carer, VERBS.deleteMyDataCancel, where));
    expect(JSON.stringify(cancelled.body)).toContain('Nothing was deleted');
    expect(await bot.huddle.storage.members.get(TENANT, carer.aadObjectId)).toBeDefined();

    const confirmed = await bot.post(executeAction(carer, VERBS.deleteMyDataConfirm, where));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
    });
    expect(JSON.stringify(confirmed.body)).toContain('Huddle has deleted what it held about you');
    expect(await bot.huddle.storage.members.get(TENANT, carer.aadObjectId)).toBeUndefined();

    const after = await say(message(carer, 'my data', where));
    expect(textOf(after.replies[0])).toContain('holds nothing that identifies you');
  });

  it('lets someone who deleted their data start again', async () => {
    const { replies } = await say(message(carer, 'start', where));
    expect(cardIn(replies[0])).toContain("Hello Grace, I'm Huddle");
    expect((await bot.huddle.storage.members.get(TENANT, carer.aadObjectId))?.personalInstalled).toBe(true);
    const again = await say(message(carer, 'start', where));
    expect(textOf(again.replies[0])).toContain('Welcome back, Grace Hughes');
  });
});

describe('bad requests', () => {
  it('rejects malformed JSON with 400 and no stack trace', async () => {
    const response = await bot.post('{"type": "message",');
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(js|ts)|SyntaxError/);
  });

  it('rejects an activity without a type with 400', async () => {
    const { type: _ignored, ...untyped } = message(carer, 'help', where);
    const response = await bot.post(untyped);
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_activity' } });
  });

  it('rejects a body over the limit with 413', async () => {
    const huge = message(carer, 'x'.repeat(300_000), where);
    expect((await bot.post(huge)).status).toBe(413);
  });
});

describe('tenant allow-list', () => {
  it('refuses activities from other tenants and stores nothing', async () => {
    const guarded = await startTestHuddle({ HUDDLE_ALLOWED_TENANTS: TENANT });
    try {
      const outsider = person(9, 'Someone Else');
      const response = await guarded.post(personalInstall(outsider, { ...where, tenantId: 'other-tenant' }));
      expect(response).toMatchObject({ status: 403, body: { error: 'tenant_not_allowed' } });
      expect(await guarded.huddle.storage.members.get('other-tenant', outsider.aadObjectId)).toBeUndefined();
      expect((await guarded.post(personalInstall(outsider, where))).status).toBe(200);
    } finally {
      await guarded.stop();
    }
  });
});

describe('request timeout', () => {
  it('answers 503 instead of hanging when a turn waits on an unresponsive Teams service', async () => {
    const slowTeams = await startRecordingConnector([], { rosterDelayMs: 3_000 });
    const impatient = await startTestHuddle({ HUDDLE_REQUEST_TIMEOUT_MS: '1000' });
    try {
      const started = Date.now();
      const response = await impatient.post(
        personalInstall(person(7, 'Slow Install'), { serviceUrl: slowTeams.serviceUrl }),
      );
      expect(response).toEqual({ status: 503, body: { error: 'timeout' } });
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      await impatient.stop();
      await slowTeams.close();
    }
  });
});

describe('authentication', () => {
  it('answers 401 without a token or with a bad one when an app id is set', async () => {
    const secured = await startTestHuddle({
      MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppTenantId: TENANT,
      HUDDLE_ANSWER_KEY: 'test-answer-key-0123456789-0123456789',
    });
    try {
      const activity = message(carer, 'help', where);
      expect(await secured.post(activity)).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      const garbage = await secured.post(activity, { authorization: 'Bearer not.a.jwt' });
      expect(garbage).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    } finally {
      await secured.stop();
    }
  });
});

describe('an admin configured by email who deletes their data', () => {
  it('is an admin again after typing start, because the roster supplies their email once more', async () => {
    await say(message(admin, 'delete my data', where));
    await bot.post(executeAction(admin, VERBS.deleteMyDataConfirm, where));
    expect(await bot.huddle.storage.members.get(TENANT, admin.aadObjectId)).toBeUndefined();

    await say(message(admin, 'start', where));
    expect((await bot.huddle.storage.members.get(TENANT, admin.aadObjectId))?.userPrincipalName).toBe(
      'alexw@oakview.example',
    );
    const { replies } = await say(message(admin, 'help', where));
    expect(cardIn(replies[0])).toContain('grant ‹role› to ‹name or email›');
  });
});
