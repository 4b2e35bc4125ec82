import { describe, expect, it } from 'vitest';
import { appendRow } from '../bench/resultsTable.js';

const HEADING = '## Every benchmark at once';
const results = [
  '# Benchmark results',
  '',
  HEADING,
  '',
  '| date | commit |',
  '| --- | --- |',
  '| 2026-12-01 | abc1234 |',
  '',
  'What the numbers say: written by hand.',
  '',
  '## Later section',
  '',
  '| other | table |',
  '| --- | --- |',
].join('\n');

describe('the npm run bench results table', () => {
  it("adds the run's row under the last row of its own table, leaving the prose and other tables as they were", () => {
    const updated = appendRow(results, HEADING, ['2026-12-02', 'def5678']).split('\n');
    expect(updated.slice(4, 9)).toEqual([
      '| date | commit |',
      '| --- | --- |',
      '| 2026-12-01 | abc1234 |',
      '| 2026-12-02 | def5678 |',
      '',
    ]);
    expect(updated.slice(9).join('\n')).toBe(results.split('\n').slice(8).join('\n'));
  });

  it('keeps a cell holding a pipe inside its column', () => {
    const updated = appendRow(results, HEADING, ['2026-12-02', 'a|b']);
    expect(updated).toContain('| 2026-12-02 | a\\|b |');
  });

  it('says so when RESULTS.md has lost the section rather than writing the row somewhere else', () => {
    expect(() => appendRow(results, '## Missing', ['x'])).toThrow('RESULTS.md has no "## Missing" section');
  });
});
