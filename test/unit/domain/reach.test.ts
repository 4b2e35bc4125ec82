import { describe, expect, it } from 'vitest';
import { countReach, noneUnreached, reachOf } from '../../../src/domain/people/reach.js';
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
    const allowed = { ...STAFF_ONLY, guests: true };
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

  it('with proactive installation on, someone in no team is reached once Huddle installs itself for them', () => {
    const installing = { ...STAFF_ONLY, proactiveInstall: true };
    const noTeam = teamOnly('n', { teamIds: [] });
    expect(reachOf(noTeam, STAFF_ONLY)).toEqual({ reachable: false, reason: 'notInTeam' });
    expect(reachOf(noTeam, installing)).toEqual({ reachable: true, via: 'install' });
    // Teams refused to open a chat through a team they have left: installing mends that too.
    const refusedByTeams = teamOnly('r', {
      unreachableAt: '2026-12-01T09:00:00Z',
      unreachableReason: 'notInTeam',
    });
    expect(reachOf(refusedByTeams, installing)).toEqual({ reachable: true, via: 'install' });
    // A chat or a team still comes first.
    expect(reachOf(memberFixture('p', willow), installing)).toEqual({ reachable: true, via: 'personal' });
    expect(reachOf(teamOnly('t'), installing)).toEqual({ reachable: true, via: 'team' });
  });

  it('never installs for someone who left, blocked Huddle, or whom Graph refused, nor for outsiders unless allowed', () => {
    const installing = { ...STAFF_ONLY, proactiveInstall: true };
    const marked = (id: string, reason: 'left' | 'blocked' | 'noConsent') =>
      teamOnly(id, { teamIds: [], unreachableAt: '2026-12-01T09:00:00Z', unreachableReason: reason });
    for (const reason of ['left', 'blocked', 'noConsent'] as const) {
      expect(reachOf(marked(reason, reason), installing)).toEqual({ reachable: false, reason });
    }
    const guest = teamOnly('g', { teamIds: [], account: 'guest' });
    const external = teamOnly('x', { teamIds: [], account: 'external' });
    expect(reachOf(guest, installing)).toEqual({ reachable: false, reason: 'guest' });
    expect(reachOf(guest, { ...installing, guests: true })).toEqual({ reachable: true, via: 'install' });
    // Another organisation's people are not in this one's directory: its Graph cannot install for them.
    expect(reachOf(external, { ...installing, guests: true })).toEqual({
      reachable: false,
      reason: 'notInTeam',
    });
  });

  it('counts those Huddle will install itself for among the reachable, and those Graph refused apart', () => {
    const members = [
      memberFixture('a', willow),
      teamOnly('b', { teamIds: [] }),
      teamOnly('c', { teamIds: [] }),
      teamOnly('d', { teamIds: [], unreachableAt: '2026-12-01T09:00:00Z', unreachableReason: 'noConsent' }),
      teamOnly('e', {
        teamIds: [],
        unreachableAt: '2026-12-01T09:00:00Z',
        unreachableReason: 'installNotFound',
      }),
    ];
    expect(countReach(members, { ...STAFF_ONLY, proactiveInstall: true })).toEqual({
      reachable: 3,
      installing: 2,
      unreachable: { ...noneUnreached(), noConsent: 1, installNotFound: 1 },
    });
    expect(countReach(members, STAFF_ONLY)).toMatchObject({
      reachable: 1,
      installing: 0,
      unreachable: { notInTeam: 2, noConsent: 1 },
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
      installing: 0,
      unreachable: { ...noneUnreached(), notInTeam: 1, left: 1 },
    });
    expect(report.groups).toEqual([
      {
        site: undefined,
        unit: undefined,
        count: {
          reachable: 1,
          installing: 0,
          unreachable: noneUnreached(),
        },
      },
      {
        site: 'Oak View',
        unit: 'Willow',
        count: {
          reachable: 2,
          installing: 0,
          unreachable: { ...noneUnreached(), notInTeam: 1, left: 1 },
        },
      },
    ]);
  });
});
