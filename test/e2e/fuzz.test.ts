import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { freePort } from '../../src/storage/azurite.js';
import {
  executeAction,
  message,
  person,
  personalInstall,
  TENANT,
  teamInstall,
} from '../support/activities.js';
import { startProcess, waitFor } from '../support/processes.js';
import { rawPost } from '../support/rawHttp.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { uniquePrefix } from '../support/testHuddle.js';

/**
 * Huddle as its own process, attacked with generated requests: hostile text in every field, card data of
 * every wrong shape for every verb, unknown verbs, activities missing their parts, other tenants, and the
 * HTTP edge (encodings, types, sizes, broken bodies). The process must stay up, answer every request with
 * a 2xx or a 4xx, and never log a bug: every error must be one Huddle meant.
 *
 * HUDDLE_FUZZ_RUNS sets how many (1,000 by default, about 35 s, to keep the suite short; 10,000 for a full run).
 */
const RUNS = Number(process.env.HUDDLE_FUZZ_RUNS ?? 1_000);
const manager = person(1, 'Alex Wilber');
const carer = person(2, 'Grace Hughes');

let connector: RecordingConnector;
let huddle: { url: string; output: () => string; alive: () => boolean; stop: () => void };

beforeAll(async () => {
  connector = await startRecordingConnector();
  const port = await freePort();
  const run = startProcess({
    PORT: String(port),
    AZURE_STORAGE_CONNECTION_STRING: inject('storageConnectionString'),
    HUDDLE_TABLE_PREFIX: uniquePrefix(),
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_ALLOWED_TENANTS: TENANT,
  });
  let exited = false;
  void run.exited.then(() => {
    exited = true;
  });
  await waitFor(() => run.output().includes('Huddle is listening'), 45_000);
  huddle = {
    url: `http://127.0.0.1:${port}`,
    output: run.output,
    alive: () => !exited,
    stop: () => run.child.kill('SIGKILL'),
  };
  const where = { serviceUrl: connector.serviceUrl };
  for (const who of [manager, carer])
    await rawPost(huddle.url, json, JSON.stringify(personalInstall(who, where)));
}, 60_000);

afterAll(async () => {
  huddle?.stop();
  await connector?.close();
});

const json = { 'content-type': 'application/json' };

/** Text people (and attackers) type. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    '',
    ' ',
    "' or PartitionKey ne '",
    '$filter=PartitionKey ne null',
    '<script>alert(1)</script>',
    // Template syntax, as adaptivecards-templating reads it: it must reach cards as text, never be expanded.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the attack.
    '{{user.name}} ${process.env} ${$root}',
    '\u202Eevil\u202C',
    '😀😀😀😀😀😀😀😀',
    '\u0000\u0001\u0007\u001b[31m',
    'help',
    'grant admin to Grace Hughes',
    'advance stage',
    'comments',
    'x'.repeat(5_000),
    'a'.repeat(30_000),
    `${'word '.repeat(2_000)}`,
  ),
);

/** Any JSON a client could put where Huddle expects card data. */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const cardData = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 20 }), fc.oneof(hostileText, anyJson), { maxKeys: 8 }),
  anyJson,
  fc.record({ text: hostileText, giveName: hostileText, harm: hostileText, tags: hostileText }),
  fc.record({ pulseId: hostileText, round: fc.oneof(fc.integer(), hostileText), token: hostileText }),
  fc.record({
    broadcastId: hostileText,
    escalationId: hostileText,
    commentId: hostileText,
    week: hostileText,
  }),
);
const verb = fc.oneof(fc.constantFrom(...Object.values(VERBS)), fc.string({ maxLength: 40 }));
const who = fc.constantFrom(manager, carer, person(3, 'Stranger'));

/** An activity, whole or with parts missing, changed or from elsewhere. */
const activity = fc
  .tuple(
    fc.oneof(
      fc
        .tuple(who, hostileText)
        .map(([sender, text]) => message(sender, text, { serviceUrl: connector.serviceUrl })),
      fc
        .tuple(who, verb, cardData)
        .map(([sender, name, data]) =>
          executeAction(sender, name, { serviceUrl: connector.serviceUrl }, data as never),
        ),
      who.map((sender) =>
        teamInstall(sender, { serviceUrl: connector.serviceUrl, teamId: '19:team', teamName: 'Oak View' }),
      ),
    ),
    // Most are whole, so that the turns run; the rest lose parts, change tenant or change kind.
    fc.oneof(
      { weight: 4, arbitrary: fc.constant([] as string[]) },
      {
        weight: 1,
        arbitrary: fc.subarray([
          'from',
          'conversation',
          'recipient',
          'channelData',
          'serviceUrl',
          'type',
          'value',
          'id',
        ]),
      },
    ),
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom('other-tenant', '', TENANT), hostileText) },
    ),
    fc.option(
      fc.record({ name: fc.string({ maxLength: 30 }), type: fc.constantFrom('invoke', 'message', 'event') }),
      { freq: 8 },
    ),
  )
  .map(([base, missing, tenant, changed]) => {
    const shaped: Record<string, unknown> = { ...base, ...(changed ?? {}) };
    for (const part of missing) delete shaped[part];
    if (tenant !== undefined) shaped.conversation = { ...(base.conversation as object), tenantId: tenant };
    return JSON.stringify(shaped);
  });

/** What reaches the socket: usually an activity, sometimes an edge case of HTTP itself. */
const request = fc.oneof(
  { weight: 8, arbitrary: activity.map((body) => ({ headers: json, body })) },
  {
    weight: 1,
    arbitrary: fc.record({
      headers: fc.record({
        'content-type': fc.constantFrom(
          'application/json',
          'text/plain',
          'application/json; charset=latin1',
          '',
        ),
        'content-encoding': fc.constantFrom('identity', 'gzip', 'deflate', 'br'),
      }),
      body: fc.oneof(
        activity,
        hostileText,
        activity.map((body) => body.slice(0, body.length / 2)),
      ),
    }),
  },
);

const ACCEPTED = new Set([200, 201, 202, 204, 400, 401, 403, 404, 408, 413, 415]);

describe('generated requests against the running server', () => {
  it(`answers ${RUNS} of them with 2xx or 4xx, stays up and logs no bug`, async () => {
    const samples = fc.sample(request, { numRuns: RUNS, seed: 20_261_201 });
    const odd: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < samples.length) {
        const sample = samples[next++];
        if (sample === undefined) break;
        const answer = await rawPost(huddle.url, sample.headers, sample.body);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (!ACCEPTED.has(answer.status)) odd.push(`${answer.status}: ${sample.body.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(odd).toEqual([]);
    // Most requests must get past the edge and run a turn, or this would only be testing refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 4);
    expect(huddle.alive()).toBe(true);
    expect((await fetch(`${huddle.url}/healthz`)).status).toBe(200);
    const bugs = huddle
      .output()
      .split('\n')
      .filter((line) => line.includes('"origin":"bug"') || line.includes('"msg":"request failed"'));
    expect(bugs).toEqual([]);
  }, 600_000);
});
