import { describe, expect, it } from 'vitest';
import { resultsFileName, resultsRows, toCsv } from '../../src/cards/resultsSpreadsheet.js';
import type { Pulse, PulseItem, PulseRound } from '../../src/domain/pulses/pulse.js';
import { roundResults } from '../../src/domain/pulses/pulseResults.js';
import { Localizer } from '../../src/i18n/strings.js';

const t = new Localizer().for('en-GB');

describe('results as a spreadsheet', () => {
  it('writes numbers as numbers, quotes what needs quoting, and starts with a byte-order mark for Excel', () => {
    expect(
      toCsv([
        ['Unit', 'Value'],
        ['Willow, upstairs', -20],
        ['Say "hello"', 3.5],
      ]),
    ).toBe('\uFEFFUnit,Value\r\n"Willow, upstairs",-20\r\n"Say ""hello""",3.5\r\n');
  });

  it('never lets a question a manager wrote run as a formula when the file is opened', () => {
    const csv = toCsv([['=HYPERLINK("http://x.example","Click")', '+1', '-1', '@SUM(A1)', 'Fine', -1]]);
    expect(csv).toBe(`\uFEFF"'=HYPERLINK(""http://x.example"",""Click"")",'+1,'-1,'@SUM(A1),Fine,-1\r\n`);
  });

  it('names the file after the pulse in plain letters', () => {
    const named = (title: string, number = 2) =>
      resultsFileName({
        pulse: { title } as Pulse,
        round: { number } as PulseRound,
        results: { recipients: 0, answers: 0, responseRate: 0, groups: [] },
      });
    expect(named('Zoë’s night staff: how is it going?')).toBe(
      'zoe-s-night-staff-how-is-it-going-round-2.csv',
    );
    expect(named('???', 1)).toBe('pulse-round-1.csv');
  });

  it('says figures are withheld when too few have answered, and lists none of them', () => {
    const items: PulseItem[] = [{ id: 'a', kind: 'agree5', dimension: 'awareness', text: 'Awareness item' }];
    const answers = [1, 2, 3].map((value) => ({ values: { a: value }, groups: { unit: 'Willow' } }));
    const results = roundResults({ items, answers, recipients: 12, recipientsByGroup: {}, threshold: 5 });
    const rows = resultsRows(t, {
      pulse: { title: 'Nights', items } as Pulse,
      round: { number: 1, opensAt: '2026-11-23T09:00:00Z', closesAt: '2026-11-27T17:00:00Z' } as PulseRound,
      results,
      threshold: 5,
      timeZone: 'Europe/London',
    });
    expect(rows.slice(1).map((row) => row.slice(4))).toEqual([
      ['Everyone', 'People reached', '', '', 12],
      ['Everyone', 'Answers', '', '', 3],
      ['Everyone', 'Answered among people reached (%)', '', '', 25],
      [
        'Everyone',
        'Not shown',
        '',
        '',
        'Fewer than 5 people have answered, so nothing about the answers is shown yet.',
      ],
    ]);
    expect(rows[1]?.slice(0, 4)).toEqual(['Nights', 1, '2026-11-23 09:00', '2026-11-27 17:00']);
  });

  it('says when figures kept as published were published, and how many answers they rest on', () => {
    const items: PulseItem[] = [{ id: 'a', kind: 'agree5', dimension: 'awareness', text: 'Awareness item' }];
    const answers = [1, 2, 3, 4, 5, 5].map((value, n) => ({
      values: { a: value },
      groups: { unit: n < 3 ? 'Willow' : 'Rowan' },
    }));
    const fresh = roundResults({ items, answers, recipients: 12, recipientsByGroup: {}, threshold: 3 });
    const at = { at: '2026-11-24T09:00:00Z' };
    const results = {
      ...fresh,
      answers: 8,
      overall: fresh.overall && { ...fresh.overall, asPublished: at },
      groups: fresh.groups.map((group) => ({ ...group, asPublished: at })),
    };
    const rows = resultsRows(t, {
      pulse: { title: 'Nights', items } as Pulse,
      round: { number: 1, opensAt: '2026-11-23T09:00:00Z', closesAt: '2026-11-27T17:00:00Z' } as PulseRound,
      results,
      threshold: 3,
      timeZone: 'Europe/London',
    }).map((row) => row.slice(4, 6).concat(row.slice(8)));
    expect(rows).toContainEqual(['Everyone', 'Answers', 8]);
    expect(rows).toContainEqual(['Everyone', 'Figures as published at', '2026-11-24 09:00']);
    expect(rows).toContainEqual(['Everyone', 'Answers when published', 6]);
    expect(rows).toContainEqual(['Unit Rowan', 'Figures as published at', '2026-11-24 09:00']);
    expect(rows).toContainEqual(['Unit Rowan', 'Answers when published', 3]);
    expect(rows.some((row) => row[0] === 'Unit Rowan' && row[1] === 'Answers')).toBe(false);
  });
});

describe('themes in the spreadsheet', () => {
  const items: PulseItem[] = [{ id: 'a', kind: 'agree5', dimension: 'awareness', text: 'Awareness item' }];
  const answers = [1, 2, 3, 4, 5].map((value) => ({ values: { a: value }, groups: {} }));
  const model = {
    pulse: { title: 'Nights', items } as Pulse,
    round: { number: 1, opensAt: '2026-11-23T09:00:00Z', closesAt: '2026-11-27T17:00:00Z' } as PulseRound,
    results: roundResults({ items, answers, recipients: 5, recipientsByGroup: {}, threshold: 5 }),
    threshold: 5,
    timeZone: 'Europe/London',
  };
  const themeRows = (rows: (string | number)[][]) =>
    rows.filter((row) => String(row[5]).includes('heme')).map((row) => row.slice(5));

  it('counts what the open answers are about as the card does, and says who chose the themes', () => {
    const rows = resultsRows(t, {
      ...model,
      themes: {
        counts: [
          { theme: 'training_gap', count: 3 },
          { theme: 'workload_time', count: 2 },
        ],
        sources: { writer: 3, manager: 1, classifier: 1 },
        total: 5,
      },
    });
    expect(themeRows(rows)).toEqual([
      ['Open answers about this theme', '', 'training', 3],
      ['Open answers about this theme', '', 'time and workload', 2],
      ['Themes chosen by staff', '', '', 3],
      ['Themes corrected by a manager', '', '', 1],
      ['Themes read by Huddle', '', '', 1],
    ]);
  });

  it('has no theme rows when the card shows none (too few open answers)', () => {
    expect(themeRows(resultsRows(t, model))).toEqual([]);
  });
});
