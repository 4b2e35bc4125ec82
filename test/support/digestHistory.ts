import type { Delivery } from '../../src/domain/broadcasts/broadcast.js';
import type { Initiative } from '../../src/domain/initiatives/initiative.js';
import type { Pulse, PulseRound } from '../../src/domain/pulses/pulse.js';
import { isoWeek } from '../../src/domain/shared/isoWeek.js';
import type { Storage } from '../../src/storage/openStorage.js';
import { type Person, TENANT } from './activities.js';
import { pulseFixture } from './pulses.js';
import { seedStaff } from './staff.js';

const DAY = 86_400_000;

export interface HistoryShape {
  weeks: number;
  staff: number;
  commentsPerWeek: number;
  answersPerWeek: number;
  /** How many of each week's answerers also wrote the pulse's open answer (a comment of the round). */
  openAnswersPerWeek?: number;
}

/**
 * Weeks of an initiative's life written straight to storage in the shapes Huddle writes them: each week an
 * update with a delivery row per person (most acknowledged), a pulse round with answers, comments, an
 * escalation, and (for weeks before this one) the digest snapshot. Week 0 is the week ending now.
 */
export async function seedDigestHistory(
  storage: Storage,
  shape: HistoryShape,
  options: { initiativeId?: string; people?: Person[]; now?: number } = {},
): Promise<{ initiative: Initiative; pulse: Pulse; people: Person[] }> {
  const now = options.now ?? Date.now();
  const id = options.initiativeId ?? 'care-plans';
  const people =
    options.people ??
    (await seedStaff(storage, 'http://127.0.0.1:9/', shape.staff, {
      first: 9000,
      groups: (n) => ({
        shiftPattern: n % 3 === 0 ? 'Nights' : 'Days',
        unit: n % 2 === 0 ? 'Willow' : 'Rowan',
      }),
    }));
  const started = new Date(now - (shape.weeks + 1) * 7 * DAY).toISOString();
  const initiative: Initiative = {
    tenantId: TENANT,
    id,
    title: `Change ${id}`,
    why: 'why',
    vision: 'vision',
    objectives: [],
    model: 'lewin',
    stages: [{ key: 'change', title: 'Going digital', explanation: '', focus: ['knowledge'] }],
    currentStage: 0,
    audience: { kind: 'all' },
    owners: [],
    champions: [],
    createdAt: started,
    updatedAt: started,
  };
  await storage.initiatives.put(initiative);
  const pulse = pulseFixture({
    id: `pulse-${id}`,
    initiativeId: initiative.id,
    cadence: 'weekly',
    opensAt: started,
    items: [
      { id: 'mood', kind: 'mood', text: 'How are you feeling?' },
      { id: 'know', kind: 'agree5', text: 'I know how to use the tablets', dimension: 'knowledge' },
      { id: 'worry', kind: 'text', text: 'What worries you about it?' },
    ],
  });
  await storage.pulses.create(pulse);
  for (let week = 0; week < shape.weeks; week++) {
    const at = new Date(now - week * 7 * DAY - DAY);
    const day = at.toISOString().slice(0, 10);
    const updateId = `update-${id}-${week}`;
    await storage.broadcasts.createMissing({
      tenantId: TENANT,
      id: updateId,
      initiativeId: initiative.id,
      content: { headline: `Week ${week}`, message: 'news' },
      audience: { kind: 'all' },
      urgent: false,
      sendAt: at.toISOString(),
      status: 'done',
      createdBy: { aadObjectId: 'm', name: 'Manager', locale: 'en-GB', timeZone: 'UTC' },
      recipients: people.length,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    });
    const deliveries: Delivery[] = people.map((who, n) => ({
      broadcastId: updateId,
      tenantId: TENANT,
      memberId: who.aadObjectId,
      status: 'sent',
      attempts: 1,
      conversation: {},
      locale: 'en-GB',
      timeZone: 'UTC',
      quietHours: { start: '00:00', end: '00:00' },
      groups: { shiftPattern: n % 3 === 0 ? 'Nights' : 'Days' },
      acknowledgedAt: n % 4 === 0 ? undefined : at.toISOString(),
    }));
    await storage.deliveries.createMissing(deliveries);
    const round: PulseRound = {
      tenantId: TENANT,
      pulseId: pulse.id,
      number: shape.weeks - week,
      opensAt: new Date(at.getTime() - 3_600_000).toISOString(),
      // Open for a day and a half, so last week's round closed before this week's digest period began.
      closesAt: new Date(at.getTime() + DAY / 2).toISOString(),
      reminders: [],
      status: week === 0 ? 'open' : 'closed',
      recipients: people.length,
      recipientsByGroup: {},
    };
    await storage.rounds.createMissing(round);
    await inBatches(shape.answersPerWeek, (n) =>
      storage.answers.put({
        tenantId: TENANT,
        pulseId: pulse.id,
        round: round.number,
        initiativeId: initiative.id,
        respondent: `r-${week}-${n}`,
        values: { mood: 1 + (n % 5), know: 1 + ((n + week) % 5) },
        groups: { shiftPattern: n % 3 === 0 ? 'Nights' : 'Days' },
        week: isoWeek(new Date(round.opensAt)),
        day,
      }),
    );
    await inBatches(shape.openAnswersPerWeek ?? 0, (n) =>
      storage.comments.add({
        tenantId: TENANT,
        id: `c-${id}-${week}-open-${n}`,
        source: 'pulse',
        pulseId: pulse.id,
        round: round.number,
        initiativeId: initiative.id,
        text: 'Nobody said when the paper plans go',
        anonymous: true,
        groups: { shiftPattern: n % 3 === 0 ? 'Nights' : 'Days' },
        week: isoWeek(new Date(round.opensAt)),
        day,
        tags: ['communication'],
      }),
    );
    await inBatches(shape.commentsPerWeek, (n) =>
      storage.comments.add({
        tenantId: TENANT,
        id: `c-${id}-${week}-${n}`,
        source: n % 5 === 0 ? 'concern' : 'feedback',
        initiativeId: initiative.id,
        text: 'No time to learn the tablets on nights',
        anonymous: true,
        groups: { shiftPattern: n % 3 === 0 ? 'Nights' : 'Days' },
        week: isoWeek(at),
        day,
        tags: [n % 2 === 0 ? 'training_gap' : 'workload_time'],
      }),
    );
    await storage.escalations.createMissing({
      tenantId: TENANT,
      id: `e-${id}-${week}`,
      commentId: `c-${id}-${week}-0`,
      initiativeId: initiative.id,
      text: 'words',
      anonymous: true,
      flaggedBy: 'writer',
      status: 'acknowledged',
      raisedAt: at.toISOString(),
      alerts: 1,
      nextAlertAt: at.toISOString(),
      acknowledgedAt: new Date(at.getTime() + 600_000).toISOString(),
      timeline: [{ at: at.toISOString(), event: 'raised' }],
    });
    if (week > 0) {
      await storage.digestSnapshots.put(TENANT, {
        initiative: { id: initiative.id, title: initiative.title },
        period: { from: new Date(at.getTime() - 6 * DAY).toISOString(), to: at.toISOString() },
        figures: {
          week: isoWeek(at),
          stage: { index: 0, count: 1, title: 'Going digital' },
          kpis: [],
          engagement: { updatesSent: 1, reached: people.length, concerns: 0 },
          readiness: { index: 50 + (week % 7), dimensions: [], barriers: [], answers: shape.answersPerWeek },
          resistance: [],
          safeguarding: { raised: 1, acknowledgedInTime: 1, waiting: 0 },
        },
        quotes: [],
        nextSteps: [],
      });
    }
  }
  return { initiative, pulse, people };
}

async function inBatches(count: number, write: (n: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < count; start += 50) {
    await Promise.all(Array.from({ length: Math.min(50, count - start) }, (_, i) => write(start + i)));
  }
}
