import { describe, expect, it } from 'vitest';
import type { Comment } from '../../../src/domain/feedback/comment.js';
import { recentComments } from '../../../src/domain/feedback/followUp.js';
import { waitingComments } from '../../../src/domain/feedback/waitingAnswers.js';

const now = new Date('2026-11-27T10:00:00Z');
const pulseAnswer = (id: string, pulseId: string, round: number | undefined): Comment => ({
  tenantId: 't',
  id,
  source: 'pulse',
  pulseId,
  round,
  text: `answer ${id}`,
  anonymous: true,
  groups: { unit: 'Willow' },
  week: '2026-W48',
  day: '2026-11-26',
  tags: ['training_gap'],
});
const feedback: Comment = {
  tenantId: 't',
  id: 'feedback',
  source: 'feedback',
  text: 'Nights need more time to practise.',
  anonymous: true,
  groups: {},
  week: '2026-W48',
  day: '2026-11-25',
};

/** A round's answers, by `<pulse>.<round>`, counting each read so a list costs one read per round. */
function answersOf(counts: Record<string, number>) {
  const reads: string[] = [];
  return {
    reads,
    answers: {
      forRound: async (_t: string, _i: string | undefined, _w: string, pulseId: string, round: number) => {
        reads.push(`${pulseId}.${round}`);
        // Every answer is from another unit than the comments': the whole round counts, not its group.
        return Array.from({ length: counts[`${pulseId}.${round}`] ?? 0 }, () => ({
          groups: { unit: 'Rowan' },
        }));
      },
    },
  };
}

describe("a pulse's open answers in `comments`", () => {
  it('wait until their round has the threshold of answers; feedback and older answers with no round never wait', async () => {
    const { answers, reads } = answersOf({ 'small.1': 3, 'small.2': 5, 'other.1': 4 });
    const comments = [
      pulseAnswer('a', 'small', 1),
      pulseAnswer('b', 'small', 1),
      // A confidential pulse stores the name: it waits all the same.
      { ...pulseAnswer('named', 'small', 1), anonymous: false, author: { aadObjectId: 'm1', name: 'Sam' } },
      pulseAnswer('c', 'small', 2),
      pulseAnswer('d', 'other', 1),
      pulseAnswer('e', 'never-answered', 1),
      // Stored before rounds were recorded: its round cannot be known, so it is listed as before.
      pulseAnswer('old', 'small', undefined),
      feedback,
    ];
    const waiting = await waitingComments({ answers, anonymityThreshold: 5 }, comments);
    expect([...waiting].sort()).toEqual(['a', 'b', 'd', 'e', 'named']);
    expect(reads.sort()).toEqual(['never-answered.1', 'other.1', 'small.1', 'small.2']);
    // The threshold is the deployment's: at three, only the round nobody answered waits.
    expect(await waitingComments({ answers, anonymityThreshold: 3 }, comments)).toEqual(new Set(['e']));
  });

  it('are left out of the page, the total and the theme counts, only counted as waiting, and pages still follow on', async () => {
    const listedAnswers = Array.from({ length: 12 }, (_, n) => pulseAnswer(`big${n}`, 'big', 1));
    const waitingAnswers = [pulseAnswer('small-a', 'small', 1), pulseAnswer('small-b', 'small', 1)];
    const { answers } = answersOf({ 'big.1': 12, 'small.1': 3 });
    const deps = {
      comments: { recent: async () => [...waitingAnswers, ...listedAnswers, feedback] },
      threads: { list: async () => [] },
      replyHandles: { writerOf: () => undefined },
      clock: { now: () => now },
      escalations: { get: async () => undefined },
      answers,
      anonymityThreshold: 5,
    } as unknown as Parameters<typeof recentComments>[0];
    const first = await recentComments(deps, 't');
    expect(first.total).toBe(13);
    expect(first.waiting).toBe(2);
    expect(first.themeSources).toMatchObject({ writer: 12 });
    const second = await recentComments(deps, 't', first.page.older);
    const seen = [...first.threads, ...second.threads].map(({ comment }) => comment.id);
    expect(seen).toHaveLength(13);
    expect(seen).not.toContain('small-a');
    expect(seen).not.toContain('small-b');
    expect(second.page.first).toBe(11);
    expect(second.page.older).toBeUndefined();
  });
});
