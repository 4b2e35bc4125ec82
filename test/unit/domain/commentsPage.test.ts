import { describe, expect, it } from 'vitest';
import type { Comment } from '../../../src/domain/feedback/comment.js';
import { checkPageStart, commentsPage, LISTED_COMMENTS } from '../../../src/domain/feedback/commentsPage.js';
import { UserInputError } from '../../../src/domain/shared/errors.js';

const comment = (day: string, id: string): Comment => ({
  tenantId: 't',
  id,
  source: 'feedback',
  text: `${day} ${id}`,
  anonymous: true,
  groups: {},
  week: '2026-W48',
  day,
});
/** 25 comments over five days, five a day, given in no particular order. */
const all = [1, 2, 3, 4, 5]
  .flatMap((day) => ['e', 'c', 'a', 'd', 'b'].map((id) => comment(`2026-11-2${day}`, `${day}${id}`)))
  .reverse();
const ids = (comments: readonly Comment[]) => comments.map((one) => one.id);

describe('pages of comments', () => {
  it('pages newest day first, ten at a time, each page starting where the last left off', () => {
    const first = commentsPage(all, undefined);
    expect(ids(first.listed)).toEqual(['5a', '5b', '5c', '5d', '5e', '4a', '4b', '4c', '4d', '4e']);
    expect(first.first).toBe(1);
    const second = commentsPage(all, first.older);
    expect(second.first).toBe(11);
    expect(ids(second.listed)).toEqual(['3a', '3b', '3c', '3d', '3e', '2a', '2b', '2c', '2d', '2e']);
    const third = commentsPage(all, second.older);
    expect(third.first).toBe(21);
    expect(ids(third.listed)).toEqual(['1a', '1b', '1c', '1d', '1e']);
    expect(third.older).toBeUndefined();
  });

  it('an older page keeps its comments when new ones are written and when one of it is passed on', () => {
    const second = commentsPage(all, commentsPage(all, undefined).older);
    const later = [comment('2026-11-26', 'new'), ...all.filter((one) => one.id !== '3a')];
    const again = commentsPage(later, second.start);
    expect(ids(again.listed)).toEqual(ids(second.listed).slice(1).concat('1a'));
    // The new comment is above it, so it is counted from one further down.
    expect(again.first).toBe(12);
    expect(again.listed).toHaveLength(LISTED_COMMENTS);
  });

  it('a page whose comments have all gone is empty, past the end of the list', () => {
    const page = commentsPage(all, { day: '2026-10-01', id: 'x' });
    expect(page.listed).toEqual([]);
    expect(page.first).toBe(all.length + 1);
    expect(page.start).toBeUndefined();
  });

  it('refuses a page that starts before the four weeks the list covers', () => {
    const now = new Date('2026-12-02T09:00:00Z');
    expect(() => checkPageStart({ day: '2026-11-04', id: 'a' }, now)).not.toThrow();
    expect(() => checkPageStart({ day: '2026-11-03', id: 'a' }, now)).toThrow(UserInputError);
    expect(() => checkPageStart(undefined, now)).not.toThrow();
  });
});
