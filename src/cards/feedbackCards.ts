import { COMMENT_MAX_LENGTH, DISCLOSURE_MAX_LENGTH } from '../domain/feedback/comment.js';
import type { Escalation } from '../domain/feedback/safeguarding.js';
import { THEMES } from '../domain/feedback/themes.js';
import type { Translator } from '../i18n/strings.js';
import { type Card, expandTemplate } from './render.js';
import { formatWhen } from './updateCards.js';
import { VERBS } from './verbs.js';

/**
 * Cards about what staff tell Huddle: the offer to pass on words typed in the chat, the one comment form
 * (a concern about an update, feedback at any time, words typed in the chat, someone being harmed), the
 * safeguarding card the writer gets, and the alert the safeguarding lead gets.
 */

/** The choice for "not about a particular change" (a choice cannot have an empty value). */
export const NO_INITIATIVE = 'none';

/** `confirm`: words typed in the chat, to pass on; `harm`: the same, about someone being harmed. */
export type CommentPurpose = 'concern' | 'feedback' | 'confirm' | 'harm';

/** The organisation's safeguarding procedure and contacts (configuration), for whoever may be disclosing. */
export interface Safeguarding {
  procedure: string;
  contacts: string;
}

export interface CommentFormModel {
  purpose: CommentPurpose;
  /** The button's verb and the data it carries back (which update a concern is about). */
  sendVerb: string;
  data: Record<string, string>;
  backVerb?: string | undefined;
  about?: string | undefined;
  /** Changes the writer may say it is about; none for a concern (its update says which). */
  initiatives?: readonly { id: string; title: string }[] | undefined;
  initiativeId?: string | undefined;
  text?: string | undefined;
  harm?: boolean | undefined;
  giveName?: boolean | undefined;
  /** The writer's tag choice as the card sends it ("a,b"), to show the form again as they left it. */
  tags?: string | undefined;
  error?: string | undefined;
  /** Given for `harm`: what to do now comes before the form. */
  safeguarding?: Safeguarding | undefined;
}

/**
 * When someone may be at risk, the card leads with calling 999 and the organisation's procedure, before
 * anything that reads like a survey; otherwise with `title`.
 */
function heading(t: Translator, title: string, safeguarding: Safeguarding | undefined) {
  if (safeguarding === undefined)
    return {
      title,
      titleColor: 'Default',
      procedureTitle: '',
      procedure: '',
      contactsTitle: '',
      contacts: '',
    };
  return {
    title: t('harm.title'),
    titleColor: 'Attention',
    procedureTitle: t('safeguarding.writer.procedureTitle'),
    procedure: safeguarding.procedure,
    contactsTitle: t('safeguarding.writer.contactsTitle'),
    contacts: safeguarding.contacts,
  };
}

/**
 * Says before anything is stored who will read it and that it is anonymous unless they add their name.
 * The box takes a disclosure's length, since it cannot know; the label says the two limits.
 */
export function commentFormCard(t: Translator, model: CommentFormModel): Card {
  const initiatives =
    model.initiatives === undefined || model.initiatives.length === 0
      ? []
      : [
          { title: t('comment.noInitiative'), value: NO_INITIATIVE },
          ...model.initiatives.map((initiative) => ({ title: initiative.title, value: initiative.id })),
        ];
  return expandTemplate('comment-form', {
    ...heading(t, t(`${model.purpose}.title`), model.safeguarding),
    about: model.about ?? (model.purpose === 'confirm' ? t('confirm.about') : ''),
    whoSees: t(model.purpose === 'harm' ? 'harm.whoSees' : 'comment.whoSees'),
    error: model.error ?? '',
    textLabel: t(`${model.purpose}.textLabel`, {
      max: COMMENT_MAX_LENGTH,
      disclosureMax: DISCLOSURE_MAX_LENGTH,
    }),
    textRequired: t(`${model.purpose}.textRequired`),
    maxLength: DISCLOSURE_MAX_LENGTH,
    text: model.text ?? '',
    // Not on the safeguarding form: there the words go to the lead, whatever they are about.
    showTags: model.purpose !== 'harm',
    tagsLabel: t('comment.tags'),
    tags: model.tags ?? '',
    tagChoices: THEMES.map((theme) => ({ title: t(`tag.${theme}`), value: theme })),
    initiatives,
    initiativeLabel: t('comment.initiative'),
    initiativeId: model.initiativeId ?? NO_INITIATIVE,
    harmLabel: t('comment.harm'),
    harm: String(model.harm === true),
    giveName: t('comment.giveName'),
    giveNameValue: String(model.giveName === true),
    send: t('comment.send'),
    sendVerb: model.sendVerb,
    data: model.data,
    back: t('comment.back'),
    backVerb: model.backVerb ?? '',
  });
}

/**
 * What words typed in the chat get when they are not a command: two ways to pass them on, whatever Huddle
 * read in them, because the classifier misses disclosures. Each opens the form with the words in it, and
 * nothing is stored before Send. `safeguarding` is given when Huddle read a possible disclosure.
 */
export function commentOfferCard(
  t: Translator,
  model: { text: string; cut: boolean; safeguarding?: Safeguarding | undefined },
): Card {
  const cut = model.cut ? ` ${t('offer.cut', { max: DISCLOSURE_MAX_LENGTH })}` : '';
  return expandTemplate('comment-offer', {
    ...heading(t, t('offer.title'), model.safeguarding),
    about: `${t('offer.about')}${cut}`,
    help: t('unknown.help'),
    tellManager: t('offer.tellManager'),
    harmed: t('offer.harmed'),
    openVerb: VERBS.feedbackOpen,
    text: model.text,
  });
}

/**
 * What the writer of a possible disclosure sees at once: that it went to the lead, plainly whether it
 * was anonymous (and so whether anyone can come back to them), and the organisation's procedure.
 */
export function safeguardingWriterCard(
  t: Translator,
  model: { anonymous: boolean; procedure: string; contacts: string },
): Card {
  return expandTemplate('safeguarding-writer', {
    title: t('safeguarding.writer.title'),
    passedOn: t('safeguarding.writer.passedOn'),
    anonymity: t(model.anonymous ? 'safeguarding.writer.anonymous' : 'safeguarding.writer.named'),
    procedureTitle: t('safeguarding.writer.procedureTitle'),
    procedure: model.procedure,
    contactsTitle: t('safeguarding.writer.contactsTitle'),
    contacts: model.contacts,
  });
}

/**
 * What the writer of a disclosure sees when it could not be stored: it reached nobody, so what to do now
 * comes at once, with no thanks for something Huddle does not have.
 */
export function safeguardingNotSavedCard(t: Translator, model: Safeguarding): Card {
  return expandTemplate('safeguarding-writer', {
    title: t('safeguarding.notSaved.title'),
    passedOn: t('safeguarding.notSaved.passedOn'),
    anonymity: t('safeguarding.question.danger'),
    procedureTitle: t('safeguarding.writer.procedureTitle'),
    procedure: model.procedure,
    contactsTitle: t('safeguarding.writer.contactsTitle'),
    contacts: model.contacts,
  });
}

/**
 * What the writer sees when only Huddle read their words as a possible disclosure: the question, with what
 * to do if someone is in danger now, before anything else. `token` proves an answer comes from them.
 */
export function safeguardingQuestionCard(
  t: Translator,
  model: Safeguarding & {
    escalationId: string;
    token: string;
    /** The writer's words, when the question comes after their thank-you rather than in its place. */
    words?: string | undefined;
  },
): Card {
  return expandTemplate('safeguarding-question', {
    title: t('safeguarding.question.title'),
    wordsTitle: model.words === undefined ? '' : t('safeguarding.question.wordsTitle'),
    words: model.words ?? '',
    danger: t('safeguarding.question.danger'),
    saved: t('safeguarding.question.saved'),
    procedureTitle: t('safeguarding.writer.procedureTitle'),
    procedure: model.procedure,
    contactsTitle: t('safeguarding.writer.contactsTitle'),
    contacts: model.contacts,
    yes: t('safeguarding.question.yes'),
    no: t('safeguarding.question.no'),
    verb: VERBS.safeguardingAnswer,
    escalationId: model.escalationId,
    token: model.token,
  });
}

/** The lead's alert: the words, who wrote them only if they gave their name, and the acknowledgement. */
export function safeguardingAlertCard(
  t: Translator,
  model: { escalation: Escalation; alert: number; timeZone: string },
): Card {
  const { escalation } = model;
  const when = (iso: string) => formatWhen(iso, t.locale, model.timeZone);
  return expandTemplate('safeguarding-alert', {
    title: t('safeguarding.alert.title'),
    resent: model.alert > 1 ? t('safeguarding.alert.resent', { number: model.alert }) : '',
    intro: t('safeguarding.alert.intro'),
    text: escalation.text,
    facts: [
      {
        label: t('safeguarding.alert.from'),
        value: escalation.writer?.name ?? t('safeguarding.alert.anonymous'),
      },
      { label: t('safeguarding.alert.raised'), value: when(escalation.raisedAt) },
      {
        label: t('safeguarding.alert.flaggedBy'),
        value: escalation.unconfirmed
          ? t('safeguarding.alert.unconfirmed')
          : t(`safeguarding.alert.by.${escalation.flaggedBy}`),
      },
    ],
    acknowledged:
      escalation.acknowledgedBy === undefined || escalation.acknowledgedAt === undefined
        ? ''
        : t('safeguarding.alert.acknowledged', {
            name: escalation.acknowledgedBy.name,
            when: when(escalation.acknowledgedAt),
          }),
    acknowledge: t('safeguarding.alert.acknowledge'),
    acknowledgeVerb: VERBS.safeguardingAcknowledge,
    escalationId: escalation.id,
  });
}

const LISTED = 20;

/** For leads and admins: recent escalations, open ones first, each with its timeline but not its words. */
export function escalationsCard(t: Translator, escalations: readonly Escalation[], timeZone: string): Card {
  const when = (iso: string) => formatWhen(iso, t.locale, timeZone);
  const shown = [...escalations]
    .sort((a, b) => Number(b.status === 'raised') - Number(a.status === 'raised'))
    .slice(0, LISTED);
  return expandTemplate('escalations', {
    title: t('escalations.title'),
    intro: t('escalations.intro', { count: shown.length }),
    none: t('escalations.none'),
    escalations: shown.map((escalation) => ({
      style: escalation.status === 'raised' ? 'attention' : 'default',
      heading:
        escalation.status === 'raised'
          ? t('escalations.open', { when: when(escalation.raisedAt) })
          : t('escalations.done', { name: escalation.acknowledgedBy?.name ?? '' }),
      timeline: escalation.timeline.map((entry) => ({
        when: when(entry.at),
        what: t(`escalations.event.${entry.event}`, {
          by: entry.event === 'raised' ? t(`escalations.by.${entry.by ?? 'huddle'}`) : (entry.by ?? ''),
        }),
      })),
    })),
  });
}
