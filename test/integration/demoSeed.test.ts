import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_INITIATIVE_ID, DEMO_TENANT_ID } from '../../src/demo/oakView.js';
import { ensureDemoData, seedDemo } from '../../src/demo/seed.js';
import { Localizer } from '../../src/i18n/strings.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/testHuddle.js';

const english = new Localizer().for('en-GB');
const words = (key: string) => english(key);
const clock = { now: () => new Date('2026-12-01T09:00:00Z') };
const logger = pino({ level: 'silent' });
const ALEX = '00000000-0000-0000-0000-0000000000020';
let storage: Storage;

beforeAll(async () => {
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    uniquePrefix(),
    logger,
    localBox(),
  );
});
afterAll(() => storage.close());

describe('the Oak View demo', () => {
  it('loads 40 care staff, a manager, a leader and a safeguarding lead', async () => {
    await seedDemo(storage, clock, words);
    const people = await storage.members.list(DEMO_TENANT_ID);
    expect(people).toHaveLength(43);
    const staffOnly = people.filter((person) => person.roles.length === 0);
    expect(staffOnly).toHaveLength(40);
    expect(new Set(staffOnly.map((person) => person.groups.jobRole))).toEqual(
      new Set(['Senior carer', 'Carer', 'Nurse', 'Agency carer']),
    );
    expect(new Set(staffOnly.map((person) => person.groups.shiftPattern))).toEqual(
      new Set(['days', 'nights']),
    );
    const roleOf = (name: string) => people.find((person) => person.name === name)?.roles;
    expect(roleOf('Alex Wilber')).toEqual(['manager', 'admin']);
    expect(roleOf('Megan Bowen')).toEqual(['leader']);
    expect(roleOf('Adele Vance')).toContain('safeguardingLead');
  });

  it('loads the digital care planning initiative at its first stage, with dated stages and KPIs', async () => {
    const initiative = await storage.initiatives.get(DEMO_TENANT_ID, DEMO_INITIATIVE_ID);
    expect(initiative).toMatchObject({
      model: 'kotter',
      currentStage: 0,
      audience: { kind: 'all' },
      owners: [ALEX],
    });
    expect(initiative?.stages).toHaveLength(8);
    expect(initiative?.stages[0]).toMatchObject({
      title: 'Why we need to change',
      plannedStart: '2026-12-01',
    });
    expect(initiative?.objectives.map((objective) => objective.kpi.due)).toEqual(Array(3).fill('2027-03-01'));
    expect(initiative?.champions).toHaveLength(5);
    expect(initiative?.champions.every((id) => id !== '')).toBe(true);
  });

  it('is idempotent and keeps what Teams told Huddle since', async () => {
    await storage.members.modify(DEMO_TENANT_ID, ALEX, (current) => ({
      ...(current ?? expect.unreachable()),
      personalConversation: { conversation: { id: 'a:alex' } },
      personalInstalled: true,
      timeZone: 'Europe/Dublin',
    }));
    await seedDemo(storage, clock, words);
    expect(await storage.members.list(DEMO_TENANT_ID)).toHaveLength(43);
    expect(await storage.initiatives.list(DEMO_TENANT_ID)).toHaveLength(1);
    expect(await storage.members.get(DEMO_TENANT_ID, ALEX)).toMatchObject({
      personalInstalled: true,
      timeZone: 'Europe/Dublin',
      personalConversation: { conversation: { id: 'a:alex' } },
    });
  });

  it('is not reloaded at start-up once Oak View has people, so local changes survive', async () => {
    await storage.members.modify(DEMO_TENANT_ID, ALEX, (current) => ({
      ...(current ?? expect.unreachable()),
      roles: ['admin'],
    }));
    await ensureDemoData(storage, clock, words, logger);
    expect((await storage.members.get(DEMO_TENANT_ID, ALEX))?.roles).toEqual(['admin']);
  });
});
