import { UserInputError } from '../shared/errors.js';
import type { Comment } from './comment.js';
import type { RoundAnswers } from './ports.js';

/**
 * A pulse's open answers wait before `comments` lists them, as its figures do before `results` shows them:
 * until the round has at least the anonymity threshold of answers. Staff are told their anonymous answers
 * are only shown among that many; a manager who knows who answered a round of three could otherwise tie
 * the words to one of them. The whole round's answers are counted, not those of the writer's group: the
 * list shows no groups. Feedback and concerns are written to managers, so they never wait; nor does the
 * safeguarding lead, who gets a possible disclosure at once whatever the round.
 */
export interface WaitingDeps {
  answers: RoundAnswers;
  anonymityThreshold: number;
}

/** Where a round's answers are stored, as the comment knows it. */
interface CommentRound {
  tenantId: string;
  initiativeId: string | undefined;
  week: string;
  pulseId: string;
  round: number;
}

/**
 * The round a comment answers, when it is a pulse's open answer. A pulse comment stored before rounds
 * were recorded on comments has none: its round cannot be known, so it is listed as it always was.
 */
function roundOf(comment: Comment): CommentRound | undefined {
  if (comment.source !== 'pulse' || comment.pulseId === undefined || comment.round === undefined)
    return undefined;
  const { tenantId, initiativeId, week, pulseId, round } = comment;
  return { tenantId, initiativeId, week, pulseId, round };
}

const labelOf = (round: CommentRound) =>
  JSON.stringify([round.tenantId, round.initiativeId ?? '', round.week, round.pulseId, round.round]);

/**
 * Which of `comments` wait (their ids). Each round is counted once however many of its answers there are,
 * so a list of many answers to one pulse costs one read.
 */
export async function waitingComments(deps: WaitingDeps, comments: readonly Comment[]): Promise<Set<string>> {
  const rounds = new Map<string, CommentRound>();
  for (const comment of comments) {
    const round = roundOf(comment);
    if (round !== undefined) rounds.set(labelOf(round), round);
  }
  const counted = await Promise.all(
    [...rounds].map(async ([label, { tenantId, initiativeId, week, pulseId, round }]) => {
      const answers = await deps.answers.forRound(tenantId, initiativeId, week, pulseId, round);
      return [label, answers.length] as const;
    }),
  );
  const answered = new Map(counted);
  const waiting = new Set<string>();
  for (const comment of comments) {
    const round = roundOf(comment);
    if (round !== undefined && (answered.get(labelOf(round)) ?? 0) < deps.anonymityThreshold)
      waiting.add(comment.id);
  }
  return waiting;
}

/** Whether one comment is waiting. */
export const isWaiting = async (deps: WaitingDeps, comment: Comment) =>
  (await waitingComments(deps, [comment])).size > 0;

/**
 * Refuses to act on a comment that is waiting: a card naming it could only have been made up, since no
 * list showed it. Refused with nothing done, and nothing of its words or its writer shown.
 */
export async function refuseWaiting(deps: WaitingDeps, comment: Comment): Promise<void> {
  if (await isWaiting(deps, comment)) throw new UserInputError('comments.waitingOne', {});
}
