import { afterAll, describe, expect, it } from 'vitest';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { ClassifierPool } from '../../src/cli/classifierPool.js';
import { screened } from '../../src/cli/screened.js';

const pool = new ClassifierPool(2);
afterAll(async () => {
  await pool.close();
});

describe("huddle analyse's threads", () => {
  it('read each comment as the server does, the disclosure screen included', async () => {
    const texts = [
      'Mr L was left on the toilet for over an hour because everyone went on break.',
      'I love the new app',
      'Nobody asked the night staff before the tablets were ordered.',
      'More training please, the session was too short',
    ];
    const inProcess = screened(new LocalClassifier());
    const expected = [];
    for (const text of texts) expected.push(await inProcess.classify(text));
    expect(await Promise.all(texts.map((text) => pool.classify(text)))).toEqual(expected);
    // The neglect the lexicon misses is flagged by the screen in the threads too.
    expect((await new LocalClassifier().classify(texts[0] ?? '')).safeguarding).toBe(false);
    expect(expected[0]?.safeguarding).toBe(true);
  }, 60_000);
});
