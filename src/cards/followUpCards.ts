import type { Comment, ThreadMessage } from '../domain/feedback/comment.js';
import { type CommentsPage, type CommentsPageStart, RECENT_DAYS } from '../domain/feedback/commentsPage.js';
import { type CommentThread, REPLY_MAX_LENGTH } from '../domain/feedback/followUp.js';
import { WRITER_ANSWER_WAIT_MS } from '../domain/feedback/safeguarding.js';
import { THEMES, type ThemeSource, themeOf } from '../domain/feedback/themes.js';
import type { Translator } from '../i18n/strings.js';
import { type Card, expandTemplate } from './render.js';
import { formatDay, formatWhen } from './updateCards.js';
import { VERBS } from './verbs.js';

/**
 * Cards of the two-way follow-up on comments: the managers' and leaders' list (`comments`), and the card
 * each side receives when the other writes. Nothing on any of them says who wrote a comment unless the
 * writer added their name.
 */

/** A line under the comment after something was done: sent (good), or what is wrong (attention). */
export interface CardStatus {
  commentId: string;
  text: string;
  good: boolean;
  /** What the person had typed, put back when it could not be sent. */
  draft?: string | undefined;
}

/** Which comments a page shows; a last page of one says so, since "Showing 41-41 of 41" reads as a slip. */
function rangeText(t: Translator, first: number, last: number, total: number): string {
  return first === last
    ? t('comments.rangeOne', { first, total })
    : t('comments.range', { first, last, count: total });
}

/**
 * What an empty page says. With pulse answers waiting, someone has written: the list only has nothing
 * it may show yet.
 */
function noneText(t: Translator, model: { total: number; waiting: number }): string {
  if (model.total > 0) return t('comments.pageEmpty');
  return t(model.waiting === 0 ? 'comments.none' : 'comments.noneListed', { days: RECENT_DAYS });
}

export function commentsCard(
  t: Translator,
  model: {
    threads: readonly CommentThread[];
    /** Where `threads` sit in the list, and where the next page starts. */
    page: Omit<CommentsPage, 'listed'>;
    /** Comments there are to show, of which `threads` are one page. */
    total: number;
    withSafeguarding: number;
    /** Comments kept back while their writer is asked whether someone is at risk. */
    awaitingWriter: number;
    /** Open answers to pulses kept back until their round has `threshold` answers. */
    waiting: number;
    threshold: number;
    themeSources: Readonly<Record<ThemeSource, number>>;
    canReply: boolean;
    /** Managers may correct what a comment is about; leaders read. */
    canChangeTheme: boolean;
    /** A line at the top after something was done to a comment no longer listed (passed on). */
    notice?: string | undefined;
    initiativeTitles: ReadonlyMap<string, string>;
    timeZone: string;
    status?: CardStatus | undefined;
    /** The comment whose "Pass to the safeguarding lead" was pressed: it asks before anything is sent. */
    confirming?: string | undefined;
  },
): Card {
  const { page } = model;
  const last = page.first + model.threads.length - 1;
  return expandTemplate('comments', {
    title: t('comments.title'),
    intro: t('comments.intro', { days: RECENT_DAYS }),
    safeguarding:
      model.withSafeguarding === 0
        ? ''
        : t('comments.safeguarding', { count: model.withSafeguarding, days: RECENT_DAYS }),
    awaitingWriter:
      model.awaitingWriter === 0
        ? ''
        : t('comments.awaitingWriter', {
            count: model.awaitingWriter,
            minutes: WRITER_ANSWER_WAIT_MS / 60_000,
          }),
    waiting:
      model.waiting === 0
        ? ''
        : t('comments.pulseWaiting', { count: model.waiting, threshold: model.threshold }),
    none: noneText(t, model),
    sources:
      model.total === 0 ? '' : t('comments.themeSources', { ...model.themeSources, total: model.total }),
    notice: model.notice ?? '',
    changeTheme: t('comments.changeTheme'),
    passOn: t('comments.passOn'),
    passOnVerb: VERBS.commentPassOn,
    passOnQuestion: t('comments.passOnQuestion'),
    passOnYes: t('comments.passOnYes'),
    passOnYesVerb: VERBS.commentPassOnConfirm,
    passOnCancel: t('comments.passOnCancel'),
    passOnCancelVerb: VERBS.commentPassOnCancel,
    // Every button on the page carries where it starts, so what it brings back is this page again.
    ...pageFields(page.start),
    recordAction: t('comments.recordAction'),
    recordActionVerb: VERBS.actionFromComment,
    // Any comment can lead to an action, whoever chose its theme: only its correction is held back.
    canRecordAction: model.canChangeTheme,
    themeLabel: t('comments.themeLabel'),
    saveTheme: t('comments.saveTheme'),
    themeVerb: VERBS.commentTheme,
    themeChoices: THEMES.map((theme) => ({ title: t(`tag.${theme}`), value: theme })),
    range:
      model.threads.length === 0 || (page.first === 1 && page.older === undefined)
        ? ''
        : rangeText(t, page.first, last, model.total),
    older: page.older === undefined ? '' : t('comments.older'),
    olderVerb: VERBS.commentsOlder,
    olderDay: page.older?.day ?? '',
    olderId: page.older?.id ?? '',
    replyTitle: t('followUp.reply'),
    replyLabel: t('followUp.replyLabel'),
    send: t('followUp.send'),
    replyVerb: VERBS.followUpReply,
    maxLength: REPLY_MAX_LENGTH,
    threads: model.threads.map(({ comment, messages, open }, index) => {
      const status = model.status?.commentId === comment.id ? model.status : undefined;
      // While the question is open, Yes and Cancel stand in for the comment's buttons; Cancel brings them back.
      const confirming = model.confirming === comment.id;
      return {
        ...refOf(comment),
        heading: t('comments.heading', {
          day: formatDay(comment.day, t.locale),
          source: t(`comments.source.${comment.source}`),
        }),
        about: aboutOf(t, comment, model.initiativeTitles),
        text: comment.text,
        from:
          comment.author === undefined
            ? t('comments.anonymous')
            : t('comments.named', { name: comment.author.name }),
        messages: messageLines(t, messages, 'manager', model.timeZone),
        ...statusOf(status),
        confirming,
        buttons: !confirming,
        canReply: model.canReply && open && !confirming,
        // The writer's own choice counts first: a correction of it would change nothing.
        canChangeTheme: model.canChangeTheme && (comment.tags?.length ?? 0) === 0 && !confirming,
        inputId: `reply${index}`,
        themeInputId: `theme${index}`,
        theme: themeOf(comment).theme,
        draft: status?.draft ?? '',
      };
    }),
  });
}

/** What one side sees of a follow-up: the comment, the messages so far, and a box to write back. */
export function followUpCard(
  t: Translator,
  model: {
    viewer: 'writer' | 'manager';
    comment: Comment;
    messages: readonly ThreadMessage[];
    open: boolean;
    timeZone: string;
    status?: CardStatus | undefined;
  },
): Card {
  const { comment, viewer } = model;
  const day = formatDay(comment.day, t.locale);
  return expandTemplate('follow-up', {
    ...refOf(comment),
    viewer,
    title: t(`followUp.${viewer}.title`),
    intro: t(`followUp.${viewer}.intro`, { day }),
    comment: comment.text,
    messages: messageLines(t, model.messages, viewer, model.timeZone),
    note: model.open
      ? t(`followUp.${viewer}.${comment.anonymous ? 'anonymous' : 'named'}`)
      : t('followUp.ended'),
    ...statusOf(model.status),
    open: model.open,
    inputLabel: t(`followUp.${viewer}.inputLabel`),
    maxLength: REPLY_MAX_LENGTH,
    draft: model.status?.draft ?? '',
    send: t(`followUp.${viewer}.send`),
    sendVerb: viewer === 'writer' ? VERBS.followUpAnswer : VERBS.followUpReply,
    close: t('followUp.close'),
    closeVerb: VERBS.followUpClose,
  });
}

/** Where a page starts, as a card sends it back (see the handler's `pageStart`); empty for the newest. */
const pageFields = (start: CommentsPageStart | undefined) => ({
  fromDay: start?.day ?? '',
  fromId: start?.id ?? '',
});

/** The fields a card sends back to find the comment again. */
const refOf = (comment: Comment) => ({
  commentId: comment.id,
  initiativeId: comment.initiativeId ?? '',
  week: comment.week,
});

/** Which change it is about and its theme, saying who chose the theme: its weight depends on that. */
function aboutOf(t: Translator, comment: Comment, titles: ReadonlyMap<string, string>): string {
  const { theme: chosen, source } = themeOf(comment);
  // A writer may choose two; both are what they said it is about, though only the first is counted.
  const named = source === 'writer' ? (comment.tags ?? [chosen]) : [chosen];
  const theme = t(`comments.themeBy.${source}`, {
    theme: named.map((one) => t(`tag.${one}`)).join(', '),
  });
  const initiative = comment.initiativeId === undefined ? undefined : titles.get(comment.initiativeId);
  return initiative === undefined
    ? t('comments.theme', { theme })
    : t('comments.about', { initiative, theme });
}

/** Each message headed by who wrote it, as the viewer knows them: the writer is never named to a manager. */
function messageLines(
  t: Translator,
  messages: readonly ThreadMessage[],
  viewer: 'writer' | 'manager',
  timeZone: string,
) {
  return messages.map((message) => {
    const when = formatWhen(message.at, t.locale, timeZone);
    const who =
      message.from === 'writer'
        ? viewer === 'writer'
          ? t('followUp.you')
          : t('followUp.theWriter')
        : message.manager.name;
    return { who: t('followUp.said', { who, when }), text: message.text };
  });
}

const statusOf = (status: CardStatus | undefined) => ({
  status: status?.text ?? '',
  statusColor: status?.good === false ? 'Attention' : 'Accent',
});
