import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, predict } from '../../../src/analysis/evaluation.js';
import { compileLexicon, LexiconError } from '../../../src/analysis/lexicon.js';
import { analyse, LocalClassifier } from '../../../src/analysis/localClassifier.js';
import { readLabelledFile } from '../../../src/cli/labelledFile.js';
import { lexiconPath } from '../../../src/paths.js';

const classifier = new LocalClassifier();
const read = (text: string) => classifier.classify(text);

describe('the local classifier', () => {
  it('reads a plain concern: theme, negative feeling, resistance and its kind', async () => {
    const result = await read("I'm frightened I will press the wrong thing and delete someone's care plan");
    expect(result.primaryTheme).toBe('technology_confidence');
    expect(result.sentiment).toBeLessThan(0);
    expect(result.resistance).not.toBe('none');
    expect(result.resistanceKind).toBe('affective');
    expect(result.safeguarding).toBe(false);
  });

  it('hears a negated worry as no worry: "not worried about the tablets" is neither a concern nor resistance', async () => {
    const result = await read("I'm not worried about the tablets at all, they're easy.");
    expect(result.primaryTheme).toBe('supportive');
    expect(result.resistance).toBe('none');
    expect(result.sentiment).toBeGreaterThan(0);
  });

  it('still hears the topic when the "not" is the complaint: "haven\'t had any training" is a training gap', async () => {
    expect((await read("I haven't had any training on the new system yet")).primaryTheme).toBe(
      'training_gap',
    );
  });

  it('reads "not opposed to change, but..." as criticism of how, not whether: the point after "but", low resistance', async () => {
    const result = await read('Not against the change at all but the training was far too short.');
    expect(result.primaryTheme).toBe('training_gap');
    expect(result.resistance).toBe('low');
  });

  it('does not take the word "safeguarding" in a neutral sentence for a disclosure', async () => {
    for (const text of [
      'The app records safeguarding checks at the end of each shift.',
      'The safeguarding training is on the 14th in the lounge.',
      'Please remember everyone has a duty to report abuse, the number is on the board.',
    ]) {
      expect((await read(text)).safeguarding, text).toBe(false);
    }
  });

  it('flags harm done to a person, and not the same verbs in idioms or aimed at no one', async () => {
    expect(
      (await read('I saw one of the night carers slap Mr T when he would not settle.')).safeguarding,
    ).toBe(true);
    expect((await read('Mr H was left in a wet bed all night.')).safeguarding).toBe(true);
    expect((await read('We are all pushed for time but the new system is fine.')).safeguarding).toBe(false);
    expect((await read('I hit the wrong button and lost my notes.')).safeguarding).toBe(false);
  });

  it('puts a disclosure under resident safety and calls it no resistance to the change', async () => {
    const result = await read('A carer swore at a resident and called her a stupid old woman.');
    expect(result).toMatchObject({ safeguarding: true, primaryTheme: 'resident_safety', resistance: 'none' });
  });

  it('reads comments typed without apostrophes, as on a phone ("dont.", "isnt,", "cant!"), and still hears them', async () => {
    // Each of these once stopped the reading with an error, so the comment was never stored.
    const contractions = [
      'isnt',
      'dont',
      'cant',
      'wont',
      'didnt',
      'ive',
      'theyre',
      'youre',
      'werent',
      'itll',
    ];
    for (const word of contractions) {
      for (const mark of [',', '.', '!', '?', ')']) {
        const text = `the new tablets ${word}${mark} no training`;
        expect((await read(text)).themes, text).toContain('training_gap');
      }
    }
    expect(
      (await read('i dont know what to do. he hits her when shes upset, she isnt safe.')).safeguarding,
    ).toBe(true);
    // Any mix of such words and punctuation is read, whatever the order.
    const token = fc.constantFrom(
      ...contractions,
      'she',
      'not',
      'the',
      'rota',
      ',',
      '.',
      '!',
      '...',
      "'",
      '-',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 12 }), async (tokens) => {
        expect((await read(tokens.join(' '))).themes.length).toBeGreaterThan(0);
        expect((await read(tokens.join(''))).themes.length).toBeGreaterThan(0);
      }),
      { seed: 20261201, numRuns: 300 },
    );
  });

  it('calls text with no cue at all neutral', async () => {
    expect(await read('n/a')).toMatchObject({
      primaryTheme: 'neutral',
      themes: ['neutral'],
      resistance: 'none',
    });
  });
});

describe('the lexicon as data', () => {
  const shipped = JSON.parse(readFileSync(lexiconPath, 'utf8'));

  it('takes a cue someone adds in ordinary words (any inflection, "..." for words between) with no code change', () => {
    const text = 'The rota app keeps crashing on Sundays.';
    expect(analyse(compileLexicon(shipped), text).primaryTheme).not.toBe('communication');
    const extended = structuredClone(shipped);
    extended.themes.communication.cues.push('rota app ... crash');
    expect(analyse(compileLexicon(extended), text).primaryTheme).toBe('communication');
  });

  it('refuses a malformed lexicon and says where it is wrong', () => {
    const broken = structuredClone(shipped);
    delete broken.themes.job_security;
    expect(() => compileLexicon(broken)).toThrow(LexiconError);
    expect(() => compileLexicon(broken)).toThrow(/themes\.job_security/);
  });
});

describe('the evaluation set (a regression guard: the lexicon was written beside it)', () => {
  it('meets the goals on the set it was tuned on: macro-F1 at least 0.80, every disclosure found, precision at least 0.85', async () => {
    const { comments, skipped } = await readLabelledFile(
      join(import.meta.dirname, '..', '..', 'fixtures', 'themes', 'eval.tsv'),
    );
    expect(skipped).toEqual([]);
    expect(comments.length).toBeGreaterThanOrEqual(250);
    expect(comments.filter((row) => row.safeguarding).length).toBeGreaterThanOrEqual(25);
    const result = evaluate(comments, await predict(classifier, comments));
    expect(result.themes?.macroF1).toBeGreaterThanOrEqual(0.8);
    expect(result.safeguarding.recall).toBe(1);
    expect(result.safeguarding.precision).toBeGreaterThanOrEqual(0.85);
  });
});
