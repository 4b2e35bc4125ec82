import fc from 'fast-check';
import { VERBS } from '../../src/cards/verbs.js';
import { executeAction, message, type Person, person, TENANT, teamInstall } from './activities.js';
import type { RawAnswer } from './rawHttp.js';

/**
 * Generated requests for fuzzing Huddle running as its own process (test/e2e/fuzz*.test.ts): hostile text
 * in every field, card data of every wrong shape for every verb, unknown verbs, activities missing their
 * parts, other tenants, and the HTTP edge (encodings, types, sizes, broken bodies).
 */
export interface FuzzRequest {
  headers: Record<string, string>;
  body: string;
}

const json = { 'content-type': 'application/json' };

/** Text people (and attackers) type. */
export const hostileText = fc.oneof(
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

/**
 * An activity as JSON text, whole or with parts missing, changed or from elsewhere, sent by one of `people`
 * or a stranger, to Huddle through `serviceUrl` (read when a sample is drawn, so it may be set in beforeAll).
 */
export function generatedActivity(people: readonly Person[], serviceUrl: () => string): fc.Arbitrary<string> {
  const who = fc.constantFrom(...people, person(3, 'Stranger'));
  return fc
    .tuple(
      fc.oneof(
        fc
          .tuple(who, hostileText)
          .map(([sender, text]) => message(sender, text, { serviceUrl: serviceUrl() })),
        fc
          .tuple(who, verb, cardData)
          .map(([sender, name, data]) =>
            executeAction(sender, name, { serviceUrl: serviceUrl() }, data as never),
          ),
        who.map((sender) =>
          teamInstall(sender, { serviceUrl: serviceUrl(), teamId: '19:team', teamName: 'Oak View' }),
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
      // Another tenant in the conversation only (places that disagree), or everywhere (a consistent other tenant).
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.record({
            id: fc.oneof(fc.constantFrom('other-tenant', '', TENANT), hostileText),
            everywhere: fc.boolean(),
          }),
        },
      ),
      fc.option(
        fc.record({
          name: fc.string({ maxLength: 30 }),
          type: fc.constantFrom('invoke', 'message', 'event'),
        }),
        { freq: 8 },
      ),
    )
    .map(([base, missing, tenant, changed]) => {
      const shaped: Record<string, unknown> = { ...base, ...(changed ?? {}) };
      for (const part of missing) delete shaped[part];
      if (tenant !== undefined) {
        shaped.conversation = { ...(base.conversation as object), tenantId: tenant.id };
        if (tenant.everywhere) shaped.channelData = { ...base.channelData, tenant: { id: tenant.id } };
      }
      return JSON.stringify(shaped);
    });
}

/** What reaches the socket: usually one of `activities`, sometimes an edge case of HTTP itself. */
export function generatedRequest(activities: fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { weight: 8, arbitrary: activities.map((body) => ({ headers: json, body })) },
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
          activities,
          hostileText,
          activities.map((body) => body.slice(0, body.length / 2)),
        ),
      }),
    },
  );
}

/** The statuses Huddle may answer a generated request with: a turn run, or a refusal Huddle meant. */
export const ACCEPTED = new Set([200, 201, 202, 204, 400, 401, 403, 404, 408, 413, 415]);

/**
 * Sends `items` `atOnce` at a time (eight by default), as several Teams connections would; the answers in
 * the items' order.
 */
export async function sendAll<T>(
  items: readonly T[],
  send: (item: T) => Promise<RawAnswer>,
  atOnce = 8,
): Promise<RawAnswer[]> {
  const answers: RawAnswer[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      answers[index] = await send(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: atOnce }, worker));
  return answers;
}

/** Log lines of errors Huddle did not mean: a turn that failed on a bug, or a request that failed. */
export const loggedBugs = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.includes('"origin":"bug"') || line.includes('"msg":"request failed"'));
