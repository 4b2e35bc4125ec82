import type { Logger } from 'pino';
import { type FeedbackDeps, sendAlert } from '../domain/feedback/feedback.js';
import { alertDue, notAnsweredInTime, questionDue, realerted } from '../domain/feedback/safeguarding.js';

export type EscalationChaseDeps = Pick<
  FeedbackDeps,
  'escalations' | 'members' | 'bootstrap' | 'reach' | 'broadcasts' | 'safeguardingResendMs'
> & { logger: Logger };

/**
 * The safeguarding part of a scheduler tick: an alert nobody has acknowledged in time is sent again, to
 * the leads and now the admins too, until someone does; a writer who has not said within the wait whether
 * someone is at risk leaves it to the lead, who gets it once, at normal priority, as not confirmed. Each
 * send is made before the escalation records it and its id comes from the alert's number, so a tick
 * repeated after a crash finds the send it made.
 */
export async function chaseEscalations(deps: EscalationChaseDeps, now: Date): Promise<void> {
  // Inside the tick already: the broadcasts loop right after picks the new send up.
  const within = { ...deps, scheduler: { nudge: () => {} } };
  for (const escalation of await deps.escalations.open()) {
    if (questionDue(escalation, now)) {
      await sendAlert(within, escalation, 1, now, { urgent: false });
      await deps.escalations.modify(escalation.tenantId, escalation.id, (current) =>
        notAnsweredInTime(current, now),
      );
      deps.logger.info(
        { escalationId: escalation.id },
        'writer did not answer: passed to the lead, not confirmed',
      );
      continue;
    }
    if (!alertDue(escalation, now)) continue;
    await sendAlert(within, escalation, escalation.alerts + 1, now);
    await deps.escalations.modify(escalation.tenantId, escalation.id, (current) =>
      realerted(current, now, deps.safeguardingResendMs),
    );
    deps.logger.warn(
      { escalationId: escalation.id, alert: escalation.alerts + 1 },
      'safeguarding alert not acknowledged: sent again, also to admins',
    );
  }
}
