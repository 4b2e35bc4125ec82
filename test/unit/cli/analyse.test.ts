import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LocalClassifier } from '../../../src/analysis/localClassifier.js';
import { analyseFile } from '../../../src/cli/analyse.js';
import { InputFileError } from '../../../src/cli/inputRecords.js';
import { RESISTANCE_KINDS, RESISTANCE_LEVELS, THEMES } from '../../../src/domain/feedback/themes.js';

const dir = mkdtempSync(join(tmpdir(), 'huddle-analyse-'));
const classifier = new LocalClassifier();
const outputLine = z
  .object({
    text: z.string().min(1),
    primaryTheme: z.enum(THEMES),
    themes: z.array(z.enum(THEMES)).min(1),
    sentiment: z.number().min(-1).max(1),
    resistance: z.enum(RESISTANCE_LEVELS),
    resistanceKind: z.enum(RESISTANCE_KINDS).nullable(),
    safeguarding: z.boolean(),
  })
  .passthrough();

function run(name: string, content: string, textColumn = 'text') {
  const input = join(dir, name);
  const output = join(dir, `${name}.out.jsonl`);
  writeFileSync(input, content);
  return {
    report: analyseFile({ input, output, textColumn }, classifier),
    lines: () =>
      readFileSync(output, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => outputLine.parse(JSON.parse(line))),
  };
}

describe('huddle analyse', () => {
  it('reads a Microsoft Forms style CSV (byte order mark, quoted commas and line breaks) and keeps every other column', async () => {
    const csv =
      '\uFEFFID,Start time,What would make this change easier?\n' +
      '1,11/20/26 09:01,"Nobody asked the night staff, not once"\n' +
      '2,11/20/26 09:05,"More training please.\nThe session was too short"\n' +
      '3,11/20/26 09:07,I saw a carer slap Mr T on nights\n';
    const { report, lines } = run('forms.csv', csv, 'What would make this change easier?');
    // The second answer spans lines 3-4, so the third is on line 5 of the file.
    expect(await report).toEqual({ written: 3, safeguarding: [5], skipped: [] });
    const [first, second, third] = lines();
    expect(first).toMatchObject({ ID: '1', 'Start time': '11/20/26 09:01', primaryTheme: 'not_consulted' });
    expect(second?.primaryTheme).toBe('training_gap');
    expect(third).toMatchObject({ safeguarding: true, resistanceKind: null });
  });

  it('reports malformed CSV lines with their line numbers and carries on', async () => {
    const { report, lines } = run(
      'bad.csv',
      'id,text\n1,"I love the new app"\n2\n3,""\n4,"Another change, here we go again"\n',
    );
    expect(await report).toEqual({
      written: 2,
      safeguarding: [],
      skipped: [
        { line: 3, reason: 'a different number of fields from the header' },
        { line: 4, reason: 'the text is empty' },
      ],
    });
    expect(lines().map((line) => line.primaryTheme)).toEqual(['supportive', 'change_fatigue']);
  });

  it('reads JSONL, keeps the other fields, and skips lines that are not JSON, not objects or have no text', async () => {
    const jsonl = [
      '{"text":"The training was far too short","shift":"nights","id":7}',
      'not json',
      '{"note":"no text here"}',
      '',
      '[1,2]',
      `{"text":"${'x'.repeat(10_001)}"}`,
      '{"text":"Nobody has said when the paper records stop."}',
    ].join('\n');
    const { report, lines } = run('comments.jsonl', jsonl);
    expect((await report).skipped).toEqual([
      { line: 2, reason: 'not valid JSON' },
      { line: 3, reason: 'there is no "text"' },
      { line: 5, reason: 'not a JSON object' },
      { line: 6, reason: 'the text is over 10000 characters' },
    ]);
    expect(lines()).toEqual([
      expect.objectContaining({ shift: 'nights', id: 7, primaryTheme: 'training_gap' }),
      expect.objectContaining({ primaryTheme: 'communication' }),
    ]);
  });

  it('stops at once, naming the columns there are, when the text column is not in the CSV', async () => {
    const { report } = run('columns.csv', 'id,comment\n1,hello\n');
    await expect(report).rejects.toThrow(InputFileError);
    await expect(run('columns2.csv', 'id,comment\n1,hello\n').report).rejects.toThrow(
      'has no column "text"; its columns are: id, comment',
    );
  });
});

describe('huddle analyse with several comments read at once', () => {
  it('writes every comment in the order of the file, however the readings finish', async () => {
    const input = join(dir, 'order.jsonl');
    const output = join(dir, 'order.out.jsonl');
    const texts = Array.from({ length: 20 }, (_, index) => `Comment number ${index} about the tablets`);
    writeFileSync(input, texts.map((text) => JSON.stringify({ text })).join('\n'));
    // Later comments are read faster than earlier ones, as a pool of threads may finish them.
    const slowFirst = {
      classify: async (text: string) => {
        const index = Number(text.split(' ')[2]);
        await new Promise((done) => setTimeout(done, (20 - index) * 3));
        return classifier.classify(text);
      },
    };
    const report = await analyseFile({ input, output, textColumn: 'text' }, slowFirst, { inFlight: 8 });
    expect(report.written).toBe(20);
    const written = readFileSync(output, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line).text);
    expect(written).toEqual(texts);
  });
});
