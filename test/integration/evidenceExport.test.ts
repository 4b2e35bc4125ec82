import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DisclosureScreen } from '../../src/analysis/disclosureScreen.js';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { ScreenedClassifier } from '../../src/analysis/screenedClassifier.js';
import { resultsRows } from '../../src/cards/resultsSpreadsheet.js';
import { UsageError } from '../../src/cli/evalCommand.js';
import { ExportError, exportEvidence, parseExportArgs } from '../../src/cli/exportEvidence.js';
import { LOCAL_ANSWER_KEY } from '../../src/config.js';
import { DEMO_INITIATIVE_ID, DEMO_TENANT_ID } from '../../src/demo/oakView.js';
import { seedDemo } from '../../src/demo/seed.js';
import { savedDigest } from '../../src/domain/digest/weeklyDigest.js';
import { ReplyHandles } from '../../src/domain/feedback/replyHandles.js';
import { RespondentKeys } from '../../src/domain/people/respondentKeys.js';
import { roundResultsOf } from '../../src/domain/pulses/pulseReporting.js';
import { Localizer } from '../../src/i18n/strings.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { STAFF_ONLY } from '../support/members.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';

const t = new Localizer().for('en-GB');
const NOW = new Date('2026-12-01T09:00:00Z');
const DAY = 86_400_000;
const THRESHOLD = 5;
const ZONE = 'Europe/London';
let storage: Storage;
let out: string;

const setting = {
  t,
  timeZone: ZONE,
  now: NOW,
  anonymityThreshold: THRESHOLD,
  safeguardingResendMs: 15 * 60_000,
};
const exportAs = (format: 'docx' | 'md' | 'csv', initiative = DEMO_INITIATIVE_ID, folder = out) =>
  exportEvidence(storage, { initiative, out: folder, format }, setting);

/** Rows of a CSV file written by Huddle: byte-order mark off, each row split on commas outside quotes. */
const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((row) =>
      [...row.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((cell) => cell[1]?.replace(/^"|"$/g, '') ?? ''),
    )
    .map((cells) => cells.slice(0, 4));

beforeAll(async () => {
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    uniquePrefix(),
    pino({ level: 'silent' }),
    localBox(),
  );
  await seedDemo(storage, {
    reach: STAFF_ONLY,
    clock: { now: () => NOW },
    words: (key) => t(key),
    keys: new RespondentKeys(LOCAL_ANSWER_KEY),
    classifier: new ScreenedClassifier(new LocalClassifier(), new DisclosureScreen(), (error) => {
      throw error;
    }),
    replyHandles: new ReplyHandles(localBox(), 30 * DAY),
    bootstrap: { manager: [], leader: [], admin: [], safeguardingLead: [] },
    safeguardingResendMs: 15 * 60_000,
    anonymityThreshold: THRESHOLD,
    commentThreshold: 10,
    quietHours: { start: '21:00', end: '07:00' },
  });
  out = await mkdtemp(join(tmpdir(), 'huddle-evidence-'));
}, 120_000);
afterAll(() => storage.close());

describe('huddle export of the Oak View change', () => {
  it('writes a CSV whose every pulse and weekly figure is the one the results and digest cards show', async () => {
    const { path, pack } = await exportAs('csv');
    expect(path).toBe(join(out, `evidence-${DEMO_INITIATIVE_ID}.csv`));
    const rows = csvRows(await readFile(path, 'utf8'));
    const value = (section: string, row: string, column: string) =>
      rows
        .filter((cells) => cells[0]?.startsWith(section) && cells[1] === row && cells[2] === column)
        .map((cells) => cells[3]);
    expect(pack.rounds.length).toBeGreaterThan(1);
    const deps = { ...storage, clock: { now: () => NOW }, anonymityThreshold: THRESHOLD };
    for (const round of pack.rounds) {
      // The results card's spreadsheet of the same round, read as a manager would read it now.
      const card = await roundResultsOf(
        deps,
        DEMO_TENANT_ID,
        (await storage.pulses.list(DEMO_TENANT_ID))[0]?.id ?? '',
        round.round,
      );
      const sheet = resultsRows(t, { ...card, timeZone: ZONE, threshold: THRESHOLD });
      const cardFigure = (group: string, figure: string) =>
        sheet.find((cells) => cells[4] === group && cells[5] === figure)?.at(-1);
      const key = `${round.pulse} · ${round.round}`;
      expect(value('3.', key, 'Answers')).toEqual([String(cardFigure('Everyone', 'Answers'))]);
      expect(value('3.', key, 'Readiness index (0-100)')).toEqual([
        String(cardFigure('Everyone', 'Readiness index (0-100)')),
      ]);
      for (const group of card.results.groups) {
        const name = `${t(`group.${group.group.field}`)} ${'value' in group.group ? group.group.value : ''}`;
        expect(value('Appendix B', `${key} · ${name}`, 'Readiness index (0-100)')).toEqual([
          String(cardFigure(name, 'Readiness index (0-100)')),
        ]);
      }
    }
    expect(pack.weeks.length).toBeGreaterThan(1);
    for (const week of pack.weeks) {
      const digest = await savedDigest(storage, DEMO_TENANT_ID, DEMO_INITIATIVE_ID, week.week);
      const engagement = digest?.figures.engagement;
      expect(value('3.', week.week, 'Got it (%)')).toEqual([
        String(engagement?.acknowledgementRate ?? 'none'),
      ]);
      expect(value('3.', week.week, 'Concerns')).toEqual([String(engagement?.concerns)]);
      expect(value('3.', week.week, 'Readiness index (0-100)')).toEqual([
        String(digest?.figures.readiness?.index ?? 'none'),
      ]);
    }
  });

  it('never shows a group or a round below the threshold', async () => {
    const { path, pack } = await exportAs('csv');
    const rows = csvRows(await readFile(path, 'utf8'));
    const answers = rows.filter((cells) => cells[0]?.startsWith('Appendix B') && cells[2] === 'Answers');
    expect(answers.length).toBeGreaterThan(pack.rounds.length);
    for (const cells of answers) expect(Number(cells[3])).toBeGreaterThanOrEqual(THRESHOLD);
    for (const round of pack.rounds.filter((one) => one.answers < THRESHOLD))
      expect(rows).toContainEqual([
        '3. Pulse results by round and trends',
        `${round.pulse} · ${round.round}`,
        'Readiness index (0-100)',
        'Not shown',
      ]);
    // No group of fewer than five staff is named anywhere (Oak View's agency carers are four).
    const people = await storage.members.list(DEMO_TENANT_ID);
    const small = [...new Set(people.map((person) => person.groups.jobRole))].filter(
      (role) =>
        role !== undefined && people.filter((person) => person.groups.jobRole === role).length < THRESHOLD,
    );
    for (const role of small) expect(JSON.stringify(rows)).not.toContain(`Role ${role}`);
  });

  it('writes a Word document that opens with the change on one page, the tables and the framework map', async () => {
    const { path } = await exportAs('docx');
    const xml = strFromU8(unzipSync(await readFile(path))['word/document.xml'] ?? new Uint8Array());
    const texts = (part: string) =>
      [...part.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]).join('');
    const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((match) => texts(match[0]));
    expect(paragraphs[0]).toBe('Evidence pack: Digital care planning at Oak View');
    expect(paragraphs).toContain('Appendix A: Communication log');
    const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((match) =>
      [...match[0].matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((row) =>
        [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) => texts(cell[0])),
      ),
    );
    const cqc = tables.find((rows) => rows[0]?.[0] === 'Quality statement');
    expect(cqc?.map((row) => row[0])).toEqual([
      'Quality statement',
      'Shared direction and culture',
      'Capable, compassionate and inclusive leaders',
      'Freedom to speak up',
      'Governance, management and sustainability',
      'Learning, improvement and innovation',
    ]);
    const log = tables.find((rows) => rows[0]?.[0] === 'Sent' && rows[0]?.includes('Recipients'));
    expect(log?.length).toBeGreaterThan(2);
  });

  it('writes Markdown with the sections as headings', async () => {
    const { path } = await exportAs('md');
    const headings = (await readFile(path, 'utf8')).split('\n').filter((line) => line.startsWith('## '));
    expect(headings.slice(0, 8)).toEqual([
      '## 1. The change on one page',
      '## 2. Timeline of stages and communications',
      '## 3. Pulse results by round and trends',
      '## 4. Themes over time',
      '## 5. Actions and outcomes ("You said, we did")',
      '## 6. Champion involvement',
      '## 7. Safeguarding escalations',
      '## 8. How staff were involved',
    ]);
  });

  it('still exports a change with nothing in it yet, and says so plainly', async () => {
    const demo = await storage.initiatives.get(DEMO_TENANT_ID, DEMO_INITIATIVE_ID);
    if (demo === undefined) throw new Error('no demo initiative');
    await storage.initiatives.put({ ...demo, id: 'night-handover', title: 'Night handover', champions: [] });
    const { path, pack } = await exportAs('md', 'night-handover');
    const text = await readFile(path, 'utf8');
    expect(pack.empty).toBe(true);
    expect(text).toContain('Nothing has happened in this change yet');
    expect(text).toContain('No pulse round has opened yet.');
    expect(text).toContain('## Appendix A: Communication log\n\nNothing recorded yet.');
  });

  it('refuses an unknown initiative and a folder it cannot write, leaving no file behind', async () => {
    await expect(exportAs('docx', 'no-such-change')).rejects.toThrow(
      new ExportError(
        `No initiative "no-such-change". The initiatives are: ${DEMO_INITIATIVE_ID}, night-handover.`,
      ),
    );
    const blocker = join(out, 'a-file');
    await writeFile(blocker, 'not a folder');
    await expect(exportAs('docx', DEMO_INITIATIVE_ID, join(blocker, 'pack'))).rejects.toThrow(
      /Cannot write into .*a-file\/pack: ENOTDIR/,
    );
    expect((await readdir(out)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('reads its arguments: docx unless said, and a format it does not know is refused', () => {
    expect(parseExportArgs(['--initiative', 'x', '--out', 'dir'])).toEqual({
      initiative: 'x',
      out: 'dir',
      format: 'docx',
    });
    expect(() => parseExportArgs(['--initiative', 'x', '--out', 'dir', '--format', 'pdf'])).toThrow(
      new UsageError('huddle export --format is one of docx, md, csv'),
    );
    expect(() => parseExportArgs(['--out', 'dir'])).toThrow(
      new UsageError('huddle export needs --initiative ID'),
    );
  });
});
