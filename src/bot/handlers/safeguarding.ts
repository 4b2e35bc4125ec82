import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { escalationsCard, safeguardingAlertCard } from '../../cards/feedbackCards.js';
import { VERBS } from '../../cards/verbs.js';
import { UserInputError } from '../../domain/errors.js';
import { acknowledgedBy } from '../../domain/safeguarding.js';
import { onAction } from '../actionRoute.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard } from '../turn.js';

const LEADS = ['safeguardingLead', 'admin'] as const;
const alertRef = z.object({ escalationId: z.string().min(1).max(64) });

/**
 * The safeguarding lead's side: **I have this** on an alert card records who acknowledged it and when
 * (the first acknowledgement stands; every copy then shows it), which stops the re-sending. `escalations`
 * lists recent alerts and their timelines for leads and admins.
 */
export function register(app: Application, deps: BotDeps): void {
  onAction(
    app,
    deps,
    VERBS.safeguardingAcknowledge,
    { roles: LEADS, data: alertRef },
    async (_context, turn, data) => {
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
    },
  );

  onCommand(app, deps, 'escalations', async (context, turn) => {
    if (turn.person === undefined) throw new UserInputError('card.expired', {});
    const escalations = await deps.escalations.list(turn.person.tenantId);
    await sendCard(
      context,
      escalationsCard(turn.t, escalations, turn.member?.timeZone ?? deps.defaults.timeZone),
    );
  });
}
