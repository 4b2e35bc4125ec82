import { describe, expect, it } from 'vitest';
import { LocalClassifier } from '../../../src/analysis/localClassifier.js';

const classifier = new LocalClassifier();
// Generous, so a busy machine does not fail it: before reading was bounded, one 20,000-character token took
// about 7 s, and 100 KB of one would have held the server for minutes.
const WELL_UNDER_A_SECOND = 1_000;
const HUNDRED_KB = 100_000;
const EVERYDAY = 'The new rota app works on the tablets most days and the handover sheet is clear. ';

/** Whole sentences of everyday, untroubling words, at least `length` characters of them. */
const everyday = (length: number) => EVERYDAY.repeat(Math.ceil(length / EVERYDAY.length));

async function timed(text: string) {
  const started = performance.now();
  const analysis = await classifier.classify(text);
  return { analysis, ms: performance.now() - started };
}

describe('a very long comment', () => {
  it('is read in well under a second when it is one 100 KB token, and reads as nothing in particular', async () => {
    const { analysis, ms } = await timed('a'.repeat(HUNDRED_KB));
    expect(ms).toBeLessThan(WELL_UNDER_A_SECOND);
    expect(analysis).toMatchObject({ primaryTheme: 'neutral', safeguarding: false });
  });

  it('is read in well under a second when it is 100 KB of ordinary sentences', async () => {
    const { ms } = await timed(everyday(HUNDRED_KB));
    expect(ms).toBeLessThan(WELL_UNDER_A_SECOND);
  });

  it('still raises a disclosure written some 3,500 characters in', async () => {
    const disclosure = 'Last night I saw a carer slap Mrs D across the face when she would not settle. ';
    expect((await classifier.classify(everyday(30_000))).safeguarding).toBe(false);
    expect((await classifier.classify(everyday(3_500) + disclosure + everyday(20_000))).safeguarding).toBe(
      true,
    );
  });
});
