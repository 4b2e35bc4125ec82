import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../../src/cli/inputRecords.js';
import { readLabelledFile } from '../../../src/cli/labelledFile.js';

const dir = mkdtempSync(join(tmpdir(), 'huddle-labelled-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('reading a labelled file', () => {
  it('reads safeguarding labels written the ways people write them, and a blank theme as no theme', async () => {
    const path = file(
      'ways.csv',
      'text,theme,safeguarding\n' +
        'a,Training_Gap ,TRUE\nb,,no\nc,neutral,1\nd,neutral, 0\ne,neutral,Yes\nf,neutral,false\n',
    );
    const { comments, skipped } = await readLabelledFile(path);
    expect(skipped).toEqual([]);
    expect(comments.map(({ theme, safeguarding }) => [theme, safeguarding])).toEqual([
      ['training_gap', true],
      [undefined, false],
      ['neutral', true],
      ['neutral', false],
      ['neutral', true],
      ['neutral', false],
    ]);
  });

  it('takes JSONL booleans and numbers as labels, and reports bad rows by line without quoting the comment', async () => {
    const path = file(
      'mixed.jsonl',
      [
        '{"text":"one","theme":"supportive","safeguarding":true}',
        '{"text":"secret words","theme":"rota","safeguarding":false}',
        '{"text":"secret words","safeguarding":"maybe"}',
        '{"text":"secret words"}',
        '{"text":"   ","safeguarding":0}',
        '{"text":"two","safeguarding":0}',
      ].join('\n'),
    );
    const { comments, skipped } = await readLabelledFile(path);
    expect(comments.map(({ line, text }) => [line, text])).toEqual([
      [1, 'one'],
      [6, 'two'],
    ]);
    expect(skipped).toEqual([
      { line: 2, reason: expect.stringMatching(/^the theme "rota" is not one of workload_time, /) },
      { line: 3, reason: 'the safeguarding label "maybe" is not true/false, yes/no or 1/0' },
      { line: 4, reason: 'there is no "safeguarding" label: write true or false' },
      { line: 5, reason: 'the text is empty' },
    ]);
    expect(JSON.stringify(skipped)).not.toContain('secret');
  });

  it("reads the project's own TSV sets, quotes and all", async () => {
    const path = file(
      'set.tsv',
      'theme\tsafeguarding\tcase\ttext\nsupportive\tfalse\t\tShe said "great" twice\n',
    );
    expect((await readLabelledFile(path)).comments).toEqual([
      { line: 2, text: 'She said "great" twice', theme: 'supportive', safeguarding: false },
    ]);
  });

  it('reads an optional kind of comment, so false alarms can be counted by kind', async () => {
    const path = file(
      'kinds.tsv',
      'safeguarding\tkind\ttext\nfalse\tLook-alike \tBruise body-mapped\nfalse\t\tRota late\ntrue\tdisclosure\tHe hits her\n',
    );
    expect((await readLabelledFile(path)).comments.map(({ kind }) => kind)).toEqual([
      'look-alike',
      undefined,
      'disclosure',
    ]);
  });

  it('refuses a table without a text or safeguarding column, naming the columns it has', async () => {
    const path = file('unlabelled.csv', 'text,theme\nhello,neutral\n');
    await expect(readLabelledFile(path)).rejects.toThrow(InputFileError);
    await expect(readLabelledFile(path)).rejects.toThrow(
      'has no column "safeguarding"; its columns are: text, theme.',
    );
  });

  it('refuses a file with no usable row, listing why each line was skipped', async () => {
    const path = file('useless.csv', 'text,safeguarding\n,true\nhi,perhaps\n');
    await expect(readLabelledFile(path)).rejects.toThrow(
      `${path} has no labelled comment to score.\n  line 2: the text is empty\n  line 3: the safeguarding label "perhaps" is not true/false, yes/no or 1/0`,
    );
  });

  it('names a file that is not there', async () => {
    await expect(readLabelledFile(join(dir, 'nowhere.csv'))).rejects.toThrow(
      `There is no file ${join(dir, 'nowhere.csv')}.`,
    );
  });
});
