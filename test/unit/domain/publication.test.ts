import { describe, expect, it } from 'vitest';
import {
  type Publication,
  publishedRoundResults,
  type RespondentAnswer,
} from '../../../src/domain/pulses/publication.js';
import type { PulseItem } from '../../../src/domain/pulses/pulse.js';

const items: PulseItem[] = [
  { id: 'a', kind: 'agree5', dimension: 'awareness', text: 'A' },
  { id: 'o', kind: 'text', text: 'O' },
];
// Real respondents are keyed hashes; these differ within their first 12 characters as those do.
const answer = (n: number, a: number, unit = 'Willow', open = ''): RespondentAnswer => ({
  respondent: `${String(n).padStart(3, '0')}-respondent`,
  values: open === '' ? { a } : { a, o: open },
  groups: { site: 'Oak View', unit },
});
const many = (count: number, a: number, from = 0, unit = 'Willow') =>
  Array.from({ length: count }, (_, index) => answer(from + index, a, unit));

/** One reading against a store held in a map, as the repository would keep it. */
function reader(threshold = 5) {
  const store = new Map<string, Publication>();
  let minute = 0;
  return (answers: RespondentAnswer[]) => {
    const now = new Date(Date.UTC(2026, 11, 3, 9, minute++)).toISOString();
    const { results, published } = publishedRoundResults({
      items,
      answers,
      recipients: 40,
      recipientsByGroup: {},
      threshold,
      last: store,
      now,
    });
    for (const publication of published) {
      store.set(
        publication.group.field === 'all' ? 'all' : `${publication.group.field}:${publication.group.value}`,
        publication,
      );
    }
    return { results, published, now };
  };
}
const meanOf = (results: ReturnType<ReturnType<typeof reader>>['results']) => results.overall?.items[0]?.mean;

describe('publishing figures in steps of the threshold', () => {
  it('publishes nothing below the threshold, then everything shown once it is reached', () => {
    const read = reader();
    const four = read(many(4, 3));
    expect(four.results.overall).toBeUndefined();
    expect(four.published).toEqual([]);
    const five = read(many(5, 3));
    expect(five.results.overall?.answers).toBe(5);
    expect(five.results.overall?.asPublished).toBeUndefined();
    expect(five.published.map((one) => one.group)).toEqual([
      { field: 'all' },
      { field: 'site', value: 'Oak View' },
      { field: 'unit', value: 'Willow' },
    ]);
    expect(five.published[0]?.publishedAt).toBe(five.now);
  });

  it('shows the figures as published, marked, while exactly threshold - 1 new answers have come in', () => {
    const read = reader();
    const first = read(many(5, 3));
    const later = read([...many(5, 3), ...many(4, 1, 5)]);
    expect(later.published).toEqual([]);
    // The round's own count moves; what the answers say does not.
    expect(later.results.answers).toBe(9);
    expect(later.results.overall).toEqual({ ...first.results.overall, asPublished: { at: first.now } });
    expect(later.results.groups.map((group) => group.asPublished?.at)).toEqual([first.now, first.now]);
    expect(meanOf(later.results)).toBe(3);

    const enough = read([...many(5, 3), ...many(5, 1, 5)]);
    expect(enough.results.overall?.answers).toBe(10);
    expect(enough.results.overall?.asPublished).toBeUndefined();
    expect(meanOf(enough.results)).toBe(2);
    expect(enough.published).toHaveLength(3);
  });

  it('counts edits and removals as changed answers, and an edit that moves no figure not at all', () => {
    const read = reader();
    const base = many(6, 3);
    const first = read(base);
    // Four edited to another score, one taken away: five changes.
    const edited = [...many(4, 5), ...base.slice(4, 5)];
    expect(read(edited.slice(0, 4).concat(base.slice(4))).results.overall?.asPublished).toEqual({
      at: first.now,
    });
    const now = read(edited);
    expect(now.results.overall?.asPublished).toBeUndefined();
    expect(meanOf(now.results)).toBe(4.6);

    // Changing only an open answer, or saving the same score again, moves no figure: nothing to publish.
    const reworded = read(
      edited.map((one, index) => answer(index, one.values.a as number, 'Willow', 'more time')),
    );
    expect(reworded.published).toEqual([]);
    expect(reworded.results.overall).toEqual(now.results.overall);
  });

  it('counts a person moving between groups as a change to both, not to the groups holding them throughout', () => {
    const read = reader();
    const first = read([...many(10, 3, 0, 'Willow'), ...many(10, 4, 10, 'Rowan')]);
    const moved = (count: number) => [
      ...many(count, 3, 0, 'Rowan'),
      ...many(10 - count, 3, count, 'Willow'),
      ...many(10, 4, 10, 'Rowan'),
    ];
    const unit = (results: typeof first.results, value: string) =>
      results.groups.find((group) => group.group.field === 'unit' && group.group.value === value);
    const three = read(moved(3));
    // Everyone's answers are as they were: those figures stand, unmarked.
    expect(three.published).toEqual([]);
    expect(three.results.overall).toEqual(first.results.overall);
    expect(unit(three.results, 'Willow')).toMatchObject({ answers: 10, asPublished: { at: first.now } });
    expect(unit(three.results, 'Rowan')).toMatchObject({ answers: 10, asPublished: { at: first.now } });
    const five = read(moved(5));
    expect(five.published.map((one) => one.group)).toEqual([
      { field: 'unit', value: 'Rowan' },
      { field: 'unit', value: 'Willow' },
    ]);
    expect(unit(five.results, 'Willow')?.answers).toBe(5);
    expect(unit(five.results, 'Willow')?.asPublished).toBeUndefined();
  });

  it('publishes nothing that differs from any earlier publication by fewer answers than the threshold', () => {
    const read = reader();
    const first = read(many(5, 3));
    read(many(5, 1));
    // Four go back to what they first said and one more answers: five changes since the last figures,
    // but only two since the first, which a reader who kept the first card could subtract.
    const back = read([...many(4, 3), answer(4, 1), answer(5, 1)]);
    expect(back.published).toEqual([]);
    expect(back.results.overall?.asPublished).toBeDefined();
    expect(meanOf(back.results)).toBe(1);
    expect(first.results.overall?.items[0]?.mean).toBe(3);
    // Three more answers make five since the first figures too.
    const later = read([...many(4, 3), answer(4, 1), ...many(4, 2, 5)]);
    expect(later.results.overall?.asPublished).toBeUndefined();
    expect(later.results.overall?.answers).toBe(9);
  });

  it('shows as they stand, unmarked, figures whose answers have not changed', () => {
    const read = reader();
    const first = read(many(5, 2));
    const again = read(many(5, 2));
    expect(again.published).toEqual([]);
    expect(again.results.overall).toEqual(first.results.overall);
  });

  it('never shows a group the anonymity rules hide now, whatever was published for it before', () => {
    const read = reader();
    read([...many(5, 3, 0, 'Willow'), ...many(5, 4, 5, 'Rowan')]);
    const after = read([...many(5, 3, 0, 'Willow'), ...many(3, 4, 5, 'Rowan')]);
    expect(after.results.groups.map((group) => group.group)).toEqual([{ field: 'site', value: 'Oak View' }]);
  });
});
