import { wallClock } from '../shared/timeZone.js';
import type { QuietHours } from './member.js';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

const clockTime = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True for a 24-hour "HH:MM". */
export const isClockTime = (value: string) => clockTime.test(value);

function minutesOf(value: string): number {
  const match = clockTime.exec(value);
  if (match === null) throw new Error(`not a clock time: ${value}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes past local midnight at `instant` in `timeZone`. */
function localMinutes(instant: Date, timeZone: string): number {
  const { hour, minute } = wallClock(instant, timeZone);
  return hour * 60 + minute;
}

/**
 * When the member's quiet hours end, if `now` falls inside them; `undefined` when they may be messaged
 * now. Quiet hours are wall-clock times in the member's own zone and may run past midnight (21:00-07:00).
 * Equal start and end means no quiet hours.
 */
export function quietUntil(now: Date, quiet: QuietHours, timeZone: string): Date | undefined {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return undefined;
  const local = localMinutes(now, timeZone);
  const inside = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inside) return undefined;
  const startOfMinute = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
  const guess = new Date(startOfMinute.getTime() + ((end - local + DAY_MINUTES) % DAY_MINUTES) * MINUTE);
  // A clock change tonight moves the wall-clock end by the size of the change; correct for it once.
  const drift = ((localMinutes(guess, timeZone) - end + DAY_MINUTES * 1.5) % DAY_MINUTES) - DAY_MINUTES / 2;
  return new Date(guess.getTime() - drift * MINUTE);
}
