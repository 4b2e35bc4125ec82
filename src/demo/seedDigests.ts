import { DEFAULT_DIGEST_SCHEDULE, type DigestPeriod, dueDigest } from '../domain/digest/schedule.js';
import { type WeeklyDigestDeps, weeklyDigest } from '../domain/digest/weeklyDigest.js';
import type { Initiative } from '../domain/initiatives/initiative.js';
import { isoWeek } from '../domain/shared/isoWeek.js';
import { addLocalDays } from '../domain/shared/timeZone.js';
import type { Storage } from '../storage/openStorage.js';

export type DigestStores = Pick<
  Storage,
  | 'members'
  | 'broadcasts'
  | 'deliveries'
  | 'comments'
  | 'escalations'
  | 'pulses'
  | 'rounds'
  | 'answers'
  | 'publications'
  | 'digestSnapshots'
  | 'actions'
>;

const ZONE = 'Europe/London';
const DAY = 86_400_000;

/**
 * The weekly digests the scheduler would have saved had Huddle been running through the demo's history,
 * built as it builds them (each from its own week's rows, with the initiative as it stood then), so the
 * first `digest` has last week to compare with and a readiness trend. This week's is left to the scheduler.
 */
export async function seedPastDigests(
  stores: DigestStores,
  reading: Pick<WeeklyDigestDeps, 'anonymityThreshold' | 'commentThreshold' | 'safeguardingResendMs'>,
  initiativeAt: (moment: Date) => Initiative,
  start: Date,
  now: Date,
): Promise<void> {
  const thisWeek =
    dueDigest(now, DEFAULT_DIGEST_SCHEDULE, ZONE) ??
    dueDigest(new Date(now.getTime() - 7 * DAY), DEFAULT_DIGEST_SCHEDULE, ZONE);
  if (thisWeek === undefined) return;
  const periods: DigestPeriod[] = [];
  for (let weeksBack = 1; ; weeksBack++) {
    const to = addLocalDays(thisWeek.to, -7 * weeksBack, ZONE);
    if (to.getTime() - 7 * DAY < start.getTime()) break;
    periods.unshift({ week: isoWeek(to), from: addLocalDays(to, -7, ZONE), to });
  }
  for (const period of periods) {
    const deps: WeeklyDigestDeps = { ...stores, ...reading, clock: { now: () => period.to } };
    await weeklyDigest(deps, initiativeAt(period.to), period, { save: true });
  }
}
