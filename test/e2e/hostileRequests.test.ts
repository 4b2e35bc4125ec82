import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeAction, message, person, personalInstall } from '../support/activities.js';
import { type HuddleProcess, startHuddleProcess } from '../support/processes.js';
import { rawPost } from '../support/rawHttp.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { postActivity } from '../support/testHuddle.js';
import { forgedTokens, startTokenService, type TokenService } from '../support/tokenService.js';

/**
 * The requests that stopped the process or swelled its memory, sent to Huddle running as its own process
 * (local and authenticated), which must answer each and go on serving.
 */
const carer = person(1, 'Grace Hughes');
const APP_ID = '11111111-2222-3333-4444-555555555555';
const MB = 1024 * 1024;

let connector: RecordingConnector;
let tokens: TokenService;
let local: HuddleProcess;
let secured: HuddleProcess;

const start = (env: Record<string, string>) => startHuddleProcess({ HUDDLE_SENDING: 'false', ...env });

beforeAll(async () => {
  connector = await startRecordingConnector();
  tokens = await startTokenService();
  [local, secured] = await Promise.all([
    start({}),
    start({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'MultiTenant',
      HUDDLE_ANSWER_KEY: 'test-answer-key-0123456789-0123456789',
      HUDDLE_TOKEN_SERVICE: tokens.setting,
    }),
  ]);
}, 60_000);

afterAll(async () => {
  local?.stop();
  secured?.stop();
  await tokens?.close();
  await connector?.close();
});

const json = { 'content-type': 'application/json' };
const activity = () => JSON.stringify(message(carer, 'help', { serviceUrl: connector.serviceUrl }));

describe.each([
  ['local mode', () => local],
  ['authenticated mode', () => secured],
])('%s, sent compressed or broken bodies', (_mode, huddle) => {
  it('refuses any Content-Encoding with 415, whether the body is gzip, not gzip or cut short, and keeps serving', async () => {
    const gzip = gzipSync(Buffer.from(activity()));
    for (const [encoding, body] of [
      ['gzip', Buffer.from('this is not gzip')],
      ['gzip', gzip.subarray(0, gzip.length - 10)],
      ['gzip', gzip],
      ['deflate', Buffer.from('not deflate either')],
      ['br', Buffer.from('nor brotli')],
    ] as const) {
      const answer = await rawPost(huddle().url, { ...json, 'content-encoding': encoding }, body);
      expect(answer.status, encoding).toBe(415);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'unsupported_encoding' });
    }
    expect((await fetch(`${huddle().url}/healthz`)).status).toBe(200);
  });

  it('does not inflate a gzip bomb, nor hold more than the limit of a huge plain body', async () => {
    const bomb = gzipSync(Buffer.alloc(200 * MB, ' '));
    const before = huddle().rssBytes();
    const answers = await Promise.all([
      ...[1, 2, 3].map(() => rawPost(huddle().url, { ...json, 'content-encoding': 'gzip' }, bomb)),
      rawPost(huddle().url, { ...json, 'content-length': String(200 * MB) }, bomb),
      rawPost(huddle().url, json, async (write) => {
        const chunk = Buffer.alloc(64 * 1024, ' ');
        for (let sent = 0; sent < 64 * MB; sent += chunk.length) {
          if (!write(chunk)) await new Promise((done) => setTimeout(done, 1));
        }
      }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([415, 415, 415, 413, expect.any(Number)]);
    // The streamed body is cut off at the limit: 413 if the answer got back before the socket closed.
    expect([0, 413]).toContain(answers[4]?.status);
    expect(huddle().rssBytes() - before).toBeLessThan(40 * MB);
  }, 30_000);
});

describe('the process afterwards', () => {
  it('is still up in both modes and serves real turns', async () => {
    const where = { serviceUrl: connector.serviceUrl };
    const before = connector.sent().length;
    expect((await postActivity(local.url, personalInstall(carer, where))).status).toBe(200);
    expect(JSON.stringify(await connector.waitForSent(before + 1))).toContain('Huddle');
    // Authenticated replies need a token from the internet; a card action is answered in the HTTP response.
    const token = tokens.token(APP_ID, connector.serviceUrl);
    const press = executeAction(carer, 'no.such.verb', where, {});
    expect(await postActivity(secured.url, press, { authorization: `Bearer ${token}` })).toMatchObject({
      status: 200,
      body: { value: expect.stringContaining('out of date') },
    });
  });
});

describe('a refused token', () => {
  it('writes one JSON log line, with no stack trace, however it was forged', async () => {
    const before = secured.output().split('\n').length;
    const { selfSigned = '' } = forgedTokens(APP_ID, connector.serviceUrl);
    const otherIssuer = tokens.token(APP_ID, connector.serviceUrl, { iss: 'https://someone.else' });
    for (const authorization of [`Bearer ${otherIssuer}`, `Bearer ${selfSigned}`, undefined]) {
      const headers = authorization === undefined ? json : { ...json, authorization };
      expect((await rawPost(secured.url, headers, activity())).status).toBe(401);
    }
    await new Promise((done) => setTimeout(done, 200));
    const lines = secured
      .output()
      .split('\n')
      .slice(before - 1)
      .filter((line) => line.trim() !== '');
    // Every line is one JSON record, with no stack in it; the three refusals are one line each. (Lines of the
    // process's own doings, such as the disclosure screen loading, may land in between.)
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.join('\n')).not.toMatch(/\n\s+at |\bat .+:\d+:\d+\)/);
    expect(
      records.filter((record) => record.status === 401 || /token|unauthori[sz]ed/i.test(String(record.msg))),
    ).toEqual([
      expect.objectContaining({ msg: 'request refused', status: 401 }),
      expect.objectContaining({ msg: 'request refused', status: 401 }),
      expect.objectContaining({ msg: 'request refused', status: 401 }),
    ]);
  });
});
