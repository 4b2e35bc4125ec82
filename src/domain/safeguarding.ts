import { reachable } from './broadcast.js';
import type { Member } from './member.js';
import { type BootstrapRoles, effectiveRoles } from './roles.js';

/**
 * Who raised it: the writer ticked "someone is being harmed", Huddle read it so, or both; or a manager or
 * leader reading `comments` passed it on (the second person the machine's reading may have missed).
 */
export const FLAGGED_BY = ['writer', 'huddle', 'both', 'reader'] as const;
export type FlaggedBy = (typeof FLAGGED_BY)[number];

export const ESCALATION_EVENTS = ['raised', 'passedOn', 'alerted', 'resent', 'acknowledged'] as const;
export type EscalationEvent = (typeof ESCALATION_EVENTS)[number];

/**
 * A possible safeguarding disclosure passed to the designated safeguarding lead(s). It keeps the words
 * (the lead needs them) and, only when the writer gave their name, who wrote it. Its timeline is the
 * record an inspector or an investigation asks for: when it was raised, alerted, re-sent, acknowledged.
 */
export interface Escalation {
  tenantId: string;
  id: string;
  commentId: string;
  initiativeId?: string | undefined;
  text: string;
  anonymous: boolean;
  writer?: { aadObjectId: string; name: string } | undefined;
  flaggedBy: FlaggedBy;
  status: 'raised' | 'acknowledged';
  raisedAt: string;
  /** How many alert sends have been made; the next send's id is derived from it. */
  alerts: number;
  /** When an unacknowledged alert is sent again. */
  nextAlertAt: string;
  acknowledgedBy?: { aadObjectId: string; name: string } | undefined;
  acknowledgedAt?: string | undefined;
  timeline: { at: string; event: EscalationEvent; by?: string | undefined }[];
}

/** The outbox send of an escalation's nth alert: derived, so a repeated tick finds it instead of sending twice. */
export const alertSendId = (escalationId: string, alert: number) => `${escalationId}|alert${alert}`;

export function raisedEscalation(
  fields: Pick<
    Escalation,
    'tenantId' | 'id' | 'commentId' | 'initiativeId' | 'text' | 'anonymous' | 'writer' | 'flaggedBy'
  >,
  now: Date,
  resendAfterMs: number,
  /** Who passed it on, for `reader`: named in the timeline, the record an inspector asks for. */
  passedOnBy?: string,
): Escalation {
  const at = now.toISOString();
  return {
    ...fields,
    status: 'raised',
    raisedAt: at,
    alerts: 1,
    nextAlertAt: new Date(now.getTime() + resendAfterMs).toISOString(),
    timeline: [
      { at, event: 'raised', by: fields.flaggedBy },
      ...(passedOnBy === undefined ? [] : [{ at, event: 'passedOn' as const, by: passedOnBy }]),
      { at, event: 'alerted' },
    ],
  };
}

/** Acknowledged by a lead; `undefined` when someone already had (the first acknowledgement stands). */
export function acknowledgedBy(
  escalation: Escalation,
  lead: { aadObjectId: string; name: string },
  now: Date,
): Escalation | undefined {
  if (escalation.status === 'acknowledged') return undefined;
  return {
    ...escalation,
    status: 'acknowledged',
    acknowledgedBy: lead,
    acknowledgedAt: now.toISOString(),
    timeline: [...escalation.timeline, { at: now.toISOString(), event: 'acknowledged', by: lead.name }],
  };
}

/** The next alert is due: nobody has acknowledged and the wait is over. */
export const alertDue = (escalation: Escalation, now: Date) =>
  escalation.status === 'raised' && Date.parse(escalation.nextAlertAt) <= now.getTime();

/** After sending alert number `alerts + 1`; `undefined` if that alert was already counted. */
export function realerted(escalation: Escalation, now: Date, resendAfterMs: number): Escalation | undefined {
  if (!alertDue(escalation, now)) return undefined;
  return {
    ...escalation,
    alerts: escalation.alerts + 1,
    nextAlertAt: new Date(now.getTime() + resendAfterMs).toISOString(),
    timeline: [...escalation.timeline, { at: now.toISOString(), event: 'resent' }],
  };
}

/**
 * Who is alerted. The first alert goes to the safeguarding leads; a re-sent one also to admins, so an
 * alert nobody answers is seen by someone who can chase it. With no lead named at all, admins get the
 * first alert too, and with neither, the managers: a disclosure must always reach a person.
 */
export function alertRecipients(
  members: readonly Member[],
  bootstrap: BootstrapRoles,
  resend: boolean,
): string[] {
  const withRole = (role: 'safeguardingLead' | 'admin' | 'manager') =>
    members
      .filter((member) => reachable(member) && effectiveRoles(member, bootstrap).includes(role))
      .map((member) => member.aadObjectId);
  const leads = withRole('safeguardingLead');
  const admins = leads.length === 0 || resend ? withRole('admin') : [];
  const chosen = [...new Set([...leads, ...admins])];
  return chosen.length > 0 ? chosen : withRole('manager');
}
