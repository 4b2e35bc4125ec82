import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pulseResultsCard } from '../../../src/cards/pulseResultsCard.js';
import { resultsRows } from '../../../src/cards/resultsSpreadsheet.js';
import type { MemberGroups } from '../../../src/domain/people/member.js';
import { GROUP_FIELDS } from '../../../src/domain/people/member.js';
import type { Pulse, PulseItem, PulseRound } from '../../../src/domain/pulses/pulse.js';
import { roundResults } from '../../../src/domain/pulses/pulseResults.js';
import { Localizer } from '../../../src/i18n/strings.js';

const items: PulseItem[] = [
  { id: 'a', kind: 'agree5', dimension: 'awareness', text: 'Awareness item' },
  { id: 'e', kind: 'scale10', dimension: 'enps', text: 'Recommend item' },
];

/** Group values drawn from small sets so that small groups, nesting and overlaps all happen often. */
const respondent = fc.record({
  groups: fc.record(
    {
      site: fc.constantFrom('North', 'South', 'East'),
      unit: fc.constantFrom('Ward 1', 'Ward 2', 'Ward 3', 'Ward 4'),
      jobRole: fc.constantFrom('Carer', 'Nurse', 'Cook'),
      shiftPattern: fc.constantFrom('Days', 'Nights'),
    },
    { requiredKeys: [] },
  ),
  values: fc.record({ a: fc.integer({ min: 1, max: 5 }), e: fc.integer({ min: 0, max: 10 }) }),
});

type Shown = { members: Set<number>; field: string };

/**
 * What an attacker could subtract: for any shown group P and any family of shown groups of one field
 * lying inside P (they are disjoint), P minus their union; and for any two shown groups one inside the
 * other, the difference. Each must be nobody or at least the threshold.
 */
function smallestRecoverable(shown: Shown[], threshold: number): number | undefined {
  let smallest: number | undefined;
  const note = (size: number) => {
    if (size > 0 && size < threshold) smallest = Math.min(smallest ?? size, size);
  };
  const inside = (a: Set<number>, b: Set<number>) => [...a].every((member) => b.has(member));
  for (const parent of shown) {
    for (const child of shown) {
      if (child !== parent && inside(child.members, parent.members))
        note(parent.members.size - child.members.size);
    }
    for (const field of GROUP_FIELDS) {
      const children = shown.filter(
        (group) => group !== parent && group.field === field && inside(group.members, parent.members),
      );
      // Every subfamily, so a remainder hidden behind a bigger union is found too.
      for (let mask = 1; mask < 1 << children.length; mask++) {
        const union = children
          .filter((_, index) => mask & (1 << index))
          .reduce((sum, group) => sum + group.members.size, 0);
        note(parent.members.size - union);
      }
    }
  }
  return smallest;
}

describe('anonymity of pulse results (property)', () => {
  it('never shows a group below the threshold, directly or by subtraction, in the figures, on the card or in the spreadsheet', () => {
    const t = new Localizer().for('en-GB');
    fc.assert(
      fc.property(
        fc.array(respondent, { maxLength: 40 }),
        fc.integer({ min: 3, max: 6 }),
        (answers, threshold) => {
          const results = roundResults({
            items,
            answers,
            recipients: 50,
            recipientsByGroup: {},
            threshold,
          });
          const membersOf = (groups: MemberGroups, field: string, value?: string) =>
            field === 'all' || groups[field as keyof MemberGroups] === value;
          const shown: Shown[] = [
            ...(results.overall === undefined ? [] : [results.overall]),
            ...results.groups,
          ].map((figures) => {
            const { group } = figures;
            const members = new Set(
              answers.flatMap((answer, index) =>
                membersOf(answer.groups, group.field, group.field === 'all' ? undefined : group.value)
                  ? [index]
                  : [],
              ),
            );
            // The figures describe exactly the people in the group, and there are enough of them.
            expect(figures.answers).toBe(members.size);
            expect(members.size).toBeGreaterThanOrEqual(threshold);
            return { members, field: group.field };
          });
          if (results.overall === undefined) expect(results.groups).toEqual([]);
          expect(smallestRecoverable(shown, threshold)).toBeUndefined();

          // The card shows nothing the model withheld: each group line names a shown group.
          const pulse = {
            id: 'p',
            title: 'T',
            items,
            anonymity: 'anonymous',
            status: 'active',
            createdBy: { timeZone: 'UTC' },
          } as unknown as Pulse;
          const round = {
            number: 1,
            status: 'open',
            opensAt: '2026-11-23T09:00:00Z',
            closesAt: '2026-11-30T09:00:00Z',
          } as PulseRound;
          const card = JSON.stringify(
            pulseResultsCard(t, {
              rounds: [{ pulse, round, results }],
              threshold,
              timeZone: 'UTC',
              canAct: true,
            }),
          );
          const lines = [...card.matchAll(/(Site|Unit|Role|Shift) ([^:"]+): (\d+) answers/g)];
          expect(lines.length).toBe(results.groups.length);
          for (const [, , , count] of lines) expect(Number(count)).toBeGreaterThanOrEqual(threshold);

          // The spreadsheet names exactly the shown groups, each with its (big enough) answer count.
          const rows = resultsRows(t, { pulse, round, results, threshold, timeZone: 'UTC' }).slice(1);
          const shownNames = results.groups.map((figures) =>
            figures.group.field === 'all'
              ? 'Everyone'
              : `${t(`group.${figures.group.field}`)} ${figures.group.value}`,
          );
          expect(new Set(rows.map((row) => row[4]))).toEqual(new Set(['Everyone', ...shownNames]));
          for (const name of shownNames) {
            const [answered] = rows.filter((row) => row[4] === name && row[5] === 'Answers');
            expect(Number(answered?.[8])).toBeGreaterThanOrEqual(threshold);
          }
          if (results.overall === undefined) expect(rows.some((row) => row[5] === 'Mean')).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});
