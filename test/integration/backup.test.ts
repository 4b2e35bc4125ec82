import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DisclosureScreen } from '../../src/analysis/disclosureScreen.js';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { ScreenedClassifier } from '../../src/analysis/screenedClassifier.js';
import { LOCAL_ANSWER_KEY } from '../../src/config.js';
import { DEMO_TENANT_ID, OAK_VIEW_PEOPLE } from '../../src/demo/oakView.js';
import { seedDemo } from '../../src/demo/seed.js';
import { ReplyHandles } from '../../src/domain/feedback/replyHandles.js';
import { RespondentKeys } from '../../src/domain/people/respondentKeys.js';
import { Localizer } from '../../src/i18n/strings.js';
import { type OpenTables, openStorage, openTablesOnly } from '../../src/storage/openStorage.js';
import { TABLES, type TableName } from '../../src/storage/tableClients.js';
import { readRows, type StoredRow } from '../../src/storage/tableCopy.js';
import { message, type Person } from '../support/activities.js';
import { STAFF_ONLY } from '../support/members.js';
import { runHuddle } from '../support/processes.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

/**
 * `huddle backup` and `huddle restore` as an operator runs them, against Azurite: the Oak View demo (its six
 * weeks of broadcasts, deliveries, pulse rounds, answers and comments) backed up from one deployment and
 * restored into another, which then answers exactly as the first did.
 */
const DAY = 86_400_000;
const logger = pino({ level: 'silent' });
const original = uniquePrefix();
const restored = uniquePrefix();
const folder = mkdtempSync(join(tmpdir(), 'huddle-backup-'));
const backupDir = join(folder, 'backup');
const tableNames = Object.keys(TABLES) as TableName[];
const env = (prefix: string) => ({
  AZURE_STORAGE_CONNECTION_STRING: inject('storageConnectionString'),
  HUDDLE_TABLE_PREFIX: prefix,
  LOG_LEVEL: 'silent',
});
const open = (prefix: string) =>
  openTablesOnly(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    prefix,
    logger,
  );

/** Every row of every table, types and all, to compare two deployments. */
async function dump(tables: OpenTables): Promise<Record<string, StoredRow[]>> {
  const rows: Record<string, StoredRow[]> = {};
  for (const table of tableNames) {
    rows[table] = [];
    for await (const row of readRows(tables.tables.get(table))) rows[table].push(row);
  }
  return rows;
}

// A row with every Edm type the SDK can write, where no command reads it: the one place a Double holding
// a whole number, an Int64 beyond 2^53 or a seven-digit DateTime would show a lossy copy.
const TYPED = {
  partitionKey: 'typed-probe',
  rowKey: 'every-edm-type',
  wholeDouble: { type: 'Double', value: '3' },
  fraction: 2.5,
  int32: 7,
  int64: { type: 'Int64', value: '9007199254740993' },
  when: { type: 'DateTime', value: '2026-01-01T00:00:00.1234567Z' },
  guid: { type: 'Guid', value: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  bytes: new Uint8Array([0, 1, 255]),
  flag: true,
  text: '3.0 "quoted" 1e5 {"double":"1.0"}',
  empty: '',
} as const;

let originalTables: OpenTables;
let restoredTables: OpenTables;

beforeAll(async () => {
  const storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    original,
    logger,
    localBox(),
  );
  const screen = new DisclosureScreen();
  await seedDemo(storage, {
    clock: { now: () => new Date() },
    words: (key) => new Localizer().for('en-GB')(key),
    keys: new RespondentKeys(LOCAL_ANSWER_KEY),
    classifier: new ScreenedClassifier(new LocalClassifier(), screen, (error) => {
      throw error;
    }),
    replyHandles: new ReplyHandles(localBox(), 30 * DAY),
    bootstrap: { manager: [], leader: [], admin: [], safeguardingLead: [] },
    safeguardingResendMs: 15 * 60_000,
    reach: STAFF_ONLY,
    anonymityThreshold: 5,
    commentThreshold: 10,
    quietHours: { start: '21:00', end: '07:00' },
  });
  originalTables = await open(original);
  await originalTables.tables.get('actionClaims').createEntity(TYPED);
  restoredTables = await open(restored);
}, 120_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('huddle backup and restore', () => {
  it('backs up every table and restores it into empty storage row for row, each property with its type', async () => {
    const backup = await runHuddle(['backup', '--out', backupDir], env(original));
    expect(backup.stderr).not.toContain('huddle:');
    expect(backup.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.tables).sort()).toEqual(Object.values(TABLES).sort());
    for (const table of ['Members', 'Broadcasts', 'Deliveries', 'PulseRounds', 'Answers', 'Comments']) {
      expect(manifest.tables[table].rows, table).toBeGreaterThan(0);
    }
    const rows = Object.values(manifest.tables).reduce(
      (sum: number, entry) => sum + (entry as { rows: number }).rows,
      0,
    );
    expect(backup.stdout).toContain(`Backed up ${rows} rows`);

    const restore = await runHuddle(['restore', '--in', backupDir], env(restored));
    expect(restore.stderr).not.toContain('huddle:');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`Restored ${rows} rows from ${backupDir}`);

    const before = await dump(originalTables);
    expect(await dump(restoredTables)).toEqual(before);
    const probe = before.actionClaims?.find((row) => row.PartitionKey === 'typed-probe');
    expect(probe?.properties).toEqual({
      wholeDouble: { type: 'Double', value: '3.0' },
      fraction: { type: 'Double', value: '2.5' },
      int32: { type: 'Int32', value: 7 },
      int64: { type: 'Int64', value: '9007199254740993' },
      when: { type: 'DateTime', value: '2026-01-01T00:00:00.1234567Z' },
      guid: { type: 'Guid', value: '0f8fad5b-d9cb-469f-a165-70867728950e' },
      bytes: { type: 'Binary', value: 'AAH/' },
      flag: { type: 'Boolean', value: true },
      text: { type: 'String', value: '3.0 "quoted" 1e5 {"double":"1.0"}' },
      empty: { type: 'String', value: '' },
    });
  }, 120_000);

  it('answers results, comments and my data from the restored storage exactly as from the original', async () => {
    const connector = await startRecordingConnector();
    const alex = OAK_VIEW_PEOPLE.find((one) => one.name === 'Alex Wilber');
    if (alex === undefined) throw new Error('the demo has no Alex Wilber');
    const who: Person = { id: `29:${alex.aadObjectId}`, aadObjectId: alex.aadObjectId, name: alex.name };
    const where = { serviceUrl: connector.serviceUrl, tenantId: DEMO_TENANT_ID };
    const answers = async (prefix: string) => {
      const bot = await startTestHuddle({ HUDDLE_TABLE_PREFIX: prefix });
      try {
        const replies: string[] = [];
        for (const text of ['results', 'comments', 'my data']) {
          replies.push(await ask(bot.post, connector, message(who, text, where)));
        }
        return replies;
      } finally {
        await bot.stop();
      }
    };
    try {
      const fromOriginal = await answers(original);
      expect(fromOriginal.join('')).toContain('alexw@example.com');
      expect(fromOriginal[0]).not.toContain('AdaptiveCard","body":[]');
      expect(await answers(restored)).toEqual(fromOriginal);
    } finally {
      await connector.close();
    }
  }, 120_000);

  it('refuses a target that already holds rows, naming its tables, and writes nothing', async () => {
    const before = await dump(restoredTables);
    const again = await runHuddle(['restore', '--in', backupDir], env(restored));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('restore refused: these tables already hold rows:');
    expect(again.stderr).toContain(`${restored}Members`);
    expect(again.stderr).toContain('nothing was written');
    expect(await dump(restoredTables)).toEqual(before);
  }, 60_000);

  it.each([
    [
      'a missing table file',
      (dir: string) => rmSync(join(dir, 'Comments.jsonl')),
      'Comments.jsonl is missing',
    ],
    [
      'one changed byte',
      (dir: string) => {
        const path = join(dir, 'Members.jsonl');
        const bytes = readFileSync(path);
        bytes[10] = bytes[10] === 0x41 ? 0x42 : 0x41;
        writeFileSync(path, bytes);
      },
      'Members.jsonl does not match its checksum in manifest.json: it was changed or damaged',
    ],
    [
      'a changed manifest',
      (dir: string) => {
        const path = join(dir, 'manifest.json');
        writeFileSync(path, readFileSync(path, 'utf8').replace(/"rows": (\d+)/, '"rows": 1$1'));
      },
      'manifest.json does not match its checksum in manifest.sha256: it was changed or damaged',
    ],
    [
      'a backup cut short',
      (dir: string) => rmSync(join(dir, 'manifest.sha256')),
      'manifest.sha256 is missing: the backup did not finish',
    ],
  ])(
    'refuses a backup with %s, saying what is wrong, before writing anything',
    async (_, damage, complaint) => {
      const damaged = mkdtempSync(join(folder, 'damaged-'));
      await cp(backupDir, damaged, { recursive: true });
      damage(damaged);
      const target = uniquePrefix();
      const refused = await runHuddle(['restore', '--in', damaged], env(target));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('restore refused, nothing was written');
      expect(refused.stderr).toContain(complaint);
      const empty = await dump(await open(target));
      expect(Object.values(empty).flat()).toEqual([]);
    },
    60_000,
  );

  it('will not write a backup into a folder that already holds one', async () => {
    const refused = await runHuddle(['backup', '--out', backupDir], env(original));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${backupDir} is not empty`);
  }, 60_000);
});

/** Posts one message and returns what Huddle sent back, without the ids that differ on every send. */
async function ask(
  post: (body: unknown) => Promise<{ status: number }>,
  connector: RecordingConnector,
  activity: ReturnType<typeof message>,
): Promise<string> {
  // Only what answers this message: the scheduler may send elsewhere meanwhile (the demo's due work), and a
  // busy machine shifts when.
  const answers = () =>
    connector
      .sent()
      .filter(
        (sent) =>
          (sent.conversation as { id?: string } | undefined)?.id === activity.conversation.id &&
          (sent.attachments !== undefined || sent.text !== undefined),
      );
  const before = answers().length;
  expect((await post(activity)).status).toBeLessThan(300);
  const replies = (
    await until(
      async () => answers(),
      (all) => all.length > before,
    )
  ).slice(before);
  return JSON.stringify(replies.map(({ attachments, text }) => ({ attachments, text })));
}
