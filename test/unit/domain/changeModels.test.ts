import { describe, expect, it } from 'vitest';
import { CHANGE_MODELS, STAGE_TEMPLATES } from '../../../src/domain/initiatives/changeModels.js';
import { defaultStages } from '../../../src/domain/initiatives/initiative.js';
import { Localizer } from '../../../src/i18n/strings.js';

const english = new Localizer().for('en-GB');
const words = (key: string) => english(key);

describe('change models as stages', () => {
  it("pre-fills Kotter's eight steps with the primer's focus: early 1-4, middle 5-6, late 7-8", () => {
    const stages = defaultStages('kotter', words);
    expect(stages.map((stage) => stage.title)).toEqual([
      'Why we need to change',
      'Building the team to lead it',
      'What good will look like',
      'Sharing the plan',
      'Clearing the way',
      'Early wins',
      'Building on it',
      'Making it how we work',
    ]);
    expect(stages.map((stage) => stage.focus.join('+'))).toEqual([
      ...Array(4).fill('awareness+desire'),
      ...Array(2).fill('knowledge+ability'),
      ...Array(2).fill('reinforcement'),
    ]);
  });

  it('pre-fills Lewin and PDSA, and leaves custom for the manager to name', () => {
    expect(defaultStages('lewin', words).map((stage) => stage.key)).toEqual([
      'unfreeze',
      'change',
      'refreeze',
    ]);
    expect(defaultStages('pdsa', words).map((stage) => stage.focus[0])).toEqual([
      'awareness',
      'knowledge',
      'knowledge',
      'reinforcement',
    ]);
    expect(defaultStages('custom', words)).toEqual([]);
  });

  it('has staff-facing words in en-GB for every stage of every model', () => {
    for (const model of CHANGE_MODELS) {
      for (const stage of STAGE_TEMPLATES[model]) {
        expect(english(`stage.${model}.${stage.key}.title`).length).toBeGreaterThan(0);
        expect(english(`stage.${model}.${stage.key}.explanation`).length).toBeGreaterThan(20);
      }
    }
  });
});
