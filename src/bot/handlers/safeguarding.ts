import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { noticeCard } from '../../cards/cards.js';
import { escalationsCard, safeguardingAlertCard } from '../../cards/feedbackCards.js';
import { VERBS } from '../../cards/verbs.js';
import { answerAsWriter } from '../../domain/feedback/feedback.js';
import { acknowledgedBy } from '../../domain/feedback/safeguarding.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { onAction } from '../actionRoute.js';
import { onCommand } from '../commandRoute.js';
import { writerCard } from '../commentInput.js';
import type { BotDeps } from '../deps.js';
import { sendCard } from '../turn.js';

const alertRef = z.object({ escalationId: z.string().min(1).max(64) });
const writerAnswer = alertRef.extend({ token: z.string().min(1).max(64), answer: z.enum(['yes', 'no']) });

/**
 * The safeguarding lead's side: **I have this** on an alert card records who acknowledged it and when
 * (the first acknowledgement stands; every copy then shows it), which stops the re-sending. `escalations`
 * lists recent alerts and their timelines for leads and admins.
 */
export function register(app: Application, deps: BotDeps): void {
  onAction(app, deps, VERBS.safeguardingAcknowledge, { data: alertRef }, async (_context, turn, data) => {
    const lead = { aadObjectId: turn.person.aadObjectId, name: turn.member?.name ?? turn.person.name };
    let counted = false;
    const escalation = await deps.escalations.modify(turn.person.tenantId, data.escalationId, (current) => {
      const next = acknowledgedBy(current, lead, deps.clock.now());
      counted = next !== undefined;
      return next;
    });
    if (escalation === undefined) throw new UserInputError('safeguarding.gone', {});
    if (counted) {
      deps.metrics.escalationAcknowledged();
      deps.logger.info({ escalationId: escalation.id }, 'safeguarding alert acknowledged');
    }
    return safeguardingAlertCard(turn.t, {
      escalation,
      alert: escalation.alerts,
      timeZone: turn.member?.timeZone ?? deps.defaults.timeZone,
    });
  });

  // The writer's answer to "Is that right?": only the card's own writer counts, and nothing names them.
  onAction(app, deps, VERBS.safeguardingAnswer, { data: writerAnswer }, async (_context, turn, data) => {
    const { tenantId, aadObjectId } = turn.person;
    if (!deps.keys.writerTokenMatches(data.token, tenantId, data.escalationId, aadObjectId)) {
      throw new UserInputError('safeguarding.question.notYours', {});
    }
    const escalation = await answerAsWriter(deps, tenantId, data.escalationId, data.answer);
    if (escalation === undefined) throw new UserInputError('safeguarding.gone', {});
    deps.logger.info(
      { escalationId: escalation.id, status: escalation.status },
      'writer answered whether someone is at risk',
    );
    if (escalation.status === 'dismissed') return noticeCard(turn.t('safeguarding.question.notHarm'));
    if (data.answer === 'no') return noticeCard(turn.t('safeguarding.question.notHarmLate'));
    return writerCard(deps, turn, escalation);
  });

  onCommand(app, deps, 'escalations', async (context, turn) => {
    if (turn.person === undefined) throw new UserInputError('card.expired', {});
    const escalations = await deps.escalations.list(turn.person.tenantId);
    await sendCard(
      context,
      escalationsCard(turn.t, escalations, turn.member?.timeZone ?? deps.defaults.timeZone),
    );
  });
}
