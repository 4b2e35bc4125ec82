import { describe, expect, it } from 'vitest';
import { mergeSeenPerson, refreshedFromActivity } from '../../../src/domain/people/member.js';

const defaults = { locale: 'en-GB', timeZone: 'Europe/London', quietHours: { start: '21:00', end: '07:00' } };
const now = new Date('2026-11-23T10:00:00Z');

describe('merging what Teams tells us into a member', () => {
  it('creates a member with the defaults and no extra roles', () => {
    const member = mergeSeenPerson(
      undefined,
      { tenantId: 't', aadObjectId: 'a', name: 'Grace' },
      defaults,
      now,
    );
    expect(member).toMatchObject({
      name: 'Grace',
      roles: [],
      timeZone: 'Europe/London',
      personalInstalled: false,
    });
    expect(member.createdAt).toBe(now.toISOString());
  });

  it('never wipes a known time zone, locale or name with a missing one', () => {
    const first = mergeSeenPerson(
      undefined,
      { tenantId: 't', aadObjectId: 'a', name: 'Grace', locale: 'pl-PL', timeZone: 'Europe/Warsaw' },
      defaults,
      now,
    );
    const later = mergeSeenPerson(
      { ...first, roles: ['manager'] },
      { tenantId: 't', aadObjectId: 'a', name: '' },
      defaults,
      now,
    );
    expect(later).toMatchObject({
      name: 'Grace',
      locale: 'pl-PL',
      timeZone: 'Europe/Warsaw',
      roles: ['manager'],
    });
  });
});

describe('refreshing a member from a message', () => {
  const member = mergeSeenPerson(
    undefined,
    { tenantId: 't', aadObjectId: 'a', name: 'Grace' },
    defaults,
    now,
  );

  it('takes the time zone Teams sends with messages, which install events lack', () => {
    const seen = { tenantId: 't', aadObjectId: 'a', name: 'Grace', timeZone: 'Europe/Warsaw' };
    expect(refreshedFromActivity(member, seen, now)).toMatchObject({
      timeZone: 'Europe/Warsaw',
      name: 'Grace',
    });
  });

  it('changes nothing, and so writes nothing, when the activity says what we already hold', () => {
    const seen = { tenantId: 't', aadObjectId: 'a', name: '', locale: 'en-GB', timeZone: 'Europe/London' };
    expect(refreshedFromActivity(member, seen, now)).toBeUndefined();
  });
});
