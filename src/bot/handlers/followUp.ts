import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { noticeCard } from '../../cards/cards.js';
import { type CardStatus, commentsCard, followUpCard } from '../../cards/followUpCards.js';
import { VERBS, type Verb } from '../../cards/verbs.js';
import type { CommentRef } from '../../domain/feedback/comment.js';
import { type CommentsPageStart, checkPageStart } from '../../domain/feedback/commentsPage.js';
import { passToSafeguarding } from '../../domain/feedback/feedback.js';
import {
  answerManager,
  closeThread,
  correctTheme,
  recentComments,
  replyTextProblem,
  replyToWriter,
  writerOf,
} from '../../domain/feedback/followUp.js';
import { THEMES } from '../../domain/feedback/themes.js';
import type { SeenPerson } from '../../domain/people/member.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { isCalendarDay } from '../../domain/shared/timeZone.js';
import { onAction, unsaved } from '../actionRoute.js';
import { commentRef, listedComment, onPage } from '../cardData.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { managerOf, sendCard, type Turn } from '../turn.js';

/**
 * Where the page of `comments` a card shows starts (see `CommentsPageStart`): a real day and a comment
 * id, or both empty (the newest page). Read apart from the rest of the press, so a damaged one is named
 * as such.
 */
const pageStart = z.union([
  z.object({ fromDay: z.literal(''), fromId: z.literal('') }).transform(() => undefined),
  z
    .object({
      fromDay: z.string().refine(isCalendarDay),
      fromId: z.string().min(1).max(128),
    })
    .transform(({ fromDay, fromId }): CommentsPageStart => ({ day: fromDay, id: fromId })),
]);
/** What a reply or answer sends: where the comment is, which box the words are in, and the card it came from. */
const writtenBack = listedComment
  .extend({
    input: z.string().regex(/^(text|reply\d{1,2})$/),
    view: z.enum(['list', 'thread']),
  })
  .catchall(z.string().max(20_000));
const closing = commentRef.extend({ as: z.enum(['writer', 'manager']) });
/** A manager's correction of a comment's theme: which comment, and the list's choice box it is in. */
const themeChange = listedComment
  .extend({ input: z.string().regex(/^theme\d{1,2}$/) })
  .catchall(z.string().max(64));

/**
 * Two-way follow-up on comments. Managers and leaders read recent comments with `comments`; a manager
 * replies from there (or from the card that brings the writer's answer), the writer gets the reply in
 * their chat and may answer back, and either side can end it. The writer is reached through the sealed
 * handle on the comment, so no manager, and nothing in storage, learns who they are.
 */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'comments', async (context, turn) => {
    await sendCard(context, await listCard(deps, turn, {}));
  });

  // The list pages back in place, ten at a time, from where the card's older page begins.
  onAction(app, deps, VERBS.commentsOlder, { data: onPage }, async (_context, turn, data) =>
    listCard(deps, turn, { start: pageOf(deps, data) }),
  );

  onWrittenBack(app, deps, VERBS.followUpReply, 'manager', async (turn, ref, text) => {
    const message = await replyToWriter(deps, managerOf(turn, deps), ref, text);
    // Neither the words nor anything about the writer are logged.
    deps.logger.info({ messageId: message.id }, 'follow-up reply sent to a comment writer');
    return turn.t('followUp.sent');
  });

  onWrittenBack(app, deps, VERBS.followUpAnswer, 'writer', async (turn, ref, text) => {
    const message = await answerManager(deps, turn.person, ref, text);
    deps.logger.info({ messageId: message.id }, 'follow-up answer sent to a manager');
    return turn.t('followUp.writer.sent', { name: message.manager.name });
  });

  // A correction is stored as the manager's, beside the writer's tags and the classifier's reading, and
  // counted when the writer gave none (see themeOf). Pressing it twice stores the same thing.
  onAction(app, deps, VERBS.commentTheme, { data: themeChange }, async (_context, turn, data) => {
    const theme = THEMES.find((one) => one === data[data.input]);
    if (theme === undefined) throw new UserInputError('card.expired', {});
    const start = pageOf(deps, data);
    const changed = await correctTheme(deps, refOf(turn, data), theme);
    deps.logger.info({ theme }, 'comment theme corrected by a manager');
    const text = turn.t('comments.themeChanged', { theme: turn.t(`tag.${theme}`) });
    return listCard(deps, turn, { start, status: { commentId: changed.id, text, good: true } });
  });

  // The second person: whoever reads comments can pass one to the lead, whatever any machine read in it.
  // The alert is urgent and goes at once, so one tap only asks, under the comment; nothing is sent.
  onAction(app, deps, VERBS.commentPassOn, { data: listedComment }, async (_context, turn, data) =>
    listCard(deps, turn, { start: pageOf(deps, data), confirming: data.commentId }),
  );

  // Yes pressed twice, or retried by Teams, raises one escalation and one alert: its id is derived from
  // the comment (see `passToSafeguarding`).
  onAction(app, deps, VERBS.commentPassOnConfirm, { data: listedComment }, async (_context, turn, data) => {
    const start = pageOf(deps, data);
    const escalation = await passToSafeguarding(deps, refOf(turn, data), managerOf(turn, deps));
    deps.logger.info({ escalationId: escalation.id }, 'comment passed to the safeguarding lead by a reader');
    return listCard(deps, turn, { start, notice: turn.t('comments.passedOn') });
  });

  onAction(app, deps, VERBS.commentPassOnCancel, { data: listedComment }, async (_context, turn, data) =>
    listCard(deps, turn, { start: pageOf(deps, data) }),
  );

  onAction(app, deps, VERBS.followUpClose, { data: closing }, async (_context, turn, data) => {
    const ref = refOf(turn, data);
    if (data.as === 'manager' && !turn.roles.includes('manager')) {
      throw new UserInputError('error.notAllowed', { role: 'manager' });
    }
    await closeThread(
      deps,
      data.as === 'manager' ? { kind: 'manager' } : { kind: 'writer', ...turn.person },
      ref,
    );
    return threadCard(deps, turn, ref, data.as);
  });
}

/**
 * A manager's reply or a writer's answer. Words that cannot be sent come back under the comment with the
 * problem named and nothing lost; otherwise `send` stores and sends them and says what happened. Only a
 * manager's reply may come from (and return) the list of comments: a writer always gets their thread.
 */
function onWrittenBack(
  app: Application,
  deps: BotDeps,
  verb: Verb,
  viewer: 'writer' | 'manager',
  send: (turn: Turn & { person: SeenPerson }, ref: CommentRef, text: string) => Promise<string>,
): void {
  onAction(app, deps, verb, { data: writtenBack, once: true }, async (_context, turn, data) => {
    const ref = refOf(turn, data);
    const toList = viewer === 'manager' && data.view === 'list';
    const start = toList ? pageOf(deps, data) : undefined;
    const text = (data[data.input] ?? '').trim();
    const problem = replyTextProblem(text);
    const status: CardStatus =
      problem === undefined
        ? { commentId: ref.id, text: await send(turn, ref, text), good: true }
        : { commentId: ref.id, text: turn.t(problem.key, problem.values), good: false, draft: text };
    const card = await (toList
      ? listCard(deps, turn, { start, status })
      : threadCard(deps, turn, ref, viewer, status));
    return problem === undefined ? card : unsaved(card);
  });
}

const refOf = (
  turn: Turn & { person: { tenantId: string } },
  data: z.infer<typeof commentRef>,
): CommentRef => ({
  tenantId: turn.person.tenantId,
  initiativeId: data.initiativeId === '' ? undefined : data.initiativeId,
  week: data.week,
  id: data.commentId,
});

/**
 * The page a card's button came from, before anything is done: a damaged one, or one whose comments are
 * now too old to list, is refused with nothing changed.
 */
function pageOf(deps: BotDeps, data: z.infer<typeof onPage>): CommentsPageStart | undefined {
  const parsed = pageStart.safeParse(data);
  if (!parsed.success) throw new UserInputError('comments.pageBad', {});
  checkPageStart(parsed.data, deps.clock.now());
  return parsed.data;
}

const timeZoneOf = (deps: BotDeps, turn: Turn) => turn.member?.timeZone ?? deps.defaults.timeZone;

/** The list as this reader sees it, from `start` (the newest without one), with what was just done. */
async function listCard(
  deps: BotDeps,
  turn: Turn,
  view: {
    start?: CommentsPageStart | undefined;
    status?: CardStatus;
    notice?: string;
    confirming?: string;
  },
) {
  if (turn.person === undefined) throw new UserInputError('card.expired', {});
  const tenantId = turn.person.tenantId;
  const [{ threads, page, total, withSafeguarding, awaitingWriter, waiting, themeSources }, initiatives] =
    await Promise.all([recentComments(deps, tenantId, view.start), deps.initiatives.list(tenantId)]);
  // Asked about a comment no longer listed (another reader passed it on, or it was deleted): say so,
  // rather than a card that seems to ignore the tap.
  const gone =
    view.confirming !== undefined && !threads.some(({ comment }) => comment.id === view.confirming);
  return commentsCard(turn.t, {
    threads,
    page,
    total,
    withSafeguarding,
    awaitingWriter,
    waiting,
    threshold: deps.anonymityThreshold,
    themeSources,
    canReply: turn.roles.includes('manager'),
    canChangeTheme: turn.roles.includes('manager'),
    notice: gone ? turn.t('comments.notListed') : view.notice,
    confirming: view.confirming,
    initiativeTitles: new Map(initiatives.map((initiative) => [initiative.id, initiative.title])),
    timeZone: timeZoneOf(deps, turn),
    status: view.status,
  });
}

/** The follow-up card as one side sees it now: the whole thread, open or ended. */
async function threadCard(
  deps: BotDeps,
  turn: Turn,
  ref: CommentRef,
  viewer: 'writer' | 'manager',
  status?: CardStatus,
) {
  const comment = await deps.comments.get(ref);
  if (comment === undefined) throw new UserInputError('followUp.gone', {});
  const writerId = writerOf(deps, comment, deps.clock.now());
  if (viewer === 'writer' && writerId !== turn.person?.aadObjectId) {
    // Only the writer sees their side, and only while the handle can prove it is them: an ended
    // conversation's card shows nothing of it.
    if (writerId === undefined) return noticeCard(turn.t('followUp.ended'));
    throw new UserInputError('followUp.notYours', {});
  }
  const messages = await deps.threads.list(ref.tenantId, ref.id);
  return followUpCard(turn.t, {
    viewer,
    comment,
    messages,
    open: writerId !== undefined,
    timeZone: timeZoneOf(deps, turn),
    status,
  });
}
