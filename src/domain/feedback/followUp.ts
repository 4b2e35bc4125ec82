import { type Broadcast, SENT_BY_HUDDLE } from '../broadcasts/broadcast.js';
import type { BroadcastStore } from '../broadcasts/ports.js';
import type { Manager } from '../people/member.js';
import { UserInputError } from '../shared/errors.js';
import type { Clock } from '../shared/ports.js';
import {
  COMMENT_MAX_LENGTH,
  type Comment,
  type CommentRef,
  type Named,
  type ThreadMessage,
  type WordsRef,
} from './comment.js';
import {
  type CommentsPage,
  type CommentsPageStart,
  checkPageStart,
  commentsPage,
  recentSince,
} from './commentsPage.js';
import type { CommentStore, EscalationStore, ThreadStore } from './ports.js';
import type { ReplyHandles } from './replyHandles.js';
import { type Theme, type ThemeSource, themeSourceCounts } from './themes.js';
import { refuseWaiting, type WaitingDeps, waitingComments } from './waitingAnswers.js';

export const REPLY_MAX_LENGTH = COMMENT_MAX_LENGTH;

export interface FollowUpDeps extends WaitingDeps {
  comments: CommentStore;
  threads: ThreadStore;
  replyHandles: ReplyHandles;
  broadcasts: Pick<BroadcastStore, 'create'>;
  clock: Clock;
  newId: () => string;
  /** Asks the scheduler to look for due work now, so a reply goes within seconds. */
  scheduler: { nudge(): void };
  /** Asks for the reading of a writer's answer (see `readAgain`), before it is stored. */
  secondReading: { due(ref: WordsRef): Promise<void> };
}

export interface CommentThread {
  comment: Comment;
  messages: ThreadMessage[];
  /** A manager can still reply (the writer's handle is there and within its time). */
  open: boolean;
}

/**
 * What managers and leaders read with `comments`: one page of the comments of the last four weeks (the
 * newest, or the one beginning at `start`), each with its follow-up, and how many there are in all.
 * Comments passed to the safeguarding lead are left out (the lead has them, with the procedure) and only
 * counted, so a manager knows there are some. So are comments whose writer is being asked whether
 * someone is at risk: counted apart, since they have not reached the lead and come back to this list if
 * the writer says no. A pulse's open answers wait, only counted, until their round has enough answers
 * (waitingAnswers.ts): they are in no page, total or theme count until then.
 */
export async function recentComments(
  deps: Pick<FollowUpDeps, 'comments' | 'threads' | 'replyHandles' | 'clock'> &
    WaitingDeps & {
      escalations: Pick<EscalationStore, 'get'>;
    },
  tenantId: string,
  start?: CommentsPageStart,
): Promise<{
  threads: CommentThread[];
  page: Omit<CommentsPage, 'listed'>;
  total: number;
  withSafeguarding: number;
  awaitingWriter: number;
  /** Open answers to pulses waiting for their round to have enough answers. */
  waiting: number;
  /** Where the themes of all `total` comments came from: the writer, a manager or the classifier. */
  themeSources: Record<ThemeSource, number>;
}> {
  const now = deps.clock.now();
  checkPageStart(start, now);
  // The counts on the card are over the whole four weeks, so they are read whole: a few hundred rows at
  // most, in one query. A page is then a place in that list, which costs no further reads.
  const comments = await deps.comments.recent(tenantId, recentSince(now));
  // Those with the lead (or their writer being asked) are counted as such whatever their round: the
  // lead has them at once, so only what managers may read waits.
  const withManagers = comments.filter((comment) => comment.escalationId === undefined);
  const waiting = await waitingComments(deps, withManagers);
  const shown = withManagers.filter((comment) => !waiting.has(comment.id));
  const { listed, ...page } = commentsPage(shown, start);
  const [threads, escalations] = await Promise.all([
    Promise.all(
      listed.map(async (comment) => ({
        comment,
        messages: await deps.threads.list(tenantId, comment.id),
        open: writerOf(deps, comment, now) !== undefined,
      })),
    ),
    Promise.all(
      comments.flatMap(({ escalationId }) =>
        escalationId === undefined ? [] : [deps.escalations.get(tenantId, escalationId)],
      ),
    ),
  ]);
  const awaitingWriter = escalations.filter((escalation) => escalation?.status === 'asked').length;
  return {
    threads,
    page,
    total: shown.length,
    withSafeguarding: escalations.length - awaitingWriter,
    awaitingWriter,
    waiting: waiting.size,
    themeSources: themeSourceCounts(shown),
  };
}

/**
 * A manager's reply goes to the comment's writer through the outbox, addressed by the sealed handle: the
 * manager, and anyone reading storage, learns nothing about who receives it.
 */
export async function replyToWriter(
  deps: FollowUpDeps,
  manager: Manager,
  ref: CommentRef,
  text: string,
): Promise<ThreadMessage> {
  const comment = await listedComment(deps, ref);
  if (writerOf(deps, comment, deps.clock.now()) === undefined)
    throw new UserInputError('followUp.closed', {});
  const message = await addMessage(deps, comment, 'manager', manager, text);
  await send(deps, message, ref, { kind: 'writer' }, manager);
  return message;
}

/** The writer answers the last manager who replied; only the writer of the comment can. */
export async function answerManager(
  deps: FollowUpDeps,
  writer: { tenantId: string; aadObjectId: string },
  ref: CommentRef,
  text: string,
): Promise<ThreadMessage> {
  const comment = await writersComment(deps, writer, ref);
  const last = (await deps.threads.list(comment.tenantId, comment.id))
    .filter((message) => message.from === 'manager')
    .at(-1);
  if (last === undefined) throw new UserInputError('followUp.closed', {});
  const message = newMessage(deps, comment, 'writer', last.manager, text);
  // Read again like any comment of theirs: a disclosure may come only once a manager asks.
  await deps.secondReading.due({ ...ref, messageId: message.id });
  await deps.threads.add(message);
  await send(deps, message, ref, { kind: 'members', memberIds: [last.manager.aadObjectId] }, undefined);
  return message;
}

/**
 * Ends the follow-up: the sealed handle is removed from the comment, so nobody can reach the writer
 * through it again. The writer or any manager may close it.
 */
export async function closeThread(
  deps: FollowUpDeps,
  by: { kind: 'writer'; tenantId: string; aadObjectId: string } | { kind: 'manager' },
  ref: CommentRef,
): Promise<void> {
  if (by.kind === 'writer') await writersComment(deps, by, ref);
  else await listedComment(deps, ref);
  await deps.comments.dropReplyHandle(ref);
}

/**
 * A manager's correction of what a comment is about. Refused for a comment whose writer chose its theme:
 * theirs counts first (`themeOf`), so a correction would change nothing anyone sees or counts.
 */
export async function correctTheme(
  deps: Pick<FollowUpDeps, 'comments'> & WaitingDeps,
  ref: CommentRef,
  theme: Theme,
): Promise<Comment> {
  const comment = await listedComment(deps, ref);
  if ((comment.tags?.length ?? 0) > 0) throw new UserInputError('comments.writerChose', {});
  const changed = await deps.comments.setManagerTheme(ref, theme);
  if (changed === undefined) throw new UserInputError('followUp.gone', {});
  return changed;
}

/** The comment a follow-up send (or a question to its writer) is about. */
export function followedUpComment(
  tenantId: string,
  followUp: Pick<NonNullable<Broadcast['followUp']>, 'initiativeId' | 'week' | 'commentId'>,
): CommentRef {
  return { tenantId, initiativeId: followUp.initiativeId, week: followUp.week, id: followUp.commentId };
}

/** Checks the text of a reply or an answer; the message key of what is wrong, or `undefined`. */
export function replyTextProblem(text: string): { key: string; values: Record<string, number> } | undefined {
  if (text === '') return { key: 'comment.empty', values: {} };
  if (text.length > REPLY_MAX_LENGTH) {
    return { key: 'comment.tooLong', values: { length: text.length, max: REPLY_MAX_LENGTH } };
  }
  return undefined;
}

async function openComment(deps: Pick<FollowUpDeps, 'comments'>, ref: CommentRef): Promise<Comment> {
  const comment = await deps.comments.get(ref);
  if (comment === undefined) throw new UserInputError('followUp.gone', {});
  return comment;
}

/**
 * A comment a manager or leader acts on from `comments`: refused when it is gone, with the safeguarding
 * lead (or its writer being asked whether someone is at risk), or a pulse answer still waiting. No list
 * showed those, so a card naming one was made up or outlived the list: nothing is done and none of its
 * words are shown back (a disclosure may be about the reader).
 */
async function listedComment(
  deps: Pick<FollowUpDeps, 'comments'> & WaitingDeps,
  ref: CommentRef,
): Promise<Comment> {
  const comment = await openComment(deps, ref);
  if (comment.escalationId !== undefined) throw new UserInputError('followUp.safeguarding', {});
  await refuseWaiting(deps, comment);
  return comment;
}

/** The comment, when `writer` wrote it and its follow-up is still open; refused otherwise. */
async function writersComment(
  deps: FollowUpDeps,
  writer: { tenantId: string; aadObjectId: string },
  ref: CommentRef,
): Promise<Comment> {
  const comment = await openComment(deps, ref);
  const writerId = writerOf(deps, comment, deps.clock.now());
  if (writerId === undefined) throw new UserInputError('followUp.closed', {});
  if (writerId !== writer.aadObjectId) throw new UserInputError('followUp.notYours', {});
  return comment;
}

/** Who wrote the comment, while its follow-up is open; `undefined` once ended or past its time. */
export function writerOf(
  deps: { replyHandles: Pick<ReplyHandles, 'writerOf'> },
  comment: Comment,
  now: Date,
) {
  return comment.replyHandle === undefined
    ? undefined
    : deps.replyHandles.writerOf(comment.tenantId, comment.id, comment.replyHandle, now);
}

async function addMessage(
  deps: FollowUpDeps,
  comment: Comment,
  from: ThreadMessage['from'],
  manager: Named,
  text: string,
): Promise<ThreadMessage> {
  const message = newMessage(deps, comment, from, manager, text);
  await deps.threads.add(message);
  return message;
}

function newMessage(
  deps: Pick<FollowUpDeps, 'newId' | 'clock'>,
  comment: Comment,
  from: ThreadMessage['from'],
  manager: Named,
  text: string,
): ThreadMessage {
  return {
    tenantId: comment.tenantId,
    commentId: comment.id,
    id: deps.newId(),
    from,
    manager: { aadObjectId: manager.aadObjectId, name: manager.name },
    text,
    at: deps.clock.now().toISOString(),
  };
}

/**
 * One message through the outbox. A writer's answer is sent in Huddle's name: the send must not record
 * who started it.
 */
async function send(
  deps: FollowUpDeps,
  message: ThreadMessage,
  ref: CommentRef,
  audience: Broadcast['audience'],
  manager: Manager | undefined,
): Promise<void> {
  const stamp = message.at;
  await deps.broadcasts.create({
    tenantId: message.tenantId,
    id: deps.newId(),
    // Manager-facing lists name the send; the words stay in the thread.
    content: { headline: 'Follow-up on a comment', message: '' },
    followUp: { initiativeId: ref.initiativeId, week: ref.week, commentId: ref.id, messageId: message.id },
    audience,
    urgent: false,
    sendAt: stamp,
    status: 'scheduled',
    createdBy:
      manager === undefined
        ? SENT_BY_HUDDLE
        : {
            aadObjectId: manager.aadObjectId,
            name: manager.name,
            locale: manager.locale,
            timeZone: manager.timeZone,
          },
    recipients: 0,
    createdAt: stamp,
    updatedAt: stamp,
  });
  deps.scheduler.nudge();
}
