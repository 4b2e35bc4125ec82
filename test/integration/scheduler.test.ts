import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { progressCard } from '../../src/cards/updateCards.js';
import { ConversationRateLimiter, TenantRateLimiter } from '../../src/delivery/rateLimiter.js';
import type { Broadcast } from '../../src/domain/broadcast.js';
import { Localizer } from '../../src/i18n/strings.js';
import { createLogger } from '../../src/logger.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/testHuddle.js';

const prefix = uniquePrefix();
const logger = createLogger('silent');
const t = new Localizer().for('en-GB');
let instances: Storage[] = [];

/** One app instance's scheduler; each has its own storage clients and so its own lease. */
function schedulerOn(storage: Storage) {
  return new Scheduler({
    ...storage,
    sender: {
      send: () => Promise.reject(new Error('the scheduler never sends updates itself')),
      update: () => Promise.reject(new Error('no progress card in this test')),
    },
    tenantLimiter: new TenantRateLimiter(50),
    conversationLimiter: new ConversationRateLimiter(),
    renderProgress: (broadcast, figures) => progressCard(t, broadcast, figures),
    clock: { now: () => new Date() },
    logger,
    tickMs: 100,
  });
}

const broadcastDueIn = (ms: number): Broadcast => {
  const now = new Date().toISOString();
  return {
    tenantId: TENANT,
    id: `b-${Math.random().toString(36).slice(2)}`,
    content: { headline: 'Fire drill on Thursday', message: 'At 10:00, all units.' },
    audience: { kind: 'all' },
    urgent: false,
    sendAt: new Date(Date.now() + ms).toISOString(),
    status: 'scheduled',
    createdBy: {
      aadObjectId: 'aad-manager',
      name: 'Alex Wilber',
      locale: 'en-GB',
      timeZone: 'Europe/London',
    },
    recipients: 0,
    createdAt: now,
    updatedAt: now,
  };
};

beforeAll(async () => {
  const open = () =>
    openStorage(
      { kind: 'connectionString', connectionString: inject('storageConnectionString') },
      prefix,
      logger,
    );
  instances = [await open(), await open()];
  await seedStaff(instances[0] as Storage, 'http://127.0.0.1:9/', 120);
});

afterAll(async () => {
  for (const storage of instances) await storage.close();
});

describe('the scheduler with several instances', () => {
  it('enqueues a scheduled broadcast once, when it is due, whichever instances tick', async () => {
    const [a, b] = instances as [Storage, Storage];
    const broadcast = broadcastDueIn(1_500);
    await a.broadcasts.create(broadcast);
    const one = schedulerOn(a);
    const two = schedulerOn(b);

    await Promise.all([one.tick(), two.tick()]);
    expect(await a.deliveries.outcomes(broadcast.id)).toEqual([]);
    expect((await a.broadcasts.get(TENANT, broadcast.id))?.status).toBe('scheduled');

    await new Promise((wait) => setTimeout(wait, 1_600));
    for (let round = 0; round < 5; round++) await Promise.all([one.tick(), two.tick()]);

    const stored = await a.broadcasts.get(TENANT, broadcast.id);
    expect(stored?.status).toBe('sending');
    expect(stored?.recipients).toBe(120);
    expect(await a.deliveries.outcomes(broadcast.id)).toHaveLength(120);
    // 120 recipients in work items of 50: three items, not six.
    expect(await a.queue.approximateLength()).toBe(3);
    await one.stop();
    await two.stop();
  });

  it('hands over when the lease holder stops', async () => {
    const [a, b] = instances as [Storage, Storage];
    const first = await a.lease.hold();
    expect(first).toBe(true);
    expect(await b.lease.hold()).toBe(false);
    await a.lease.release();
    expect(await b.lease.hold()).toBe(true);
    expect(await a.lease.hold()).toBe(false);
    await b.lease.release();
  });
});
