import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { startAzurite } from '../../src/storage/azurite.js';
import {
  executeAction,
  feedbackForm,
  message,
  person,
  personalInstall,
  TENANT,
} from '../support/activities.js';
import { halfSent, rawPost } from '../support/rawHttp.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { forgedTokens, startTokenService, type TokenService } from '../support/tokenService.js';
import { until } from '../support/until.js';

const carer = person(1, 'Grace Hughes');
const APP_ID = '11111111-2222-3333-4444-555555555555';
const authenticated = (tokenService: string) => ({
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: 'not-a-real-secret',
  MicrosoftAppType: 'MultiTenant',
  HUDDLE_ANSWER_KEY: 'test-answer-key-0123456789-0123456789',
  HUDDLE_TOKEN_SERVICE: tokenService,
});

let connector: RecordingConnector;
let bot: TestHuddle;
let where: { serviceUrl: string };
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  connector = await startRecordingConnector();
  where = { serviceUrl: connector.serviceUrl };
  bot = await startTestHuddle();
  expect((await bot.post(personalInstall(carer, where))).status).toBe(200);
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

/**
 * `help` still gets its answer: the server is up and serving turns. The answer is the reply to this very
 * message, so what other tests running alongside send through the same connector cannot stand in for it.
 */
async function stillServes(huddle: TestHuddle = bot) {
  const help = message(carer, 'help', where);
  expect((await huddle.post(help)).status).toBe(200);
  await until(
    async () => connector.sent().some((sent) => sent.replyToId === help.id),
    (answered) => answered,
    5_000,
  );
}

describe('what a web page in the manager’s browser can send to local mode', () => {
  it('is refused: other content types, an Origin, a Host that is not loopback, a serviceUrl off loopback', async () => {
    const comments = JSON.stringify(message(carer, 'comments', where));
    const host = new URL(bot.url).host;
    const before = connector.sent().length;
    expect(await rawPost(bot.url, { 'content-type': 'text/plain' }, comments)).toMatchObject({ status: 415 });
    expect(await rawPost(bot.url, { ...json, origin: 'https://evil.example' }, comments)).toMatchObject({
      status: 403,
      body: expect.stringContaining('origin_refused'),
    });
    expect(
      await rawPost(bot.url, { ...json, host: `evil.example:${new URL(bot.url).port}` }, comments),
    ).toMatchObject({
      status: 403,
      body: expect.stringContaining('host_refused'),
    });
    expect(await rawPost(bot.url, { ...json, host: 'localhost:1' }, comments)).toMatchObject({ status: 403 });
    const elsewhere = message(carer, 'comments', { serviceUrl: 'https://evil.example/' });
    expect(await bot.post(elsewhere)).toMatchObject({ status: 400, body: { error: 'service_url_refused' } });
    // Nothing was answered anywhere, and the loopback Host the Playground uses still works.
    expect(connector.sent().length).toBe(before);
    expect(
      await rawPost(bot.url, { ...json, host }, JSON.stringify(message(carer, 'help', where))),
    ).toMatchObject({
      status: 200,
    });
  });
});

describe('activities Teams would never send', () => {
  it('are refused at once with 400 when serviceUrl, from, conversation or recipient is missing', async () => {
    const whole = message(carer, 'help', where);
    for (const part of ['serviceUrl', 'from', 'conversation', 'recipient'] as const) {
      const { [part]: _left, ...rest } = whole;
      const started = Date.now();
      const answer = await bot.post(rest);
      expect(answer, part).toMatchObject({ status: 400, body: { error: 'invalid_activity' } });
      expect(JSON.stringify(answer.body)).toContain(part);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  });

  it('are refused when the two places that name the tenant disagree, even if one is allowed', async () => {
    const allowList = await startTestHuddle({ HUDDLE_ALLOWED_TENANTS: TENANT });
    try {
      const mixed = message(carer, 'help', where);
      const other = { ...mixed, conversation: { ...mixed.conversation, tenantId: 'another-tenant' } };
      expect(await allowList.post(other)).toMatchObject({ status: 400, body: { error: 'invalid_activity' } });
      const swapped = { ...mixed, channelData: { tenant: { id: 'another-tenant' } } };
      expect(await allowList.post(swapped)).toMatchObject({ status: 400 });
      await stillServes(allowList);
    } finally {
      await allowList.stop();
    }
  });

  it('a card button Huddle does not know, or an invoke it does not use, gets a plain refusal, not 501', async () => {
    const unknown = await bot.post(executeAction(carer, 'no.such.verb', where, {}));
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({
      type: 'application/vnd.microsoft.activity.message',
      value: expect.stringContaining('out of date'),
    });
    const submit = executeAction(carer, VERBS.feedbackSubmit, where, {});
    const asSubmit = { ...submit, value: { action: { type: 'Action.Submit', data: {} } } };
    expect((await bot.post(asSubmit)).status).toBe(200);
    const noValue = { ...submit, value: undefined };
    expect((await bot.post(noValue)).status).toBe(200);
    const other = { ...submit, name: 'composeExtension/query' };
    expect(await bot.post(other)).toMatchObject({ status: 400, body: { error: 'unsupported_invoke' } });
  });
});

// The next three each wait on something slow of their own (a refused reply, the 10 s header and body
// timeouts, storage retries while it is down) and share nothing they assert on, so they run side by side.
describe.concurrent('a reply Teams will not take', () => {
  it('is not followed by an apology that Teams would refuse the same way', async () => {
    const busy = person(9, 'Sam Busy');
    // Teams answers everything sent to this person's chat with 429, and no Retry-After (not retried).
    const refusing = await startRecordingConnector([], { faults: [{ ids: [9], fault: { status: 429 } }] });
    const teamsBusy = await startTestHuddle();
    try {
      const answer = await teamsBusy.post(message(busy, 'help', { serviceUrl: refusing.serviceUrl }));
      expect(answer.status).toBe(200);
      const attempts = refusing.calls.filter((call) => call.method === 'POST');
      expect(attempts).toHaveLength(1);
    } finally {
      await teamsBusy.stop();
      await refusing.close();
    }
  });
});

describe.concurrent('a request that never finishes', () => {
  it('loses its connection after the header or body timeout, with 408, while other turns are served', async () => {
    const port = new URL(bot.url).port;
    const [headers, body] = await Promise.all([
      halfSent(
        bot.url,
        `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n`,
      ),
      halfSent(
        bot.url,
        `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"type":`,
      ),
      stillServes(),
    ]);
    for (const held of [headers, body]) {
      expect(held.statusLine).toContain('408');
      expect(held.heldMs).toBeLessThan(13_000);
    }
  }, 30_000);
});

describe.concurrent('a card action while storage is down', () => {
  it('answers 200 with a message beside the card saying nothing was saved, not 501', async () => {
    const storage = await startAzurite({ dataDir: undefined, logFile: 'test-output/azurite-outage.log' });
    // No scheduler or send workers: with storage gone they would wait on it, and the turn is what is tested.
    const outage = await startTestHuddle({
      AZURE_STORAGE_CONNECTION_STRING: storage.connectionString,
      HUDDLE_SENDING: 'false',
    });
    try {
      expect((await outage.post(personalInstall(carer, where))).status).toBe(200);
      await storage.stop();
      const started = Date.now();
      const answer = await outage.post(
        executeAction(carer, VERBS.feedbackSubmit, where, feedbackForm('The rota is late')),
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        type: 'application/vnd.microsoft.activity.message',
        value: expect.stringContaining('nothing was changed'),
      });
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await outage.stop();
    }
  }, 40_000);
});

describe('authenticated mode', () => {
  let tokens: TokenService;
  let secured: TestHuddle;

  beforeAll(async () => {
    tokens = await startTokenService();
    secured = await startTestHuddle(authenticated(tokens.setting));
  });
  afterAll(async () => {
    await secured?.stop();
    await tokens?.close();
  });

  const invoke = () => executeAction(carer, 'no.such.verb', where, {});
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('takes a token Teams signed for this serviceUrl, and refuses one issued for another serviceUrl', async () => {
    expect((await secured.post(invoke(), bearer(tokens.token(APP_ID, where.serviceUrl)))).status).toBe(200);
    const elsewhere = tokens.token(APP_ID, 'https://evil.example/');
    expect(await secured.post(invoke(), bearer(elsewhere))).toMatchObject({ status: 401 });
    const noClaim = tokens.token(APP_ID, where.serviceUrl, { serviceurl: undefined });
    expect(await secured.post(invoke(), bearer(noClaim))).toMatchObject({ status: 401 });
    const otherApp = tokens.token('another-app', where.serviceUrl);
    expect(await secured.post(invoke(), bearer(otherApp))).toMatchObject({ status: 401 });
  });

  it('answers forged tokens with 401, never 500', async () => {
    for (const [kind, token] of Object.entries(forgedTokens(APP_ID, where.serviceUrl))) {
      expect(await secured.post(invoke(), bearer(token)), kind).toMatchObject({
        status: 401,
        body: { error: 'unauthorized' },
      });
    }
  });

  it('answers 503 when the key service cannot be reached, and 401 for what is refused before asking it', async () => {
    const down = await startTokenService();
    await down.close();
    const unreachable = await startTestHuddle(authenticated(down.setting));
    try {
      const forged = forgedTokens(APP_ID, where.serviceUrl);
      expect(await unreachable.post(invoke(), bearer(forged.selfSigned ?? ''))).toMatchObject({
        status: 503,
        body: { error: 'authentication_unavailable' },
      });
      for (const kind of ['algNone', 'hs256', 'expired']) {
        expect(await unreachable.post(invoke(), bearer(forged[kind] ?? '')), kind).toMatchObject({
          status: 401,
        });
      }
    } finally {
      await unreachable.stop();
    }
  });
});

describe('a form pressed twice', () => {
  const lead = person(7, 'Lynne Robbins');
  let guarded: TestHuddle;

  beforeAll(async () => {
    guarded = await startTestHuddle({
      HUDDLE_SAFEGUARDING_LEADS: lead.aadObjectId,
      HUDDLE_QUIET_HOURS: '00:00-00:00',
    });
    for (const who of [carer, lead])
      expect((await guarded.post(personalInstall(who, where))).status).toBe(200);
  });
  afterAll(async () => guarded?.stop());

  const stored = async (text: string) =>
    (await guarded.huddle.storage.comments.recent(TENANT, '2000-01-01')).filter(
      (comment) => comment.text === text,
    );
  const alertsToLead = () =>
    connector
      .sent()
      .filter((sent) => JSON.stringify(sent).includes(`personal-${lead.aadObjectId}`))
      .filter((sent) => JSON.stringify(sent).includes('Safeguarding alert'));

  it('stores a disclosure once and alerts the lead once when Teams retries it and the thumb taps again', async () => {
    const text = 'I saw a carer push Mrs Khan into her chair and she cried.';
    const press = {
      ...executeAction(carer, VERBS.feedbackSubmit, where, feedbackForm(text, { harm: 'true' })),
      replyToId: 'form-a',
    };
    const retry = () => guarded.post(press);
    const tap = () => guarded.post({ ...press, id: `tap-${Math.random()}` });
    const answers = [await retry(), ...(await Promise.all([retry(), tap(), tap(), tap()]))];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(JSON.stringify(answers[0]?.body)).toContain('passed to the safeguarding lead');
    for (const repeat of answers.slice(1)) expect(JSON.stringify(repeat.body)).toContain('Already done');
    expect(await stored(text)).toHaveLength(1);
    await connector.waitForSent(connector.sent().length + 1).catch(() => undefined);
    await new Promise((done) => setTimeout(done, 1_500));
    expect(alertsToLead()).toHaveLength(1);
  });

  it('takes the same words again after a problem, and from a new form, as new comments', async () => {
    const tooLong = {
      ...executeAction(carer, VERBS.feedbackSubmit, where, feedbackForm('x'.repeat(1_001))),
      replyToId: 'form-b',
    };
    for (let time = 0; time < 2; time++) {
      expect(JSON.stringify((await guarded.post(tooLong)).body)).toContain('please keep it to 1,000');
    }
    const text = 'The new tablets run out of battery by lunchtime.';
    const fromForm = (card: string) =>
      guarded.post({
        ...executeAction(carer, VERBS.feedbackSubmit, where, feedbackForm(text)),
        replyToId: card,
      });
    expect(JSON.stringify((await fromForm('form-b')).body)).not.toContain('Already done');
    expect(JSON.stringify((await fromForm('form-c')).body)).not.toContain('Already done');
    expect(await stored(text)).toHaveLength(2);
  });
});
