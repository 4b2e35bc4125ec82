import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TABLES, type TableName, type Tables } from '../storage/tableClients.js';
import { isEmpty, readRows, type StoredRow, storedRow, writeRows } from '../storage/tableCopy.js';

/** A backup that cannot be taken or restored; the message says what is wrong, and nothing was written. */
export class BackupError extends Error {
  override name = 'BackupError';
}

const MANIFEST = 'manifest.json';
/** The manifest's own checksum, in `sha256sum` format so `sha256sum -c manifest.sha256` checks it too. */
const MANIFEST_SUM = 'manifest.sha256';
const FORMAT = 'huddle-backup-1';

const tableNames = Object.keys(TABLES) as TableName[];
const fileOf = (table: TableName) => `${TABLES[table]}.jsonl`;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const manifestSchema = z
  .object({
    format: z.literal(FORMAT),
    createdAt: z.string().datetime(),
    tables: z.record(
      z.string(),
      z
        .object({
          file: z.string(),
          rows: z.number().int().min(0),
          sha256: z.string().regex(/^[0-9a-f]{64}$/),
        })
        .strict(),
    ),
  })
  .strict();
type Manifest = z.infer<typeof manifestSchema>;

export type RowCounts = Record<TableName, number>;

/**
 * Writes every table to `dir` as JSONL, one file per table, then the manifest (rows and sha256 of each
 * file), then the manifest's checksum last: a backup cut short has no checksum and is never restored.
 */
export async function backupTables(tables: Tables, dir: string, now: Date): Promise<RowCounts> {
  const existing = await readdir(dir).catch(() => []);
  if (existing.length > 0) {
    throw new BackupError(`${dir} is not empty: back up into a new folder, so no older file is mixed in.`);
  }
  await mkdir(dir, { recursive: true });
  const manifest: Manifest = { format: FORMAT, createdAt: now.toISOString(), tables: {} };
  const counts = {} as RowCounts;
  for (const table of tableNames) {
    const out = createWriteStream(join(dir, fileOf(table)), { encoding: 'utf8' });
    const hash = createHash('sha256');
    let rows = 0;
    try {
      for await (const row of readRows(tables.get(table))) {
        const line = `${JSON.stringify(row)}\n`;
        hash.update(line);
        rows += 1;
        if (!out.write(line)) await once(out, 'drain');
      }
    } finally {
      out.end();
      await once(out, 'finish');
    }
    manifest.tables[TABLES[table]] = { file: fileOf(table), rows, sha256: hash.digest('hex') };
    counts[table] = rows;
  }
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(join(dir, MANIFEST), manifestText);
  await writeFile(join(dir, MANIFEST_SUM), `${sha256(manifestText)}  ${MANIFEST}\n`);
  return counts;
}

/**
 * Restores a backup into storage whose tables are all empty. Everything is checked before the first row is
 * written: the manifest against its checksum, every table present, each file against its checksum and row
 * count, every row well formed, and every target table empty.
 */
export async function restoreTables(tables: Tables, dir: string): Promise<RowCounts> {
  const backup = await readBackup(dir);
  const occupied: string[] = [];
  for (const table of tableNames) {
    if (!(await isEmpty(tables.get(table)))) occupied.push(tables.get(table).tableName);
  }
  if (occupied.length > 0) {
    throw new BackupError(
      `restore refused: these tables already hold rows: ${occupied.join(', ')}. Restore only into empty storage (a new account, or a new HUDDLE_TABLE_PREFIX); nothing was written.`,
    );
  }
  const counts = {} as RowCounts;
  for (const table of tableNames) {
    const rows = backup.get(table) ?? [];
    await writeRows(tables.get(table), rows);
    counts[table] = rows.length;
  }
  return counts;
}

/** Every table's rows from a backup, or a BackupError listing everything wrong with it. */
async function readBackup(dir: string): Promise<Map<TableName, StoredRow[]>> {
  const refuse = (problems: string[]) =>
    new BackupError(
      `restore refused, nothing was written: ${dir} ${problems.length === 1 ? 'has a problem' : 'has problems'}:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
  const manifest = await readManifest(dir, refuse);
  const problems: string[] = [];
  const unknown = Object.keys(manifest.tables).filter(
    (name) => !tableNames.some((table) => TABLES[table] === name),
  );
  for (const name of unknown) problems.push(`${MANIFEST} lists ${name}, a table Huddle does not have`);
  const backup = new Map<TableName, StoredRow[]>();
  for (const table of tableNames) {
    const entry = manifest.tables[TABLES[table]];
    if (entry === undefined) {
      problems.push(`${MANIFEST} does not list ${TABLES[table]}: the backup is partial`);
      continue;
    }
    if (entry.file !== fileOf(table)) {
      problems.push(
        `${MANIFEST} names ${JSON.stringify(entry.file)} for ${TABLES[table]}, not ${fileOf(table)}`,
      );
      continue;
    }
    const content = await readFile(join(dir, entry.file)).catch(() => undefined);
    if (content === undefined) {
      problems.push(`${entry.file} is missing`);
      continue;
    }
    if (sha256(content) !== entry.sha256) {
      problems.push(`${entry.file} does not match its checksum in ${MANIFEST}: it was changed or damaged`);
      continue;
    }
    const lines = content.toString('utf8').split('\n');
    if (lines.pop() !== '') problems.push(`${entry.file} does not end with a new line`);
    if (lines.length !== entry.rows) {
      problems.push(`${entry.file} holds ${lines.length} rows, ${MANIFEST} says ${entry.rows}`);
      continue;
    }
    const rows: StoredRow[] = [];
    lines.forEach((line, index) => {
      const parsed = storedRow.safeParse(parseJson(line));
      if (parsed.success) rows.push(parsed.data);
      else
        problems.push(
          `${entry.file} line ${index + 1} is not a stored row: ${parsed.error.issues[0]?.message}`,
        );
    });
    backup.set(table, rows);
  }
  if (problems.length > 0) throw refuse(problems);
  return backup;
}

async function readManifest(dir: string, refuse: (problems: string[]) => BackupError): Promise<Manifest> {
  const sum = await readFile(join(dir, MANIFEST_SUM), 'utf8').catch(() => undefined);
  if (sum === undefined) {
    throw refuse([`${MANIFEST_SUM} is missing: the backup did not finish, or ${dir} is not a Huddle backup`]);
  }
  const text = await readFile(join(dir, MANIFEST)).catch(() => undefined);
  if (text === undefined) throw refuse([`${MANIFEST} is missing`]);
  if (sum !== `${sha256(text)}  ${MANIFEST}\n`) {
    throw refuse([`${MANIFEST} does not match its checksum in ${MANIFEST_SUM}: it was changed or damaged`]);
  }
  const parsed = manifestSchema.safeParse(parseJson(text.toString('utf8')));
  if (!parsed.success) {
    throw refuse([
      `${MANIFEST} is not a Huddle backup manifest (${FORMAT}): ${parsed.error.issues[0]?.message}`,
    ]);
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
