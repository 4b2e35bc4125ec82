import type { Member } from '../people/member.js';
import { type ReachPolicy, reachableUnder } from '../people/reach.js';
import { type BootstrapRoles, effectiveRoles } from '../people/roles.js';

/**
 * Who raised it: the writer ticked "someone is being harmed", Huddle read it so, or both; or a manager or
 * leader reading `comments` passed it on (the second person the machine's reading may have missed).
 */
export const FLAGGED_BY = ['writer', 'huddle', 'both', 'reader'] as const;
export type FlaggedBy = (typeof FLAGGED_BY)[number];

export const ESCALATION_EVENTS = [
  'raised',
  'passedOn',
  'alerted',
  'resent',
  'acknowledged',
  // The writer was asked whether someone is at risk, and what came of it.
  'asked',
  'confirmed',
  'dismissed',
  'notAnswered',
  'writerSaysNot',
] as const;

export const ESCALATION_STATUSES = ['asked', 'raised', 'acknowledged', 'dismissed'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** How long the writer has to answer "Is that right?" before the lead gets it anyway. */
export const WRITER_ANSWER_WAIT_MS = 30 * 60_000;
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
  /**
   * `asked`: only Huddle read it so, and the writer is being asked whether someone is at risk; nobody has
   * been alerted yet. `dismissed`: the writer said it is not about harm. `raised` and `acknowledged` as
   * their names say.
   */
  status: EscalationStatus;
  /** Raised because the writer did not answer in time: the lead gets it once, at normal priority. */
  unconfirmed?: boolean | undefined;
  /** The comment's week, to find it again when the writer says it is not about harm. */
  commentWeek?: string | undefined;
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
    | 'tenantId'
    | 'id'
    | 'commentId'
    | 'commentWeek'
    | 'initiativeId'
    | 'text'
    | 'anonymous'
    | 'writer'
    | 'flaggedBy'
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

/** The next alert is due: nobody has acknowledged and the wait is over (never for an unconfirmed one). */
export const alertDue = (escalation: Escalation, now: Date) =>
  escalation.status === 'raised' &&
  escalation.unconfirmed !== true &&
  Date.parse(escalation.nextAlertAt) <= now.getTime();

/**
 * Only Huddle read it as a possible disclosure: the writer is asked first (they know what they meant, and
 * the machine's net is wide), and nobody is alerted until they answer or the wait is over.
 */
export function askedEscalation(
  fields: Pick<
    Escalation,
    'tenantId' | 'id' | 'commentId' | 'commentWeek' | 'initiativeId' | 'text' | 'anonymous' | 'writer'
  >,
  now: Date,
  /** How long the writer has to answer; 0 when they cannot be asked, so the lead hears at once. */
  { waitMs = WRITER_ANSWER_WAIT_MS }: { waitMs?: number | undefined } = {},
): Escalation {
  const at = now.toISOString();
  return {
    ...fields,
    flaggedBy: 'huddle',
    status: 'asked',
    raisedAt: at,
    alerts: 0,
    nextAlertAt: new Date(now.getTime() + waitMs).toISOString(),
    timeline: [{ at, event: 'asked' }],
  };
}

/** The writer did not answer in time: the question is due to go to the lead as not confirmed. */
export const questionDue = (escalation: Escalation, now: Date) =>
  escalation.status === 'asked' && Date.parse(escalation.nextAlertAt) <= now.getTime();

/** Raised as "possible, not confirmed by the writer": one alert, no re-sending. */
export function notAnsweredInTime(escalation: Escalation, now: Date): Escalation | undefined {
  if (!questionDue(escalation, now)) return undefined;
  const at = now.toISOString();
  return {
    ...escalation,
    status: 'raised',
    unconfirmed: true,
    alerts: 1,
    timeline: [...escalation.timeline, { at, event: 'notAnswered' }, { at, event: 'alerted' }],
  };
}

/**
 * The writer's answer to "Is that right?". Yes raises it now, urgent and chased until acknowledged (also
 * when it already went to the lead as not confirmed: then it becomes confirmed and is sent again). No
 * closes a question nobody was alerted about; said after the lead already has it, it is recorded for the
 * lead to weigh. `alert` is the number of the alert to send now, if any; `undefined` when the answer
 * changes nothing (answered already, or acknowledged).
 */
export function writerAnswered(
  escalation: Escalation,
  answer: 'yes' | 'no',
  now: Date,
  resendAfterMs: number,
): { next: Escalation; alert?: number | undefined } | undefined {
  const at = now.toISOString();
  const asked = escalation.status === 'asked';
  const unconfirmed = escalation.status === 'raised' && escalation.unconfirmed === true;
  if (!asked && !unconfirmed) return undefined;
  if (answer === 'no') {
    return asked
      ? {
          next: {
            ...escalation,
            status: 'dismissed',
            timeline: [...escalation.timeline, { at, event: 'dismissed' }],
          },
        }
      : {
          next: { ...escalation, timeline: [...escalation.timeline, { at, event: 'writerSaysNot' }] },
        };
  }
  const alert = escalation.alerts + 1;
  return {
    alert,
    next: {
      ...escalation,
      status: 'raised',
      unconfirmed: undefined,
      alerts: alert,
      nextAlertAt: new Date(now.getTime() + resendAfterMs).toISOString(),
      timeline: [...escalation.timeline, { at, event: 'confirmed' }, { at, event: 'alerted' }],
    },
  };
}

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
  policy: ReachPolicy,
  members: readonly Member[],
  bootstrap: BootstrapRoles,
  resend: boolean,
): string[] {
  const withRole = (role: 'safeguardingLead' | 'admin' | 'manager') =>
    members
      .filter((member) => reachableUnder(policy)(member) && effectiveRoles(member, bootstrap).includes(role))
      .map((member) => member.aadObjectId);
  const leads = withRole('safeguardingLead');
  const admins = leads.length === 0 || resend ? withRole('admin') : [];
  const chosen = [...new Set([...leads, ...admins])];
  return chosen.length > 0 ? chosen : withRole('manager');
}
