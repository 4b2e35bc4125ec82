import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { outboxMessages } from '../../src/delivery/messages.js';
import type { LoopAction } from '../../src/domain/actions/action.js';
import type { Broadcast, Delivery } from '../../src/domain/broadcasts/broadcast.js';
import { RespondentKeys } from '../../src/domain/people/respondentKeys.js';
import { Localizer } from '../../src/i18n/strings.js';
import { createLogger } from '../../src/logger.js';
import { overdueReminderId, remindOverdueActions } from '../../src/schedule/actionReminders.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';

/**
 * "You said, we did": an action past its due day reminds its owner once, through the outbox, whichever
 * instance ticks and however often; an action done meanwhile is not chased.
 */
const logger = createLogger('silent');
const NOW = new Date('2026-12-01T09:00:00Z');
let a: Storage;
let b: Storage;

const action = (id: string, due: string, status: LoopAction['status'] = 'open'): LoopAction => ({
  tenantId: TENANT,
  id,
  heard: 'Nights have no time to learn the tablets',
  willDo: `Drop-ins on nights (${id})`,
  owner: { aadObjectId: 'owner-1', name: 'Alex Wilber' },
  due,
  audience: 'all',
  status,
  createdBy: { aadObjectId: 'owner-1', name: 'Alex Wilber' },
  createdAt: '2026-11-01T09:00:00Z',
  updatedAt: '2026-11-01T09:00:00Z',
  published: [],
});

const depsOf = (storage: Storage) => ({
  ...storage,
  defaults: { timeZone: 'Europe/London' },
  logger,
});

beforeAll(async () => {
  const prefix = uniquePrefix();
  const open = () =>
    openStorage(
      { kind: 'connectionString', connectionString: inject('storageConnectionString') },
      prefix,
      logger,
      localBox(),
    );
  [a, b] = [await open(), await open()];
  // The scheduler looks after the tenants that have a change.
  await a.initiatives.put({
    tenantId: TENANT,
    id: 'care-plans',
    title: 'Digital care plans',
    why: 'why',
    vision: 'vision',
    objectives: [],
    model: 'lewin',
    stages: [],
    currentStage: 0,
    audience: { kind: 'all' },
    owners: ['owner-1'],
    champions: [],
    createdAt: '2026-11-01T09:00:00Z',
    updatedAt: '2026-11-01T09:00:00Z',
  });
  await a.actions.create(action('late', '2026-11-30'));
  await a.actions.create(action('today', '2026-12-01'));
  await a.actions.create(action('closed', '2026-11-20', 'done'));
});

afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe('an overdue action', () => {
  it('reminds its owner once, whichever instance ticks and however often; not before it is overdue, nor once closed', async () => {
    const reminded = async () =>
      (await a.broadcasts.list(TENANT))
        .filter((sent) => sent.overdueAction !== undefined)
        .map((sent) => sent.id);
    await remindOverdueActions(depsOf(a), NOW);
    await remindOverdueActions(depsOf(b), new Date(NOW.getTime() + 60_000));
    expect(await reminded()).toEqual([overdueReminderId('late')]);
    const [sent] = (await a.broadcasts.list(TENANT)).filter((one) => one.overdueAction !== undefined);
    expect(sent?.audience).toEqual({ kind: 'members', memberIds: ['owner-1'] });
    // Marked when first reminded, so a later tick does not look for the send again.
    expect((await a.actions.get(TENANT, 'late'))?.remindedAt).toBe(NOW.toISOString());
    // Days later the one due today is overdue too; the first is not reminded again.
    await remindOverdueActions(depsOf(a), new Date(NOW.getTime() + 3 * 86_400_000));
    expect(await reminded()).toEqual([overdueReminderId('late'), overdueReminderId('today')]);
  });

  it('tells the owner what is overdue, and is not sent once the action is done', async () => {
    const compose = outboxMessages({
      ...a,
      keys: new RespondentKeys('a-test-secret-of-at-least-32-characters'),
      localizer: new Localizer(),
      clock: { now: () => NOW },
      safeguarding: { procedure: 'Tell the nurse in charge.', contacts: 'DSL 0117 496 0000' },
    });
    const reminder = (await a.broadcasts.get(TENANT, overdueReminderId('late'))) as Broadcast;
    const delivery = {
      broadcastId: reminder.id,
      tenantId: TENANT,
      memberId: 'owner-1',
      status: 'pending',
      attempts: 0,
      locale: 'en-GB',
      timeZone: 'Europe/London',
      quietHours: { start: '00:00', end: '00:00' },
    } satisfies Delivery;
    expect(JSON.stringify(await compose(reminder, delivery))).toContain(
      'An action you own is overdue: Drop-ins on nights (late) (due 30 November 2026)',
    );
    await a.actions.modify(TENANT, 'late', (current) => ({ ...current, status: 'done' }));
    expect(await compose(reminder, delivery)).toEqual({ skip: 'the action is no longer overdue' });
  });
});
