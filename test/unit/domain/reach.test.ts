import { describe, expect, it } from 'vitest';
import { reachOf } from '../../../src/domain/people/reach.js';
import { reachReport } from '../../../src/domain/people/reachReport.js';
import { memberFixture, STAFF_ONLY } from '../../support/members.js';

const willow = { site: 'Oak View', unit: 'Willow' };
const teamOnly = (id: string, extra = {}) =>
  memberFixture(id, willow, {
    personalConversation: undefined,
    personalInstalled: false,
    teamsUserId: `29:${id}`,
    teamIds: ['19:team'],
    ...extra,
  });

describe('who Huddle can reach', () => {
  it('through their own chat, or through a team they share with Huddle', () => {
    expect(reachOf(memberFixture('a', willow), STAFF_ONLY)).toEqual({ reachable: true, via: 'personal' });
    expect(reachOf(teamOnly('b'), STAFF_ONLY)).toEqual({ reachable: true, via: 'team' });
  });

  it('not someone in no team with Huddle, even with a chat opened through a team they have left', () => {
    const left = teamOnly('c', { teamIds: [], personalConversation: { conversation: { id: 'a:opened' } } });
    expect(reachOf(left, STAFF_ONLY)).toEqual({ reachable: false, reason: 'notInTeam' });
  });

  it('a refusal outranks a shared team: someone who removed Huddle is not messaged through the team', () => {
    const blocked = teamOnly('d', { unreachableAt: '2026-12-01T09:00:00Z', unreachableReason: 'blocked' });
    expect(reachOf(blocked, STAFF_ONLY)).toEqual({ reachable: false, reason: 'blocked' });
    // Marked before reasons were kept: a 403 or 404 to a message.
    expect(
      reachOf(memberFixture('e', willow, { unreachableAt: '2026-11-01T09:00:00Z' }), STAFF_ONLY),
    ).toEqual({
      reachable: false,
      reason: 'blocked',
    });
  });

  it('not a guest or someone of another organisation, unless the organisation allows it', () => {
    const guest = teamOnly('g', { account: 'guest' });
    const external = memberFixture('x', willow, { account: 'external' });
    expect(reachOf(guest, STAFF_ONLY)).toEqual({ reachable: false, reason: 'guest' });
    expect(reachOf(external, STAFF_ONLY)).toEqual({ reachable: false, reason: 'external' });
    expect(reachOf(teamOnly('s', { account: 'staff' }), STAFF_ONLY)).toEqual({
      reachable: true,
      via: 'team',
    });
    const allowed = { guests: true };
    expect(reachOf(guest, allowed)).toEqual({ reachable: true, via: 'team' });
    expect(reachOf(external, allowed)).toEqual({ reachable: true, via: 'personal' });
    // Allowed, a guest who removed Huddle is still not messaged.
    expect(
      reachOf({ ...guest, unreachableAt: '2026-12-01T09:00:00Z', unreachableReason: 'blocked' }, allowed),
    ).toEqual({
      reachable: false,
      reason: 'blocked',
    });
  });

  it('counts by site and unit, people with neither together', () => {
    const report = reachReport(
      [
        memberFixture('a', willow),
        teamOnly('b'),
        teamOnly('c', { teamIds: [] }),
        teamOnly('d', { unreachableAt: '2026-12-01T09:00:00Z', unreachableReason: 'left' }),
        memberFixture('e', {}),
      ],
      STAFF_ONLY,
    );
    expect(report.overall).toEqual({
      reachable: 3,
      unreachable: { notInTeam: 1, left: 1, blocked: 0, guest: 0, external: 0 },
    });
    expect(report.groups).toEqual([
      {
        site: undefined,
        unit: undefined,
        count: { reachable: 1, unreachable: { notInTeam: 0, left: 0, blocked: 0, guest: 0, external: 0 } },
      },
      {
        site: 'Oak View',
        unit: 'Willow',
        count: { reachable: 2, unreachable: { notInTeam: 1, left: 1, blocked: 0, guest: 0, external: 0 } },
      },
    ]);
  });
});
