import { describe, expect, it } from 'vitest';
import { evaluate, type LabelledComment, misread, predict } from '../../../src/analysis/evaluation.js';
import type { CommentClassifier, Theme } from '../../../src/domain/feedback/themes.js';

const comment = (line: number, theme: Theme | undefined, safeguarding: boolean): LabelledComment => ({
  line,
  text: `comment ${line}`,
  theme,
  safeguarding,
});
const reading = (theme: Theme, safeguarding: boolean, by: 'local' | 'model' = 'local') => ({
  theme,
  safeguarding,
  by,
});

// Six comments, worked out by hand below: two labelled for safeguarding only.
const labelled = [
  comment(2, 'training_gap', false),
  comment(3, 'training_gap', false),
  comment(4, 'workload_time', true),
  comment(5, 'workload_time', false),
  comment(6, undefined, true),
  comment(7, undefined, false),
];
const predicted = [
  reading('training_gap', false),
  reading('workload_time', false),
  reading('workload_time', true, 'model'),
  reading('workload_time', true, 'model'), // a false alarm
  reading('neutral', false), // a missed disclosure
  reading('neutral', false),
];

describe('scoring a classifier against labels', () => {
  it('scores each theme over the comments with a theme label only, and their mean', () => {
    const { themes } = evaluate(labelled, predicted);
    // workload_time: 2 right of 3 given (precision 2/3), 2 of 2 found (recall 1), F1 0.8.
    // training_gap: 1 right of 1 given, 1 of 2 found, F1 2/3. "neutral" was only given to unlabelled
    // comments, so it is not scored, and themes nobody labelled or gave do not pull the mean down.
    expect(themes?.labelled).toBe(4);
    expect(themes?.perTheme).toEqual([
      { theme: 'workload_time', precision: 2 / 3, recall: 1, f1: expect.closeTo(0.8, 10), support: 2 },
      { theme: 'training_gap', precision: 1, recall: 0.5, f1: expect.closeTo(2 / 3, 10), support: 2 },
    ]);
    expect(themes?.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 10);
    expect(themes?.accuracy).toBe(3 / 4);
  });

  it('gives the safeguarding flag its precision, recall and false-alarm rate, with the counts behind them', () => {
    // Disclosures: lines 4 and 6; flagged: 4 and 5. So 1 of 2 found, 1 of 2 flags right, and 1 of the 4
    // comments that are not disclosures flagged.
    expect(evaluate(labelled, predicted).safeguarding).toEqual({
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      support: 2,
      found: 1,
      flagged: 2,
      others: 4,
      falseAlarms: 1,
      falseAlarmRate: 0.25,
      byKind: [],
    });
  });

  it('counts false alarms for each kind of comment a labeller named, so everyday comments can be read apart', () => {
    const kinds = ['ordinary', 'ordinary', undefined, 'look-alike', undefined, 'look-alike'];
    const withKinds = labelled.map((row, index) => ({ ...row, kind: kinds[index] }));
    expect(evaluate(withKinds, predicted).safeguarding.byKind).toEqual([
      { kind: 'ordinary', others: 2, falseAlarms: 0, falseAlarmRate: 0 },
      { kind: 'look-alike', others: 2, falseAlarms: 1, falseAlarmRate: 0.5 },
    ]);
  });

  it('counts which classifier gave each reading, so a model that mostly fell back shows', () => {
    expect(evaluate(labelled, predicted).readBy).toEqual({ local: 4, model: 2 });
  });

  it('skips the theme figures for a file labelled for safeguarding only, and still scores the flag', () => {
    const safeguardingOnly = labelled.map((row) => ({ ...row, theme: undefined }));
    const result = evaluate(safeguardingOnly, predicted);
    expect(result.themes).toBeUndefined();
    expect(result.comments).toBe(6);
    expect(result.safeguarding).toMatchObject({ recall: 0.5, falseAlarmRate: 0.25 });
  });

  it('with no disclosure nothing can be found and nothing raised is right: zeros, with the counts to say why', () => {
    const noDisclosures = [comment(2, 'neutral', false), comment(3, 'neutral', false)];
    const result = evaluate(noDisclosures, [reading('neutral', false), reading('neutral', true)]);
    expect(result.safeguarding).toMatchObject({
      precision: 0,
      recall: 0,
      support: 0,
      falseAlarms: 1,
      others: 2,
      falseAlarmRate: 0.5,
    });
  });

  it('lists as misread a comment given another theme than its label, or the flag wrong, never a missing label', () => {
    expect(misread(labelled, predicted).map(({ truth }) => truth.line)).toEqual([3, 5, 6]);
  });
});

describe('reading the labelled comments', () => {
  it('keeps their order and reads at most four at once, so a model service is not flooded', async () => {
    let reading = 0;
    let most = 0;
    const classifier: CommentClassifier = {
      async classify(text) {
        reading += 1;
        most = Math.max(most, reading);
        await new Promise((done) => setTimeout(done, 5));
        reading -= 1;
        const late = text.endsWith('9');
        return {
          primaryTheme: late ? 'supportive' : 'neutral',
          themes: [],
          sentiment: 0,
          resistance: 'none',
          safeguarding: late,
          by: 'model',
        };
      },
    };
    const texts = Array.from({ length: 10 }, (_, index) => ({ text: `comment ${index}` }));
    const predictions = await predict(classifier, texts);
    expect(most).toBe(4);
    expect(predictions.map(({ theme }) => theme)).toEqual([...Array(9).fill('neutral'), 'supportive']);
    expect(predictions[9]).toEqual({ theme: 'supportive', safeguarding: true, by: 'model' });
  });
});
