import { describe, expect, it } from 'vitest';
import {
  acknowledgedBy,
  alertDue,
  alertRecipients,
  raisedEscalation,
  realerted,
} from '../../../src/domain/feedback/safeguarding.js';
import { memberFixture, STAFF_ONLY } from '../../support/members.js';

const NONE = { admin: [], manager: [], leader: [], safeguardingLead: [] };
const lead = memberFixture('lead', {}, { roles: ['safeguardingLead'] });
const admin = memberFixture('admin', {}, { roles: ['admin'] });
const manager = memberFixture('manager', {}, { roles: ['manager'] });
const carer = memberFixture('carer', {});
const RESEND = 15 * 60_000;
const raisedAt = new Date('2026-11-23T02:00:00Z');
const escalation = raisedEscalation(
  { tenantId: 't', id: 'e1', commentId: 'c1', text: 'words', anonymous: true, flaggedBy: 'huddle' },
  raisedAt,
  RESEND,
);
const later = (minutes: number) => new Date(raisedAt.getTime() + minutes * 60_000);

describe('who a safeguarding alert reaches', () => {
  it('goes to the leads first, and to the admins as well once it is sent again', () => {
    expect(alertRecipients(STAFF_ONLY, [lead, admin, manager, carer], NONE, false)).toEqual(['lead']);
    expect(alertRecipients(STAFF_ONLY, [lead, admin, manager, carer], NONE, true).sort()).toEqual([
      'admin',
      'lead',
    ]);
  });

  it('counts leads named in configuration, and never someone Huddle cannot reach', () => {
    const configured = { ...NONE, safeguardingLead: ['carer'] };
    expect(alertRecipients(STAFF_ONLY, [lead, carer], configured, false).sort()).toEqual(['carer', 'lead']);
    const gone = { ...lead, unreachableAt: '2026-11-01T00:00:00Z' };
    expect(alertRecipients(STAFF_ONLY, [gone, admin], NONE, false)).toEqual(['admin']);
  });

  it('always reaches a person: admins when no lead is named, managers when there is neither', () => {
    expect(alertRecipients(STAFF_ONLY, [admin, manager, carer], NONE, false)).toEqual(['admin']);
    expect(alertRecipients(STAFF_ONLY, [manager, carer], NONE, false)).toEqual(['manager']);
  });
});

describe('an escalation over time', () => {
  it('is raised and alerted at once, with both in its timeline', () => {
    expect(escalation.timeline.map((entry) => entry.event)).toEqual(['raised', 'alerted']);
    expect(escalation).toMatchObject({ status: 'raised', alerts: 1 });
  });

  it('is due again only after the wait, and each wait counts one more alert', () => {
    expect(alertDue(escalation, later(14))).toBe(false);
    expect(realerted(escalation, later(14), RESEND)).toBeUndefined();
    const second = realerted(escalation, later(15), RESEND);
    expect(second).toMatchObject({ alerts: 2, nextAlertAt: later(30).toISOString() });
    expect(second && realerted(second, later(16), RESEND)).toBeUndefined();
  });

  it('stops being chased once acknowledged, and the first acknowledgement stands', () => {
    const first = acknowledgedBy(escalation, { aadObjectId: 'lead', name: 'Sam Patel' }, later(5));
    expect(first).toMatchObject({ status: 'acknowledged', acknowledgedBy: { name: 'Sam Patel' } });
    expect(
      first && acknowledgedBy(first, { aadObjectId: 'admin', name: 'Jo Admin' }, later(6)),
    ).toBeUndefined();
    expect(first && alertDue(first, later(60))).toBe(false);
  });
});
