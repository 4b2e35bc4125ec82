import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { noticeCard } from '../../cards/cards.js';
import { type CommentFormModel, commentFormCard } from '../../cards/feedbackCards.js';
import { VERBS } from '../../cards/verbs.js';
import { includes } from '../../domain/changes.js';
import { onAction } from '../actionRoute.js';
import { onCommand } from '../commandRoute.js';
import { commentFields, enteredIn, recordFromForm, writerCard } from '../commentInput.js';
import type { BotDeps } from '../deps.js';
import { sendCard, type Turn } from '../turn.js';

const STAFF = ['staff'] as const;
const feedbackData = commentFields.extend({
  initiativeId: z.string().max(64).optional().default(''),
  purpose: z.enum(['feedback', 'confirm']).optional().default('feedback'),
});

/**
 * `feedback`: anyone can tell Huddle something at any time, on a form that says who will read it before
 * anything is stored. Free text that reads like feedback comes here too, offered back on the same form
 * (see `offerAsFeedback`). A possible disclosure gets the safeguarding card in place of the thank-you.
 */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'feedback', async (context, turn) => {
    await sendCard(context, feedbackForm(turn, await initiativesOf(deps, turn), { purpose: 'feedback' }));
  });

  onAction(
    app,
    deps,
    VERBS.feedbackSubmit,
    { roles: STAFF, data: feedbackData },
    async (_context, turn, data) => {
      const initiatives = await initiativesOf(deps, turn);
      const initiativeId = initiatives.some((one) => one.id === data.initiativeId)
        ? data.initiativeId
        : undefined;
      const sent = await recordFromForm(deps, turn, data, { source: 'feedback', initiativeId });
      if (sent.kind === 'problem') {
        return feedbackForm(turn, initiatives, {
          ...enteredIn(data),
          purpose: data.purpose,
          initiativeId,
          error: sent.error,
        });
      }
      const { anonymous, escalation } = sent;
      // Neither the words nor who wrote them are logged.
      deps.logger.info({ anonymous, escalated: escalation !== undefined }, 'feedback recorded');
      if (escalation !== undefined) return writerCard(deps, turn.t, anonymous);
      return noticeCard(
        turn.t('feedback.thanks', { how: turn.t(anonymous ? 'update.anonymously' : 'update.withName') }),
      );
    },
  );
}

/**
 * Offers free text back as feedback: nothing is stored until the person presses Send. When Huddle reads
 * it as a possible disclosure, the "someone is being harmed" box comes ticked.
 */
export async function offerAsFeedback(deps: BotDeps, turn: Turn, text: string) {
  const analysis = await deps.classifier.classify(text);
  if (analysis.primaryTheme === 'neutral' && !analysis.safeguarding) return undefined;
  return feedbackForm(turn, await initiativesOf(deps, turn), {
    purpose: 'confirm',
    text,
    harm: analysis.safeguarding,
  });
}

async function initiativesOf(deps: BotDeps, turn: Turn) {
  const member = turn.member;
  if (member === undefined) return [];
  return (await deps.initiatives.list(member.tenantId)).filter((initiative) => includes(initiative, member));
}

function feedbackForm(
  turn: Turn,
  initiatives: readonly { id: string; title: string }[],
  model: Omit<CommentFormModel, 'sendVerb' | 'data' | 'initiatives' | 'purpose'> & {
    purpose: 'feedback' | 'confirm';
  },
) {
  return commentFormCard(turn.t, {
    ...model,
    sendVerb: VERBS.feedbackSubmit,
    data: { purpose: model.purpose },
    initiatives,
  });
}
