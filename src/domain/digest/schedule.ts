import { isClockTime } from '../people/quietHours.js';
import { isoWeek } from '../shared/isoWeek.js';
import { addLocalDays, localDayAndTime, zonedToInstant } from '../shared/timeZone.js';

/** When the service's weekly digest goes out: an ISO weekday (1 Monday .. 7 Sunday) and a local time. */
export interface DigestSchedule {
  weekday: number;
  time: string;
}

export const DEFAULT_DIGEST_SCHEDULE: DigestSchedule = { weekday: 1, time: '08:00' };

export const isDigestSchedule = (schedule: DigestSchedule) =>
  Number.isInteger(schedule.weekday) &&
  schedule.weekday >= 1 &&
  schedule.weekday <= 7 &&
  isClockTime(schedule.time);

/** The seven days a digest covers, and the ISO week it is filed under (its snapshot's key). */
export interface DigestPeriod {
  week: string;
  from: Date;
  to: Date;
}

/**
 * This week's digest moment in the service's zone, once it has come: the week is the ISO week of the
 * moment, so a restart, a second instance or a change of time zone later in the week finds the same week
 * and sends nothing twice. `undefined` before the moment.
 */
export function dueDigest(now: Date, schedule: DigestSchedule, timeZone: string): DigestPeriod | undefined {
  const { day } = localDayAndTime(now, timeZone);
  const today = new Date(`${day}T12:00:00Z`);
  const weekdayToday = today.getUTCDay() === 0 ? 7 : today.getUTCDay();
  const target = new Date(today.getTime() + (schedule.weekday - weekdayToday) * 86_400_000);
  const moment = zonedToInstant(target.toISOString().slice(0, 10), schedule.time, timeZone);
  if (moment === undefined || moment.getTime() > now.getTime()) return undefined;
  return { week: isoWeek(target), from: addLocalDays(moment, -7, timeZone), to: moment };
}

/** `digest` on demand: the last seven days up to now, filed under this week. */
export function lastSevenDays(now: Date, timeZone: string): DigestPeriod {
  const { day } = localDayAndTime(now, timeZone);
  return { week: isoWeek(new Date(`${day}T12:00:00Z`)), from: addLocalDays(now, -7, timeZone), to: now };
}
