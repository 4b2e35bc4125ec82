import { isoWeek } from './isoWeek.js';

/**
 * The first ISO week still kept when answers and comments are kept for `months`: everything from an
 * earlier week is deleted. Whole weeks, because a week is the storage partition (DESIGN.md).
 */
export function firstKeptWeek(now: Date, months: number): string {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return isoWeek(cutoff);
}
