const knownZones = new Set<string>();

/** True for a time zone name this runtime knows (IANA, e.g. "Europe/London"); quiet hours depend on it. */
/** `YYYY-MM-DD` naming a day there was: not 30 February, not a 13th month (which `Date` would refuse or roll over). */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const time = Date.parse(`${text}T12:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

export function isTimeZone(name: string): boolean {
  // Asked on every turn that carries a zone; building a formatter to check costs far more than a lookup.
  if (knownZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
  } catch {
    return false;
  }
  if (knownZones.size < 1_000) knownZones.add(name);
  return true;
}

/** The instant when the wall clock in `timeZone` shows `day` (YYYY-MM-DD) at `time` (HH:MM). */
export function zonedToInstant(day: string, time: string, timeZone: string): Date | undefined {
  const dayMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const timeMatch = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (dayMatch === null || timeMatch === null) return undefined;
  const [year, month, date] = [Number(dayMatch[1]), Number(dayMatch[2]), Number(dayMatch[3])];
  const wall = Date.UTC(year, month - 1, date, Number(timeMatch[1]), Number(timeMatch[2]));
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return undefined;
  return wallToInstant(wall, timeZone);
}

/**
 * The instant `days` calendar days after `instant` at the same wall-clock time in `timeZone`: a weekly
 * pulse opening at 09:00 keeps opening at 09:00 after the clocks change, not at 08:00 or 10:00.
 */
export function addLocalDays(instant: Date, days: number, timeZone: string): Date {
  // No days on is the instant itself: in the hour the clocks repeat, its wall time names two instants.
  if (days === 0) return new Date(instant);
  const { year, month, day, hour, minute, second } = wallClock(instant, timeZone);
  const sameSecond = wallToInstant(Date.UTC(year, month - 1, day + days, hour, minute, second), timeZone);
  // The wall clock has whole seconds; the milliseconds carry over unchanged.
  return new Date(sameSecond.getTime() + (instant.getTime() % 1000));
}

/**
 * What `timeZone`'s wall clock shows at `instant`, as text: the day (YYYY-MM-DD) and time (HH:MM) that
 * forms take and `zonedToInstant` reads back.
 */
export function localDayAndTime(instant: Date, timeZone: string): { day: string; time: string } {
  const { year, month, day, hour, minute } = wallClock(instant, timeZone);
  const two = (value: number) => String(value).padStart(2, '0');
  return { day: `${year}-${two(month)}-${two(day)}`, time: `${two(hour)}:${two(minute)}` };
}

/** The instant when `timeZone`'s wall clock shows `wall` (a wall-clock time written as if it were UTC). */
function wallToInstant(wall: number, timeZone: string): Date {
  // Take the zone's offset at the guess, then once more at the corrected instant (clock changes).
  let instant = wall - offsetMs(new Date(wall), timeZone);
  instant = wall - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/** What a wall clock in `timeZone` shows at `instant`. */
export function wallClock(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return {
    year: value('year'),
    month: value('month'),
    day: value('day'),
    hour: value('hour'),
    minute: value('minute'),
    second: value('second'),
  };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`. */
function offsetMs(instant: Date, timeZone: string): number {
  const { year, month, day, hour, minute, second } = wallClock(instant, timeZone);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}
