import type { Member, MemberGroups } from '../../src/domain/people/member.js';
import type { ReachPolicy } from '../../src/domain/people/reach.js';

/**
 * Huddle's default: guests and people of other organisations are not messaged, and Huddle does not
 * install itself for anyone.
 */
export const STAFF_ONLY: ReachPolicy = { guests: false, proactiveInstall: false };

/** A member for pure-rule tests: installed in personal chat, default quiet hours, in `groups`. */
export const memberFixture = (id: string, groups: MemberGroups, extra: Partial<Member> = {}): Member => ({
  tenantId: 't',
  aadObjectId: id,
  name: id,
  locale: 'en-GB',
  timeZone: 'Europe/London',
  roles: [],
  groups,
  quietHours: { start: '21:00', end: '07:00' },
  personalConversation: { conversation: { id: `a:${id}` } },
  personalInstalled: true,
  createdAt: '2026-11-23T10:00:00Z',
  updatedAt: '2026-11-23T10:00:00Z',
  ...extra,
});
