import { describe, expect, it } from 'vitest';
import type { PulseItem } from '../../../src/domain/pulses/pulse.js';
import { type AnsweredRound, enpsOf, roundResults } from '../../../src/domain/pulses/pulseResults.js';
import { MAX_SCORED_ITEMS, stageItems, templateItems } from '../../../src/domain/pulses/questionBank.js';

const items: PulseItem[] = [
  { id: 'a', kind: 'agree5', dimension: 'awareness', text: 'A' },
  { id: 'd', kind: 'agree5', dimension: 'desire', text: 'D' },
  { id: 'k', kind: 'agree5', dimension: 'knowledge', text: 'K' },
  { id: 'e', kind: 'scale10', dimension: 'enps', text: 'E' },
  { id: 'c', kind: 'choice', text: 'C', options: ['x', 'y'] },
  { id: 'o', kind: 'text', text: 'O' },
];
const answer = (values: Record<string, number | string>, site = 'Oak View'): AnsweredRound => ({
  values,
  groups: { site },
});
const results = (answers: AnsweredRound[], extra: Partial<Parameters<typeof roundResults>[0]> = {}) =>
  roundResults({ items, answers, recipients: 10, recipientsByGroup: {}, threshold: 5, ...extra });

describe('pulse scoring', () => {
  it('gives per-item distributions and means, with counts only for choices and nothing for open text', () => {
    const overall = results(
      [1, 2, 3, 4, 5].map((a) => answer({ a, d: 4, k: 4, e: 9, c: a % 2, o: 'hi' })),
    ).overall;
    const item = overall?.items.find((one) => one.id === 'a');
    expect(item?.mean).toBe(3);
    expect(item?.distribution).toEqual([1, 2, 3, 4, 5].map((value) => ({ value, count: 1 })));
    expect(overall?.items.find((one) => one.id === 'c')).toMatchObject({
      mean: undefined,
      distribution: [
        { value: 0, count: 2 },
        { value: 1, count: 3 },
      ],
    });
    expect(overall?.items.some((one) => one.id === 'o')).toBe(false);
  });

  it('maps the readiness dimensions onto a 0-100 index and names barrier points in A-D-K-A-R order', () => {
    const overall = results(
      Array.from({ length: 5 }, () => answer({ a: 4, d: 3, k: 2, e: 5, c: 0 })),
    ).overall;
    expect(overall?.dimensions).toEqual([
      { dimension: 'awareness', score: 4 },
      { dimension: 'desire', score: 3 },
      { dimension: 'knowledge', score: 2 },
    ]);
    // mean of 4, 3, 2 = 3 -> (3 - 1) / 4 * 100
    expect(overall?.readinessIndex).toBe(50);
    expect(overall?.barriers).toEqual(['desire', 'knowledge']);
  });

  it('counts eNPS as promoters minus detractors, passives in neither', () => {
    expect(enpsOf([10, 9, 8, 7, 6, 0])).toBe(0);
    expect(enpsOf([10, 10, 10, 8])).toBe(75);
    expect(enpsOf([])).toBeUndefined();
  });

  it('shows only the response rate while fewer people than the threshold have answered', () => {
    const shown = results([
      answer({ a: 1, d: 1, k: 1, e: 0, c: 0 }),
      answer({ a: 5, d: 5, k: 5, e: 10, c: 1 }),
    ]);
    expect(shown).toMatchObject({
      answers: 2,
      recipients: 10,
      responseRate: 20,
      overall: undefined,
      groups: [],
    });
  });

  it('compares with the previous round when both can be shown', () => {
    const before = Array.from({ length: 5 }, () => answer({ a: 2, d: 2, k: 2, e: 5, c: 0 }));
    const now = Array.from({ length: 6 }, () => answer({ a: 4, d: 4, k: 4, e: 10, c: 0 }));
    const trend = results(now, { previous: { answers: before, recipients: 10 } }).trend;
    expect(trend).toMatchObject({ readinessIndex: 50, enps: 200, responseRate: 10 });
    expect(trend?.dimensions).toContainEqual({ dimension: 'awareness', change: 2 });
    const hidden = results(now, { previous: { answers: before.slice(0, 4), recipients: 10 } });
    expect(hidden.trend).toBeUndefined();
  });

  it('gives a group its own response rate from the recipients counted when the round opened', () => {
    const answers = [
      ...Array.from({ length: 6 }, () => answer({ a: 4, d: 4, k: 4, e: 9, c: 0 }, 'Oak View')),
      ...Array.from({ length: 5 }, () => answer({ a: 2, d: 2, k: 2, e: 3, c: 0 }, 'Elm House')),
    ];
    const shown = results(answers, {
      recipients: 20,
      recipientsByGroup: { site: { 'Oak View': 12, 'Elm House': 8 } },
    });
    expect(shown.groups.map((group) => [group.group, group.responseRate, group.readinessIndex])).toEqual([
      [{ field: 'site', value: 'Elm House' }, 63, 25],
      [{ field: 'site', value: 'Oak View' }, 50, 75],
    ]);
  });
});

describe('stage-aware pulses', () => {
  const scored = (list: PulseItem[]) => list.filter((item) => item.kind !== 'text');

  it('asks early stages about awareness and desire, middle about knowledge and ability, late about reinforcement', () => {
    const dimensions = (focus: Parameters<typeof stageItems>[0]) =>
      new Set(
        scored(stageItems(focus)).flatMap((item) =>
          'dimension' in item && item.dimension ? [item.dimension] : [],
        ),
      );
    expect(dimensions(['awareness', 'desire'])).toEqual(new Set(['awareness', 'desire', 'commitment']));
    expect(dimensions(['knowledge', 'ability'])).toEqual(new Set(['knowledge', 'ability', 'efficacy']));
    expect(dimensions(['reinforcement'])).toEqual(new Set(['reinforcement', 'efficacy', 'enps']));
  });

  it('keeps every template to at most five scored items and one open question', () => {
    for (const focus of [['awareness', 'desire'], ['knowledge', 'ability'], ['reinforcement'], []] as const) {
      const list = stageItems(focus);
      expect(scored(list).length).toBeLessThanOrEqual(MAX_SCORED_ITEMS);
      expect(list.filter((item) => item.kind === 'text')).toHaveLength(1);
    }
    for (const name of ['readiness', 'team', 'wellbeing'] as const) {
      expect(scored(templateItems(name, undefined)).length).toBeLessThanOrEqual(MAX_SCORED_ITEMS);
    }
  });
});
