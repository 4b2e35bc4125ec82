import { UserInputError } from '../shared/errors.js';
import type { Comment } from './comment.js';

/** How far back `comments` looks. */
export const RECENT_DAYS = 28;

/** How many comments one page of `comments` shows, with their follow-ups (a card has room for about this many). */
export const LISTED_COMMENTS = 10;

/**
 * Where a page of `comments` starts: the day and id of its first comment. A place in the list's order,
 * not a count from the top, so comments written since, or passed to the lead since, do not move a page
 * a manager is reading onto comments they have seen or past ones they have not.
 */
export interface CommentsPageStart {
  day: string;
  id: string;
}

/** One page of the list: its comments, where they sit in it, and where this page and the next begin. */
export interface CommentsPage {
  listed: Comment[];
  /** 1-based place of the first listed comment among all there are to show. */
  first: number;
  /** Where this page starts, so a card acting on one of its comments shows the same page again. */
  start: CommentsPageStart | undefined;
  /** Where the next, older page starts; `undefined` on the last page. */
  older: CommentsPageStart | undefined;
}

/** The first day `comments` lists, `YYYY-MM-DD`. */
export const recentSince = (now: Date) =>
  new Date(now.getTime() - RECENT_DAYS * 86_400_000).toISOString().slice(0, 10);

/**
 * Refuses a page start that has fallen out of the list: its comments are older than `RECENT_DAYS` now,
 * so the page would be empty and the card that carries it is out of date.
 */
export function checkPageStart(start: CommentsPageStart | undefined, now: Date): void {
  if (start !== undefined && start.day < recentSince(now)) {
    throw new UserInputError('comments.pageExpired', { days: RECENT_DAYS });
  }
}

/**
 * The page of `comments` (all there are to show, in any order) that begins at `start`, or the newest
 * page without one. Newest day first; within a day by id, since anonymous comments carry no time, so
 * the order is the same every time the list is read.
 */
export function commentsPage(
  comments: readonly Comment[],
  start: CommentsPageStart | undefined,
): CommentsPage {
  const ordered = [...comments].sort(listOrder);
  const from = start === undefined ? 0 : ordered.findIndex((comment) => listOrder(comment, start) >= 0);
  const first = from === -1 ? ordered.length : from;
  const listed = ordered.slice(first, first + LISTED_COMMENTS);
  const next = ordered[first + LISTED_COMMENTS];
  return {
    listed,
    first: first + 1,
    start: placeOf(listed[0]),
    older: placeOf(next),
  };
}

const placeOf = (comment: CommentsPageStart | undefined) =>
  comment === undefined ? undefined : { day: comment.day, id: comment.id };

/** Newest day first, then by id; plain comparison, so a start read back from a card sorts the same. */
function listOrder(a: CommentsPageStart, b: CommentsPageStart): number {
  if (a.day !== b.day) return a.day > b.day ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}
