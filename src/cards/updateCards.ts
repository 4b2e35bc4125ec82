import {
  acknowledgementRate,
  type Broadcast,
  type Figures,
  type UpdateContent,
} from '../domain/broadcasts/broadcast.js';
import { championsToAsk } from '../domain/champions/championGroups.js';
import type { MemberGroups } from '../domain/people/member.js';
import { formatPercent, type Translator } from '../i18n/strings.js';
import { type Card, expandTemplate } from './render.js';
import { VERBS } from './verbs.js';

/**
 * Cards about updates: what staff receive (and its states after Got it / a concern) and the manager's
 * progress card.
 */

/** A date as people read it in their language, e.g. "7 December 2026". */
export function formatDay(iso: string, locale: string): string {
  const date = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/**
 * The headed sections of an update: why, what it means, when, who to ask (those it has). Who to ask names
 * the owners and the champions of the reader's own group (`reader`: their groups; none for a preview).
 */
export function updateSections(
  t: Translator,
  content: UpdateContent,
  reader?: MemberGroups | undefined,
): { heading: string; text: string }[] {
  const sections: { heading: string; text: string }[] = [];
  if (content.why) sections.push({ heading: t('update.why'), text: content.why });
  if (content.whatItMeans) sections.push({ heading: t('update.whatItMeans'), text: content.whatItMeans });
  const from = content.from === undefined ? undefined : formatDay(content.from, t.locale);
  const until = content.until === undefined ? undefined : formatDay(content.until, t.locale);
  const when =
    from !== undefined && until !== undefined
      ? t('update.whenBetween', { from, until })
      : from !== undefined
        ? t('update.whenFrom', { from })
        : until !== undefined
          ? t('update.whenUntil', { until })
          : undefined;
  if (when !== undefined) sections.push({ heading: t('update.when'), text: when });
  const whoToAsk = [
    ...new Set([...(content.whoToAsk ?? []), ...championsToAsk(reader, content.champions ?? [])]),
  ];
  if (whoToAsk.length > 0) sections.push({ heading: t('update.whoToAsk'), text: whoToAsk.join(', ') });
  return sections;
}

export type UpdateCardState =
  | { kind: 'open' }
  /** Shown to the manager before sending: everything staff will see but the buttons, which need a send. */
  | { kind: 'preview' }
  | { kind: 'acknowledged' }
  | { kind: 'concernSent'; anonymous: boolean };

export function updateCard(
  t: Translator,
  model: {
    broadcastId: string;
    content: UpdateContent;
    urgent: boolean;
    state: UpdateCardState;
    /** The groups of whoever the card is for, so it names the champions of their group. */
    reader?: MemberGroups | undefined;
  },
): Card {
  const { content, state } = model;
  return expandTemplate('update', {
    urgentLabel: model.urgent ? t('update.urgent') : '',
    initiativeTitle: content.initiativeTitle ?? '',
    headline: content.headline,
    message: content.message,
    imageUrl: content.imageUrl ?? '',
    imageAlt: t('update.imageAlt'),
    sections: updateSections(t, content, model.reader),
    thanks:
      state.kind === 'acknowledged'
        ? t('update.thanks')
        : state.kind === 'concernSent'
          ? t('update.thanksConcern', { how: t(state.anonymous ? 'update.anonymously' : 'update.withName') })
          : '',
    link: content.link ?? '',
    linkTitle: t('update.link'),
    showButtons: state.kind === 'open',
    // A "You said, we did" card is thanked, or told it does not fix what was said (the concern form).
    gotIt: t(content.loop === undefined ? 'update.gotIt' : 'loop.thanks'),
    gotItVerb: VERBS.updateGotIt,
    concern: t(content.loop === undefined ? 'update.concern' : 'loop.notFixed'),
    concernVerb: VERBS.updateConcern,
    broadcastId: model.broadcastId,
  });
}

/**
 * Which answer buttons the card sent had: an update's, a "You said, we did" card's, or none (an invitation
 * has Yes, a pulse its questions, counted in `results`).
 */
type Answers = 'update' | 'loop' | 'none';

const answersOf = (broadcast: Broadcast): Answers =>
  broadcast.champion !== undefined || broadcast.pulse !== undefined
    ? 'none'
    : broadcast.content.loop !== undefined
      ? 'loop'
      : 'update';

/**
 * What a send is called on the manager's cards: its headline, but an invitation's headline is the question
 * staff were asked, which would read as a question to the manager.
 */
function headlineOf(t: Translator, broadcast: Broadcast): string {
  const { content } = broadcast;
  return broadcast.champion?.step === 'invite'
    ? t('broadcast.invitationHeadline', { initiative: content.initiativeTitle ?? content.headline })
    : content.headline;
}

/**
 * Figures in the order a manager reads them; rows that would say 0 of something unusual are left out, and
 * the answers are named as the buttons staff pressed (none when the card had neither).
 */
function figureFacts(t: Translator, figures: Figures, answers: Answers): { label: string; value: string }[] {
  const answered = answers !== 'none';
  const rows: [string, string, boolean][] = [
    [t('broadcast.fact.sent'), `${figures.sent}`, true],
    [t('broadcast.fact.pending'), `${figures.pending}`, figures.pending > 0],
    [t('broadcast.fact.waiting'), `${figures.waiting}`, figures.waiting > 0],
    [t('broadcast.fact.failed'), `${figures.failed}`, figures.failed > 0],
    [t('broadcast.fact.gone'), `${figures.gone}`, figures.gone > 0],
    [t('broadcast.fact.skipped'), `${figures.skipped}`, figures.skipped > 0],
    [t('broadcast.fact.unconfirmed'), `${figures.unconfirmed}`, figures.unconfirmed > 0],
    [
      t(answers === 'loop' ? 'loop.thanks' : 'broadcast.fact.acknowledged'),
      `${figures.acknowledged}${rateText(t, figures)}`,
      answered,
    ],
    [t(answers === 'loop' ? 'loop.notFixed' : 'broadcast.fact.concerns'), `${figures.concerns}`, answered],
  ];
  return rows.filter(([, , show]) => show).map(([label, value]) => ({ label, value }));
}

/** " (8% of those reached)": Got it is counted over the people the send reached, and says so. */
function rateText(t: Translator, figures: Figures): string {
  const rate = acknowledgementRate(figures);
  return rate === undefined ? '' : t('broadcast.acknowledgedRate', { rate: formatPercent(t, rate) });
}

export function progressCard(t: Translator, broadcast: Broadcast, figures: Figures): Card {
  const status =
    broadcast.status === 'scheduled'
      ? t('broadcast.status.scheduled', {
          when: formatWhen(broadcast.sendAt, t.locale, broadcast.createdBy.timeZone),
        })
      : broadcast.status === 'cancelled'
        ? t(figures.recipients === 0 ? 'broadcast.status.cancelledScheduled' : 'broadcast.status.cancelled')
        : t(`broadcast.status.${broadcast.status}`);
  return expandTemplate('broadcast-progress', {
    title: t('broadcast.progressTitle', { headline: headlineOf(t, broadcast) }),
    status,
    facts: [
      { label: t('broadcast.fact.recipients'), value: `${figures.recipients || broadcast.recipients}` },
      // A champion invitation is answered with Yes, not Got it or a concern.
      ...figureFacts(t, figures, answersOf(broadcast)),
    ],
    note: figures.unconfirmed > 0 ? t('broadcast.unconfirmedNote') : '',
    canResend: figures.unconfirmed > 0 && broadcast.status !== 'cancelled',
    resend: t('broadcast.resend', { count: figures.unconfirmed }),
    resendVerb: VERBS.broadcastResend,
    canCancel: broadcast.status === 'scheduled' || broadcast.status === 'sending',
    cancel: t('broadcast.cancel'),
    cancelVerb: VERBS.broadcastCancel,
    broadcastId: broadcast.id,
  });
}

export function broadcastsCard(
  t: Translator,
  broadcasts: readonly { broadcast: Broadcast; figures: Figures }[],
): Card {
  return expandTemplate('broadcasts', {
    title: t('broadcast.listTitle'),
    empty: t('broadcast.listEmpty'),
    items: broadcasts.map(({ broadcast, figures }) => ({
      headline: headlineOf(t, broadcast),
      status: t('broadcast.listStatus', {
        status: t(`broadcast.state.${broadcast.status}`),
        by: broadcast.createdBy.name,
        when: formatWhen(broadcast.sendAt, t.locale, broadcast.createdBy.timeZone),
      }),
      figures: t(`broadcast.listFigures.${answersOf(broadcast)}`, {
        ...figures,
        rate: rateText(t, figures),
        thanks: t('loop.thanks'),
        notFixed: t('loop.notFixed'),
      }),
    })),
  });
}

/** A moment as people read it in their language and zone: "20 November 2026 at 14:00" in en-GB. */
export function formatWhen(iso: string, locale: string, timeZone: string): string {
  return whenFormat(locale, timeZone).format(new Date(iso));
}

// Building an Intl.DateTimeFormat costs far more than using one; answering a pulse formats a time on every
// turn, so formats are kept per language and zone (a handful in any deployment).
const whenFormats = new Map<string, Intl.DateTimeFormat>();
function whenFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let format = whenFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
    });
    if (whenFormats.size < 1_000) whenFormats.set(key, format);
  }
  return format;
}
