import { type Broadcast, SENT_BY_HUDDLE, scheduledNow } from '../broadcasts/broadcast.js';
import type { BroadcastStore } from '../broadcasts/ports.js';
import type { Clock } from '../shared/ports.js';
import type { Comment, WordsRef } from './comment.js';
import { escalationFieldsOf, wordsEscalationId } from './feedback.js';
import { writerOf } from './followUp.js';
import type { CommentStore, EscalationStore, ThreadStore } from './ports.js';
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
  threads: Pick<ThreadStore, 'list'>;
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

/** `notStored`: the words are not there (yet: the turn that asked may still be storing them). */
export type SecondReadingOutcome = 'read' | 'flagged' | 'notStored';

/**
 * Reads stored words again: a comment, or its writer's answer in a follow-up. When the reading finds a
 * possible disclosure the first did not, the writer is asked "Is that right?" in their own chat, through
 * the comment's sealed reply handle, and a comment waits out of the managers' list meanwhile (an answer in a
 * follow-up has already reached its manager); with no way back to the writer, the lead gets it at once as
 * not confirmed. Safe to repeat: the escalation's id comes from the words and where they are, so a reading
 * done twice (a queue item that reappeared) asks once, and words the writer already said are not about
 * harm stay ordinary feedback.
 */
export async function readAgain(deps: SecondReadingDeps, ref: WordsRef): Promise<SecondReadingOutcome> {
  const comment = await deps.comments.get(ref);
  if (comment === undefined) return 'notStored';
  if (ref.messageId !== undefined) return readAnswer(deps, comment, ref.messageId);
  // Already with the lead, or its writer already asked: a person is deciding.
  if (comment.escalationId !== undefined) return 'read';
  const analysis = await deps.reader.classify(comment.text);
  if (!analysis.safeguarding) {
    if (comment.analysis === undefined || comment.analysis.by !== analysis.by)
      await deps.comments.setReading(ref, analysis);
    return 'read';
  }
  const asked = await askWriter(deps, comment, wordsEscalationId(comment), comment.text);
  if (asked === undefined) return 'read';
  await deps.comments.setReading(ref, analysis);
  // The way back stays while the writer is asked: the question travels through it.
  await deps.comments.setEscalation(ref, asked.escalationId, { keepReplyHandle: asked.askable });
  await sendQuestion(deps, comment, asked);
  return 'flagged';
}

/** The writer's answer to a manager, read with the comment's way back to them. */
async function readAnswer(
  deps: SecondReadingDeps,
  comment: Comment,
  messageId: string,
): Promise<SecondReadingOutcome> {
  const message = (await deps.threads.list(comment.tenantId, comment.id)).find(
    (one) => one.id === messageId && one.from === 'writer',
  );
  if (message === undefined) return 'notStored';
  if (!(await deps.reader.classify(message.text)).safeguarding) return 'read';
  const id = wordsEscalationId({
    tenantId: comment.tenantId,
    id: `${comment.id}/${messageId}`,
    text: message.text,
  });
  const asked = await askWriter(deps, comment, id, message.text);
  if (asked === undefined) return 'read';
  await sendQuestion(deps, comment, asked);
  return 'flagged';
}

/**
 * The question's escalation, made once; `undefined` when the writer already said these words are not
 * about harm. `askable`: the writer can be reached to be asked.
 */
async function askWriter(deps: SecondReadingDeps, comment: Comment, escalationId: string, text: string) {
  const writerId = writerOf(deps, comment, deps.clock.now());
  const fresh = askedEscalation({ ...escalationFieldsOf(comment, escalationId), text }, deps.clock.now(), {
    // Nobody to ask: the lead hears now, as not confirmed (the scheduler's next tick sends it).
    waitMs: writerId === undefined ? 0 : undefined,
  });
  const created = await deps.escalations.createMissing(fresh);
  const escalation = created ? fresh : await deps.escalations.get(comment.tenantId, escalationId);
  if (escalation === undefined || escalation.status === 'dismissed') return undefined;
  return { escalationId, writerId, askable: writerId !== undefined };
}

async function sendQuestion(
  deps: SecondReadingDeps,
  comment: Comment,
  { escalationId, writerId }: { escalationId: string; writerId: string | undefined },
): Promise<void> {
  if (writerId !== undefined) {
    const token = deps.writerToken(comment.tenantId, escalationId, writerId);
    await deps.broadcasts.createMissing(questionSend(comment, escalationId, token, deps.clock.now()));
  }
  deps.scheduler.nudge();
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
