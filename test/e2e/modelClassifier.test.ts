import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { feedbackForm, person, TENANT } from '../support/activities.js';
import { chat } from '../support/chat.js';
import { startChatCompletions } from '../support/chatCompletions.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { seedStaff } from '../support/staff.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

const writer = person(6000, 'Carer 1');
const words = 'Nobody asked the night staff before they chose the tablets.';
const modelSays = {
  primaryTheme: 'not_consulted',
  themes: ['not_consulted', 'communication'],
  sentiment: -0.4,
  resistance: 'low',
  resistanceKind: 'cognitive',
  safeguarding: false,
};

let connector: RecordingConnector;
let service: Awaited<ReturnType<typeof startChatCompletions>>;
const running: TestHuddle[] = [];

beforeAll(async () => {
  connector = await startRecordingConnector([], { tenantRate: 50 });
  service = await startChatCompletions(() => ({ content: JSON.stringify(modelSays) }));
});
afterAll(async () => {
  for (const bot of running) await bot.stop();
  await connector?.close();
  await service?.close();
});

async function feedbackThrough(env: Record<string, string>) {
  const bot = await startTestHuddle(env);
  running.push(bot);
  await seedStaff(bot.huddle.storage, connector.serviceUrl, 1, { first: 6000 });
  const { press } = chat(bot, connector);
  await press(writer, VERBS.feedbackSubmit, feedbackForm(words));
  // The turn reads it locally; the model's reading comes after the thank-you, and is done when the queue
  // of comments to read again is empty.
  await until(
    () => bot.huddle.storage.readings.approximateLength(),
    (waiting) => waiting === 0,
  );
  const [comment] = await bot.huddle.storage.comments.recent(TENANT, '2000-01-01');
  return comment?.analysis;
}

describe('the optional model, through the running server', () => {
  it('is off by default: with an endpoint configured but not chosen, no comment leaves Huddle', async () => {
    const analysis = await feedbackThrough({
      HUDDLE_MODEL_ENDPOINT: service.endpoint,
      HUDDLE_MODEL_KEY: 'sk-x',
    });
    expect(analysis?.by).toBe('local');
    expect(service.requests).toEqual([]);
  });

  it('when an admin chooses it, reads each comment through the model and stores its reading', async () => {
    const analysis = await feedbackThrough({
      HUDDLE_CLASSIFIER: 'model',
      HUDDLE_MODEL_ENDPOINT: service.endpoint,
      HUDDLE_MODEL_KEY: 'sk-x',
    });
    expect(analysis).toEqual({ ...modelSays, by: 'model' });
    expect(service.requests).toHaveLength(1);
    expect(service.requests[0]?.body.messages.at(-1)?.content).toBe(words);
  });
});
