import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { DEMO_TENANT_ID, OAK_VIEW_PEOPLE } from '../../src/demo/oakView.js';
import { openTablesOnly } from '../../src/storage/openStorage.js';
import { TABLES, type TableName } from '../../src/storage/tableClients.js';
import { readRows, type StoredRow } from '../../src/storage/tableCopy.js';
import { executeAction, message, type Person, personalInstall } from '../support/activities.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';

/**
 * `delete my data` leaves nothing that identifies the person anywhere in storage: every row of every table
 * is searched for their AAD object id, Teams user id, name and UPN (as written, and URI-encoded as keys
 * are). The Oak View demo gives them six weeks of history first: deliveries of every broadcast, pulse
 * answers, comments, a place among the initiative's champions; a manager has put them on a saved list.
 */
const prefix = uniquePrefix();
const priya = OAK_VIEW_PEOPLE.find((one) => one.name === 'Priya Patel');
if (priya === undefined) throw new Error('the demo has no Priya Patel');
const who: Person = { id: '29:teams-user-priya', aadObjectId: priya.aadObjectId, name: priya.name };
const needles = [who.aadObjectId, who.id, who.name, priya.userPrincipalName].flatMap((needle) => [
  needle,
  encodeURIComponent(needle),
]);

let bot: TestHuddle;
let connector: RecordingConnector;

/** Every row of every table, by table. */
async function everyRow(): Promise<Map<TableName, StoredRow[]>> {
  const { tables, close } = await openTablesOnly(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    prefix,
    pino({ level: 'silent' }),
  );
  const rows = new Map<TableName, StoredRow[]>();
  try {
    for (const table of Object.keys(TABLES) as TableName[]) {
      const found: StoredRow[] = [];
      for await (const row of readRows(tables.get(table))) found.push(row);
      rows.set(table, found);
    }
  } finally {
    await close();
  }
  return rows;
}

/** Each row (table, keys) in which any of the person's identifiers appears. */
const naming = (rows: Map<TableName, StoredRow[]>) =>
  [...rows].flatMap(([table, inTable]) =>
    inTable.flatMap((row) => {
      const text = JSON.stringify(row);
      const hits = needles.filter((needle) => text.includes(needle));
      return hits.length === 0
        ? []
        : [`${TABLES[table]} ${row.PartitionKey} ${row.RowKey}: ${hits.join(', ')}`];
    }),
  );

/** What each update's figures are counted from: every delivery's broadcast, outcome and "got it" time. */
const outcomes = (rows: Map<TableName, StoredRow[]>) =>
  (rows.get('deliveries') ?? [])
    .map(({ PartitionKey, properties }) =>
      [PartitionKey, properties.status?.value, properties.acknowledgedAt?.value ?? ''].join(' '),
    )
    .sort();

/**
 * Every row once a scheduler tick has added nothing more: a send still going out (the demo's weekly note to
 * its champions, Priya among them) reaches her at the next tick after she installs Huddle.
 */
async function settledRows(): Promise<Map<TableName, StoredRow[]>> {
  let rows = await everyRow();
  for (;;) {
    await new Promise((wait) => setTimeout(wait, 2_500));
    const again = await everyRow();
    if (JSON.stringify(outcomes(again)) === JSON.stringify(outcomes(rows))) return again;
    rows = again;
  }
}

beforeAll(async () => {
  connector = await startRecordingConnector();
  bot = await startTestHuddle({ HUDDLE_TABLE_PREFIX: prefix, HUDDLE_SEED_DEMO: 'true' });
}, 120_000);
afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

describe('delete my data', () => {
  it('leaves no row that names or identifies the person, in any table', async () => {
    const where = { serviceUrl: connector.serviceUrl, tenantId: DEMO_TENANT_ID };
    const say = async (text: string) => {
      const before = connector.sent().length;
      expect((await bot.post(message(who, text, where))).status).toBeLessThan(300);
      return JSON.stringify((await connector.waitForSent(before + 1)).slice(before));
    };
    const stamp = new Date().toISOString();
    await bot.huddle.storage.savedLists.put({
      tenantId: DEMO_TENANT_ID,
      id: 'night-seniors',
      name: 'Night seniors',
      memberIds: [who.aadObjectId, 'someone-else'],
      createdBy: 'a-manager',
      createdAt: stamp,
      updatedAt: stamp,
    });
    expect((await bot.post(personalInstall(who, where))).status).toBeLessThan(300);
    await connector.waitForSent(1);
    expect(await say('my data')).toContain(priya.userPrincipalName);
    const before = await settledRows();
    expect(naming(before)).not.toEqual([]);

    expect(await say('delete my data')).toContain(VERBS.deleteMyDataConfirm);
    const confirmed = await bot.post(executeAction(who, VERBS.deleteMyDataConfirm, where, {}));
    expect(JSON.stringify(confirmed.body)).toContain('deleted');

    const after = await everyRow();
    expect(naming(after)).toEqual([]);
    // Their deliveries are kept under ids that name nobody, so what each update reached does not change.
    expect(outcomes(after)).toEqual(outcomes(before));
    expect(after.get('members')).toHaveLength((before.get('members')?.length ?? 0) - 1);
    const [list] = await bot.huddle.storage.savedLists.list(DEMO_TENANT_ID);
    expect(list?.memberIds).toEqual(['someone-else']);
  }, 120_000);
});
