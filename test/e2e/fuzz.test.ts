import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, personalInstall, TENANT } from '../support/activities.js';
import {
  ACCEPTED,
  generatedActivity,
  generatedRequest,
  loggedBugs,
  sendAll,
} from '../support/fuzzRequests.js';
import { type HuddleProcess, startHuddleProcess } from '../support/processes.js';
import { rawPost } from '../support/rawHttp.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';

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
let huddle: HuddleProcess;

beforeAll(async () => {
  connector = await startRecordingConnector();
  huddle = await startHuddleProcess({
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_ALLOWED_TENANTS: TENANT,
  });
  const where = { serviceUrl: connector.serviceUrl };
  for (const who of [manager, carer])
    await rawPost(huddle.url, json, JSON.stringify(personalInstall(who, where)));
}, 60_000);

afterAll(async () => {
  huddle?.stop();
  await connector?.close();
});

const json = { 'content-type': 'application/json' };

const request = generatedRequest(generatedActivity([manager, carer], () => connector.serviceUrl));

describe('generated requests against the running server', () => {
  it(`answers ${RUNS} of them with 2xx or 4xx, stays up and logs no bug`, async () => {
    const samples = fc.sample(request, { numRuns: RUNS, seed: 20_261_201 });
    // Most of the run is turns waiting, not working: the activities come from three people's chats, and
    // Teams answers a chat's replies beyond a few a second with 429 and a second's Retry-After, which each
    // turn's client waits out. 24 at once, as Teams' many connections would send them, overlaps those waits.
    const answers = await sendAll(samples, (sample) => rawPost(huddle.url, sample.headers, sample.body), 24);
    const odd = answers
      .map((answer, index) => ({ answer, body: samples[index]?.body ?? '' }))
      .filter(({ answer }) => !ACCEPTED.has(answer.status))
      .map(({ answer, body }) => `${answer.status}: ${body.slice(0, 300)}`);
    expect(odd).toEqual([]);
    // Most requests must get past the edge and run a turn, or this would only be testing refusals.
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThan(RUNS / 4);
    expect(huddle.alive()).toBe(true);
    expect((await fetch(`${huddle.url}/healthz`)).status).toBe(200);
    expect(loggedBugs(huddle.output())).toEqual([]);
  }, 600_000);
});
