import { TeamsAdapter } from '@microsoft/teams-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { ModelClassifier } from '../../src/bot/modelClassifier.js';
import { createLogger } from '../../src/logger.js';
import { type ChatReply, startChatCompletions } from '../support/chatCompletions.js';

const answer = (fields: Record<string, unknown>) => ({
  content: JSON.stringify({
    primaryTheme: 'workload_time',
    themes: ['workload_time', 'training_gap'],
    sentiment: -0.55,
    resistance: 'medium',
    resistanceKind: 'affective',
    safeguarding: false,
    ...fields,
  }),
});

let next: ChatReply = answer({});
let service: Awaited<ReturnType<typeof startChatCompletions>>;
let classifier: ModelClassifier;
const warnings: object[] = [];

beforeAll(async () => {
  service = await startChatCompletions(() => next);
  const logger = createLogger('silent');
  classifier = new ModelClassifier({
    choice: {
      kind: 'model',
      service: 'openai',
      endpoint: service.endpoint,
      key: 'sk-test-key',
      model: 'care-model',
      timeoutMs: 1_000,
    },
    adapter: new TeamsAdapter({}),
    local: new LocalClassifier(),
    logger: Object.assign(Object.create(logger), { warn: (fields: object) => warnings.push(fields) }),
  });
});
afterAll(async () => service?.close());

describe('the optional model classifier, against an OpenAI-compatible service on loopback', () => {
  it("sends the repo's prompt and the comment, and uses the model's checked answer", async () => {
    next = answer({});
    const text = 'We were shown the tablets for ten minutes and the shifts are already short.';
    const result = await classifier.classify(text);
    expect(result).toEqual({
      primaryTheme: 'workload_time',
      themes: ['workload_time', 'training_gap'],
      sentiment: -0.55,
      resistance: 'medium',
      resistanceKind: 'affective',
      safeguarding: false,
      by: 'model',
    });
    const request = service.requests.at(-1);
    expect(request?.authorization).toBe('Bearer sk-test-key');
    expect(request?.body.model).toBe('care-model');
    expect(request?.body.temperature).toBe(0);
    const [system, user] = request?.body.messages ?? [];
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('not_consulted: decided without asking the people who do the work');
    expect(user).toEqual({ role: 'user', content: text });
  });

  it('takes the JSON out of a fenced answer, and puts the primary theme first', async () => {
    next = { content: `Here you are:\n\`\`\`json\n${answer({ themes: ['training_gap'] }).content}\n\`\`\`` };
    const result = await classifier.classify('Training was too short.');
    expect(result.by).toBe('model');
    expect(result.themes).toEqual(['workload_time', 'training_gap']);
  });

  it.each([
    ['an unknown theme', answer({ primaryTheme: 'rota' })],
    ['a sentiment off the scale', answer({ sentiment: 3 })],
    ['text that is not JSON', { content: 'I think this is about workload.' }],
    ['a server error', { status: 500 }],
    ['a refusal for too many requests', { status: 429 }],
  ] as [string, ChatReply][])('falls back to the local reading on %s', async (_what, reply) => {
    next = reply;
    const text = 'Nobody asked the night staff before they chose the tablets.';
    const result = await classifier.classify(text);
    expect(result).toEqual(await new LocalClassifier().classify(text));
    expect(result.by).toBe('local');
  });

  it('falls back when the model is slower than the timeout, without waiting for it', async () => {
    next = { hangMs: 3_000 };
    const started = Date.now();
    const result = await classifier.classify('Nobody asked the night staff before they chose the tablets.');
    expect(result.by).toBe('local');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('escalates a disclosure the local reading sees even when the model does not', async () => {
    next = answer({ primaryTheme: 'neutral', themes: ['neutral'], resistance: 'none', safeguarding: false });
    const result = await classifier.classify("I saw one of the carers slap Mr T when he wouldn't settle.");
    expect(result.by).toBe('model');
    expect(result.safeguarding).toBe(true);
    expect(result.resistanceKind).toBeUndefined();
  });

  it('logs why it fell back, never the words', () => {
    expect(warnings.length).toBeGreaterThan(0);
    expect(JSON.stringify(warnings)).not.toContain('night staff');
  });
});
