import { TableClient } from '@azure/data-tables';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Member } from '../../src/domain/people/member.js';
import { ConcurrencyError, CorruptRowError } from '../../src/storage/errors.js';
import { MemberRepository } from '../../src/storage/memberRepository.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';

let storage: Storage;
let prefix: string;
const connectionString = () => inject('storageConnectionString');

const member = (n: number, overrides: Partial<Member> = {}): Member => ({
  tenantId: 'tenant/with#odd?chars',
  aadObjectId: `aad-${n}`,
  name: `Person ${n}`,
  locale: 'en-GB',
  timeZone: 'Europe/London',
  roles: [],
  groups: { site: 'Oak View', unit: 'Willow', jobRole: 'Carer', shiftPattern: 'nights' },
  quietHours: { start: '21:00', end: '07:00' },
  personalInstalled: false,
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z',
  ...overrides,
});

beforeAll(async () => {
  prefix = uniquePrefix();
  storage = await openStorage(
    { kind: 'connectionString', connectionString: connectionString() },
    prefix,
    pino({ level: 'silent' }),
    localBox(),
  );
});
afterAll(() => storage.close());

describe('member repository against Azurite', () => {
  it('round-trips every field, including keys with characters Azure forbids', async () => {
    const original = member(1, {
      roles: ['manager', 'safeguardingLead'],
      userPrincipalName: 'p1@oakview.example',
      personalConversation: { conversation: { id: 'a:1' }, serviceUrl: 'https://smba.example/' },
      personalInstalled: true,
      welcomedAt: '2026-11-23T09:01:00.000Z',
    });
    await storage.members.modify(original.tenantId, original.aadObjectId, () => original);
    expect(await storage.members.get(original.tenantId, original.aadObjectId)).toEqual(original);
    expect(await storage.members.list(original.tenantId)).toEqual([original]);
  });

  it('writes more than one transaction of rows and lists them all', async () => {
    const many = Array.from({ length: 230 }, (_, n) => member(n + 100, { tenantId: 'bulk' }));
    await storage.members.putMany(many);
    expect((await storage.members.list('bulk')).length).toBe(230);
  });

  it('two concurrent changes to one member both land (ETag retry)', async () => {
    await storage.members.modify('t', 'race', () => member(2, { tenantId: 't', aadObjectId: 'race' }));
    await Promise.all([
      storage.members.modify('t', 'race', (m) => ({
        ...(m as Member),
        roles: [...(m?.roles ?? []), 'manager'],
      })),
      storage.members.modify('t', 'race', (m) => ({ ...(m as Member), name: 'Renamed' })),
    ]);
    expect(await storage.members.get('t', 'race')).toMatchObject({ name: 'Renamed', roles: ['manager'] });
  });

  it('surfaces a conflict that never settles as a typed ConcurrencyError', async () => {
    await storage.members.modify('t', 'contested', () =>
      member(3, { tenantId: 't', aadObjectId: 'contested' }),
    );
    const table = TableClient.fromConnectionString(connectionString(), `${prefix}Members`, {
      allowInsecureConnection: true,
    });
    // Another writer changes the row between every read and write of ours.
    const contested = new Proxy(table, {
      get(target, property, receiver) {
        if (property !== 'updateEntity') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<TableClient['updateEntity']>) => {
          await target.updateEntity({ partitionKey: 't', rowKey: 'contested', name: 'rival' }, 'Merge');
          return target.updateEntity(...args);
        };
      },
    });
    const attempt = new MemberRepository(contested).modify('t', 'contested', (current) => ({
      ...(current as Member),
      name: 'mine',
    }));
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await storage.members.get('t', 'contested'))?.name).toBe('rival');
  });

  it('reports a row that no longer matches its schema instead of guessing', async () => {
    const raw = TableClient.fromConnectionString(connectionString(), `${prefix}Members`, {
      allowInsecureConnection: true,
    });
    await raw.upsertEntity({ partitionKey: 't', rowKey: 'broken', name: 'x', roles: 'not json' });
    await expect(storage.members.get('t', 'broken')).rejects.toBeInstanceOf(CorruptRowError);
  });

  it('deletes a member and says whether there was one', async () => {
    await storage.members.modify('t', 'gone', () => member(4, { tenantId: 't', aadObjectId: 'gone' }));
    expect(await storage.members.delete('t', 'gone')).toBe(true);
    expect(await storage.members.delete('t', 'gone')).toBe(false);
    expect(await storage.members.get('t', 'gone')).toBeUndefined();
  });
});

describe('initiative repository against Azurite', () => {
  it('round-trips an initiative with its stages, objectives and audience', async () => {
    const initiative = {
      tenantId: 't',
      id: 'pdsa-falls',
      title: 'Fewer falls at night',
      why: 'Falls on nights doubled this winter.',
      vision: 'Residents move safely at night.',
      objectives: [
        {
          text: 'Halve night falls',
          kpi: { name: 'Night falls', unit: 'per month', baseline: 6, target: 3, due: '2027-03-01' },
        },
      ],
      model: 'pdsa' as const,
      stages: [
        {
          key: 'plan',
          title: 'Plan',
          explanation: 'What we will try.',
          focus: ['awareness' as const],
          plannedStart: '2026-12-01',
        },
      ],
      currentStage: 0,
      pdsaCycle: 2,
      audience: { kind: 'groups' as const, groups: [{ shiftPattern: 'nights' }] },
      owners: ['aad-1'],
      champions: ['aad-2', 'aad-3'],
      createdAt: '2026-11-23T09:00:00.000Z',
      updatedAt: '2026-11-23T09:00:00.000Z',
    };
    await storage.initiatives.put(initiative);
    expect(await storage.initiatives.get('t', 'pdsa-falls')).toEqual(initiative);
    expect(await storage.initiatives.list('t')).toHaveLength(1);
  });
});

describe('installation repository against Azurite', () => {
  it('round-trips a team install and keeps it after removal', async () => {
    const installation = {
      tenantId: 't',
      conversationId: '19:abc@thread.tacv2;messageid=1/2',
      scope: 'team' as const,
      name: 'Oak View staff',
      conversationReference: { conversation: { id: '19:abc' } },
      active: true,
      installedAt: '2026-11-23T09:00:00.000Z',
    };
    await storage.installations.put(installation);
    expect(await storage.installations.get('t', installation.conversationId)).toEqual({
      ...installation,
      removedAt: undefined,
    });
    await storage.installations.put({
      ...installation,
      active: false,
      removedAt: '2026-11-24T09:00:00.000Z',
    });
    expect(await storage.installations.list('t')).toMatchObject([{ active: false, name: 'Oak View staff' }]);
  });

  it('answers readiness while storage is up', async () => {
    await expect(storage.ping()).resolves.toBeUndefined();
  });
});

describe('card action claims', () => {
  const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, seconds));
  const WINDOW = 120_000;

  it('let one of two copies of a press through, take it again after the window, and give it back on release', async () => {
    const both = await Promise.all([
      storage.actionClaims.claim(TENANT, 'press-1', at(0), WINDOW),
      storage.actionClaims.claim(TENANT, 'press-1', at(0), WINDOW),
    ]);
    expect(both.sort()).toEqual([false, true]);
    expect(await storage.actionClaims.claim(TENANT, 'press-1', at(119), WINDOW)).toBe(false);
    expect(await storage.actionClaims.claim(TENANT, 'press-1', at(121), WINDOW)).toBe(true);
    await storage.actionClaims.release(TENANT, 'press-1');
    expect(await storage.actionClaims.claim(TENANT, 'press-1', at(122), WINDOW)).toBe(true);
    // Another tenant's identical key is its own claim.
    expect(await storage.actionClaims.claim('another-tenant', 'press-1', at(122), WINDOW)).toBe(true);
  });
});
