import { type Broadcast, SENT_BY_HUDDLE, scheduledNow } from '../broadcasts/broadcast.js';
import type { BroadcastStore } from '../broadcasts/ports.js';
import type { Clock } from '../shared/ports.js';
import type { Comment, CommentRef } from './comment.js';
import { escalationFieldsOf, wordsEscalationId } from './feedback.js';
import { writerOf } from './followUp.js';
import type { CommentStore, EscalationStore } from './ports.js';
import type { ReplyHandles } from './replyHandles.js';
import { askedEscalation } from './safeguarding.js';
import type { CommentClassifier } from './themes.js';

/**
 * The slower reading of a stored comment, made after its writer was thanked: the disclosure screen's wide
 * net and, where an organisation turned one on, the language model's themes. The turn that stores a comment
 * reads it with the local lexicon only (a few milliseconds) and asks for this reading before storing it.
 */
export interface SecondReadingDeps {
  comments: Pick<CommentStore, 'get' | 'setReading' | 'setEscalation'>;
  escalations: Pick<EscalationStore, 'createMissing' | 'get'>;
  broadcasts: Pick<BroadcastStore, 'createMissing'>;
  /** The slow reader: the configured classifier with the disclosure screen beside it. */
  reader: CommentClassifier;
  replyHandles: Pick<ReplyHandles, 'writerOf'>;
  /** The keyed token the question card carries, so only the writer's answer counts. */
  writerToken(tenantId: string, escalationId: string, memberId: string): string;
  clock: Clock;
  scheduler: { nudge(): void };
}

/** `notStored`: the comment is not there (yet: the turn that asked may still be storing it). */
export type SecondReadingOutcome = 'read' | 'flagged' | 'notStored';

/**
 * Reads a stored comment again. When the reading finds a possible disclosure the first did not, the writer
 * is asked "Is that right?" in their own chat, through the comment's sealed reply handle, and the comment
 * waits with the lead's question, out of the managers' list; with no way back to the writer, the lead gets
 * it at once as not confirmed. Safe to repeat: the escalation's id comes from the comment and its words,
 * so a reading done twice (a queue item that reappeared) asks once, and words the writer already said are
 * not about harm stay ordinary feedback.
 */
export async function readAgain(deps: SecondReadingDeps, ref: CommentRef): Promise<SecondReadingOutcome> {
  const comment = await deps.comments.get(ref);
  if (comment === undefined) return 'notStored';
  // Already with the lead, or its writer already asked: a person is deciding.
  if (comment.escalationId !== undefined) return 'read';
  const analysis = await deps.reader.classify(comment.text);
  if (!analysis.safeguarding) {
    if (comment.analysis === undefined || comment.analysis.by !== analysis.by)
      await deps.comments.setReading(ref, analysis);
    return 'read';
  }
  const now = deps.clock.now();
  const writerId = writerOf(deps, comment, now);
  const escalationId = wordsEscalationId(comment);
  const fresh = askedEscalation(escalationFieldsOf(comment, escalationId), now, {
    // Nobody to ask: the lead hears now, as not confirmed (the scheduler's next tick sends it).
    waitMs: writerId === undefined ? 0 : undefined,
  });
  const created = await deps.escalations.createMissing(fresh);
  const escalation = created ? fresh : await deps.escalations.get(comment.tenantId, escalationId);
  // The writer already said these words are not about harm.
  if (escalation === undefined || escalation.status === 'dismissed') return 'read';
  await deps.comments.setReading(ref, analysis);
  // The way back stays while the writer is asked: the question travels through it.
  await deps.comments.setEscalation(ref, escalationId, { keepReplyHandle: writerId !== undefined });
  if (writerId !== undefined)
    await deps.broadcasts.createMissing(
      questionSend(comment, escalationId, deps.writerToken(comment.tenantId, escalationId, writerId), now),
    );
  deps.scheduler.nudge();
  return 'flagged';
}

function questionSend(comment: Comment, escalationId: string, token: string, now: Date): Broadcast {
  return {
    ...scheduledNow(now),
    tenantId: comment.tenantId,
    id: `question-${escalationId}`,
    initiativeId: comment.initiativeId,
    // Manager-facing lists name the send; the words stay in the comment and the escalation.
    content: { headline: 'Safeguarding question', message: '' },
    question: {
      escalationId,
      token,
      initiativeId: comment.initiativeId,
      week: comment.week,
      commentId: comment.id,
    },
    audience: { kind: 'writer' },
    // The writer has just written; whether someone is at risk cannot wait for their quiet hours.
    urgent: true,
    createdBy: SENT_BY_HUDDLE,
  };
}
