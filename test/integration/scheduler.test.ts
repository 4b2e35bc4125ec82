import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Broadcast } from '../../src/domain/broadcasts/broadcast.js';
import type { Pulse } from '../../src/domain/pulses/pulse.js';
import { newRound, stopPulse } from '../../src/domain/pulses/pulsing.js';
import { createLogger } from '../../src/logger.js';
import type { Scheduler } from '../../src/schedule/scheduler.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { pulseFixture } from '../support/pulses.js';
import { schedulerOn } from '../support/schedulers.js';
import { localBox } from '../support/sealing.js';
import { seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { until } from '../support/until.js';

const prefix = uniquePrefix();
const logger = createLogger('silent');
let instances: Storage[] = [];

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
      localBox(),
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

  it('ticks again at once when nudged during a tick, not an interval later: an alert written after the tick read the schedule goes now', async () => {
    const [a] = instances as [Storage];
    const alert = { ...broadcastDueIn(0), urgent: true };
    // The alert is written, and the scheduler nudged, just after the tick has read what is due: the moment
    // a safeguarding alert raised in a turn can land. With an interval of a minute, only the nudge can
    // start it within seconds.
    let scheduler: Scheduler | undefined;
    let written = false;
    const broadcasts = new Proxy(a.broadcasts, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key !== 'inStatus') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<typeof target.inStatus>) => {
          const due = await target.inStatus(...args);
          if (!written) {
            written = true;
            await target.create(alert);
            scheduler?.nudge();
          }
          return due;
        };
      },
    });
    scheduler = schedulerOn({ ...a, broadcasts }, undefined, undefined, 60_000);
    scheduler.start();
    try {
      await until(
        async () => (await a.broadcasts.get(TENANT, alert.id))?.status,
        (status) => status === 'sending',
        5_000,
      );
    } finally {
      await scheduler.stop();
    }
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

describe('pulse rounds', () => {
  it('opens a round once, reminds once, closes it, and a stopped pulse sends no further round', async () => {
    const [a, b] = instances as [Storage, Storage];
    const start = Date.now();
    let now = start;
    const clock = { now: () => new Date(now) };
    const pulse = pulseFixture({
      title: 'Weekly check-in',
      opensAt: new Date(start - 1_000).toISOString(),
      closesAt: new Date(start - 1_000 + 2 * 86_400_000).toISOString(),
      cadence: 'weekly',
    });
    await a.pulses.create(pulse);
    await a.rounds.createMissing(newRound(pulse, 1));
    const one = schedulerOn(a, clock);
    const two = schedulerOn(b, clock);
    const tickBoth = () => Promise.all([one.tick(), two.tick()]);
    const sends = async () =>
      (await a.broadcasts.list(TENANT)).filter((broadcast) => broadcast.pulse?.pulseId === pulse.id);

    await tickBoth();
    await tickBoth();
    const round1 = await a.rounds.get(TENANT, pulse.id, 1);
    expect(round1).toMatchObject({ status: 'open', recipients: 120 });
    expect(round1?.recipientsByGroup.unit).toEqual({ Willow: 60, Rowan: 60 });
    // Open for two days: 48 hours after opening is the close, so the one reminder is 24 hours before it.
    expect(round1?.reminders.map((one) => one.at)).toEqual([
      new Date(start - 1_000 + 86_400_000).toISOString(),
    ]);
    expect((await sends()).map((send) => [send.id, send.expiresAt])).toEqual([
      [`${pulse.id}.1.open`, pulse.closesAt],
    ]);
    expect(await a.rounds.get(TENANT, pulse.id, 2)).toMatchObject({
      status: 'scheduled',
      opensAt: new Date(start - 1_000 + 7 * 86_400_000).toISOString(),
    });

    now = start + 86_400_000;
    await tickBoth();
    await tickBoth();
    expect((await sends()).map((send) => send.id).sort()).toEqual([
      `${pulse.id}.1.open`,
      `${pulse.id}.1.reminder1`,
    ]);

    now = start + 2 * 86_400_000;
    await tickBoth();
    expect((await a.rounds.get(TENANT, pulse.id, 1))?.status).toBe('closed');

    await stopPulse({ ...a, clock }, TENANT, pulse.id);
    now = start + 8 * 86_400_000;
    await tickBoth();
    expect((await a.rounds.get(TENANT, pulse.id, 2))?.status).toBe('closed');
    expect(await sends()).toHaveLength(2);
    await one.stop();
    await two.stop();
  });

  it('posts a channel pulse once in its team, naming up to 60 people for their own view; reminders go to chats', async () => {
    const [a] = instances as [Storage];
    const start = Date.now();
    let now = start;
    const clock = { now: () => new Date(now) };
    const team = '19:nights@thread.tacv2';
    const reference = {
      conversation: { id: team, conversationType: 'channel' },
      serviceUrl: 'http://127.0.0.1:9/',
    };
    await a.installations.put({
      tenantId: TENANT,
      conversationId: team,
      scope: 'team',
      name: 'Night staff',
      conversationReference: reference,
      active: true,
      installedAt: new Date(start).toISOString(),
    });
    const window = {
      opensAt: new Date(start - 1_000).toISOString(),
      closesAt: new Date(start - 1_000 + 2 * 86_400_000).toISOString(),
    };
    const channel = { conversationId: team, name: 'Night staff' };
    // 60 Willow staff fit Teams' per-person views; all 120 do not.
    const willow = pulseFixture({
      ...window,
      channel,
      audience: { kind: 'groups', groups: [{ unit: 'Willow' }] },
    });
    const everyone = pulseFixture({ ...window, channel });
    for (const pulse of [willow, everyone]) {
      await a.pulses.create(pulse);
      await a.rounds.createMissing(newRound(pulse, 1));
    }
    const scheduler = schedulerOn(a, clock);
    const openSend = (pulse: Pulse) => a.broadcasts.get(TENANT, `${pulse.id}.1.open`);

    await scheduler.tick();
    await scheduler.tick();
    const willowOpen = await openSend(willow);
    expect(willowOpen?.audience.kind).toBe('channel');
    const userIds = willowOpen?.audience.kind === 'channel' ? willowOpen.audience.userIds : [];
    const willowStaff = (await a.members.list(TENANT)).filter((member) => member.groups.unit === 'Willow');
    expect(userIds).toHaveLength(60);
    expect([...userIds].sort()).toEqual(willowStaff.map((member) => member.teamsUserId).sort());
    const everyoneOpen = await openSend(everyone);
    expect(everyoneOpen?.audience).toEqual({ kind: 'channel', conversationId: team, userIds: [] });
    // One delivery, to the team, in the service's time zone; nobody's chat.
    const rows = await a.deliveries.outcomes(`${willow.id}.1.open`);
    expect(rows.map((row) => row.memberId)).toEqual([`channel:${team}`]);
    expect((await a.rounds.get(TENANT, willow.id, 1))?.recipients).toBe(60);

    now = start + 86_400_000;
    await scheduler.tick();
    const reminder = await a.broadcasts.get(TENANT, `${willow.id}.1.reminder1`);
    expect(reminder?.audience).toEqual(willow.audience);
    await scheduler.tick();
    expect(await a.deliveries.outcomes(`${willow.id}.1.reminder1`)).toHaveLength(60);
    await scheduler.stop();
  });
});
