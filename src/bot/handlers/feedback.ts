import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { noticeCard } from '../../cards/cards.js';
import { type CommentFormModel, commentFormCard, commentOfferCard } from '../../cards/feedbackCards.js';
import { VERBS } from '../../cards/verbs.js';
import { DISCLOSURE_MAX_LENGTH } from '../../domain/feedback/comment.js';
import { includes } from '../../domain/initiatives/changes.js';
import { onAction, unsaved } from '../actionRoute.js';
import { onCommand } from '../commandRoute.js';
import { commentFields, enteredIn, recordFromForm, writerCard } from '../commentInput.js';
import type { BotDeps } from '../deps.js';
import { sendCard, type Turn } from '../turn.js';

const PURPOSES = ['feedback', 'confirm', 'harm'] as const;
type FeedbackPurpose = (typeof PURPOSES)[number];
const feedbackData = commentFields.extend({
  initiativeId: z.string().max(64).optional().default(''),
  purpose: z.enum(PURPOSES).optional().default('feedback'),
});
/** What each button of the offer carries: the words typed in the chat, and which way on was chosen. */
const offerData = commentFields.pick({ text: true, harm: true });

/**
 * `feedback`: anyone can tell Huddle something at any time, on a form that says who will read it before
 * anything is stored. Words typed in the chat come here too: the offer (see `offerToPassOn`) opens the
 * same form with them in it. A possible disclosure gets the safeguarding card in place of the thank-you.
 */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'feedback', async (context, turn) => {
    await sendCard(context, await feedbackForm(deps, turn, { purpose: 'feedback' }));
  });

  onAction(app, deps, VERBS.feedbackOpen, { data: offerData }, async (_context, turn, data) =>
    feedbackForm(deps, turn, {
      purpose: data.harm === 'true' ? 'harm' : 'confirm',
      text: data.text,
      harm: data.harm === 'true',
    }),
  );

  onAction(
    app,
    deps,
    VERBS.feedbackSubmit,
    { data: feedbackData, once: true },
    async (_context, turn, data) => {
      const initiatives = await initiativesOf(deps, turn);
      const initiativeId = initiatives.some((one) => one.id === data.initiativeId)
        ? data.initiativeId
        : undefined;
      const sent = await recordFromForm(deps, turn, data, { source: 'feedback', initiativeId });
      if (sent.kind === 'problem') {
        return unsaved(
          await feedbackForm(deps, turn, {
            ...enteredIn(data),
            purpose: data.purpose,
            initiativeId,
            error: sent.error,
          }),
        );
      }
      const { anonymous, escalation } = sent;
      // Neither the words nor who wrote them are logged.
      deps.logger.info({ anonymous, escalated: escalation !== undefined }, 'feedback recorded');
      if (escalation !== undefined) return writerCard(deps, turn, escalation);
      return noticeCard(
        turn.t('feedback.thanks', { how: turn.t(anonymous ? 'update.anonymously' : 'update.withName') }),
      );
    },
  );
}

/**
 * Offers words typed in the chat back, with a way to tell a manager and a way to say someone is being
 * harmed, whatever Huddle reads in them: the classifier misses disclosures, and a person decides. When it
 * does read a possible disclosure, the offer leads with what to do now. Nothing is stored here.
 */
export async function offerToPassOn(deps: BotDeps, turn: Turn, text: string) {
  const analysis = await deps.classifier.classify(text);
  // The words ride on both buttons; past what any comment may hold they would only swell the card past
  // Teams' size limit, so the form gets the most a disclosure may be, and the card says so.
  return commentOfferCard(turn.t, {
    text: text.slice(0, DISCLOSURE_MAX_LENGTH),
    cut: text.length > DISCLOSURE_MAX_LENGTH,
    safeguarding: analysis.safeguarding ? deps.safeguarding : undefined,
  });
}

async function initiativesOf(deps: BotDeps, turn: Turn) {
  const member = turn.member;
  if (member === undefined) return [];
  return (await deps.initiatives.list(member.tenantId)).filter((initiative) => includes(initiative, member));
}

/**
 * The feedback form for `purpose`. About someone being harmed, it leads with the procedure and asks
 * nothing about which change it concerns.
 */
async function feedbackForm(
  deps: BotDeps,
  turn: Turn,
  model: Omit<CommentFormModel, 'sendVerb' | 'data' | 'initiatives' | 'purpose' | 'safeguarding'> & {
    purpose: FeedbackPurpose;
  },
) {
  const harm = model.purpose === 'harm';
  return commentFormCard(turn.t, {
    ...model,
    sendVerb: VERBS.feedbackSubmit,
    data: { purpose: model.purpose },
    initiatives: harm ? [] : await initiativesOf(deps, turn),
    safeguarding: harm ? deps.safeguarding : undefined,
  });
}
