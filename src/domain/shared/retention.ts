import { isoWeek } from './isoWeek.js';

/**
 * The first ISO week still kept when answers and comments are kept for `months`: everything from an
 * earlier week is deleted. Whole weeks, because a week is the storage partition (DESIGN.md).
 */
export function firstKeptWeek(now: Date, months: number): string {
  return isoWeek(new Date(keptFrom(now, months)));
}

/** The moment `months` before `now` (ISO): rows kept by their time, not their week, go from here. */
export function keptFrom(now: Date, months: number): string {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff.toISOString();
}
