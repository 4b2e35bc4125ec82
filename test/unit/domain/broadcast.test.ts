import { describe, expect, it } from 'vitest';
import { figuresOf, recipientsOf } from '../../../src/domain/broadcasts/broadcast.js';
import type { Initiative } from '../../../src/domain/initiatives/initiative.js';
import type { Member } from '../../../src/domain/people/member.js';
import { memberFixture, STAFF_ONLY } from '../../support/members.js';

const member = (id: string, unit: string, extra: Partial<Member> = {}) =>
  memberFixture(id, { site: 'Oak View', unit }, extra);
const members = [
  member('ann', 'Willow'),
  member('ben', 'Rowan'),
  member('cat', 'Willow', { personalInstalled: false }),
  member('dan', 'Willow', { unreachableAt: '2026-11-20T10:00:00Z' }),
  member('eve', 'Rowan'),
];
const ids = (list: Member[]) => list.map((one) => one.aadObjectId);
const initiative = (id: string, audience: Initiative['audience'], champions: string[]): Initiative => ({
  tenantId: 't',
  id,
  title: id,
  why: '',
  vision: '',
  objectives: [],
  model: 'lewin',
  stages: [],
  currentStage: 0,
  audience,
  owners: [],
  champions,
  createdAt: '',
  updatedAt: '',
});
const initiatives = [
  initiative('willow-rota', { kind: 'groups', groups: [{ unit: 'Willow' }] }, []),
  initiative('everyone-change', { kind: 'all' }, ['eve', 'cat']),
];

describe('who receives a broadcast', () => {
  it('is everyone Huddle can reach: installed, with a conversation, not gone', () => {
    expect(ids(recipientsOf(STAFF_ONLY, members, { kind: 'all' }, undefined, [], []))).toEqual([
      'ann',
      'ben',
      'eve',
    ]);
  });

  it("stays inside the initiative's own audience, so staff only hear about changes that include them", () => {
    expect(ids(recipientsOf(STAFF_ONLY, members, { kind: 'all' }, 'willow-rota', initiatives, []))).toEqual([
      'ann',
    ]);
    const rowan = { kind: 'groups' as const, groups: [{ unit: 'Rowan' }] };
    expect(ids(recipientsOf(STAFF_ONLY, members, rowan, 'willow-rota', initiatives, []))).toEqual([]);
  });

  it('reaches the people on a saved list, as the list is now', () => {
    const nights = {
      tenantId: 't',
      id: 'nights',
      name: 'Nights',
      memberIds: ['ben', 'dan'],
      createdBy: 'a',
      createdAt: '',
      updatedAt: '',
    };
    expect(
      ids(recipientsOf(STAFF_ONLY, members, { kind: 'list', listId: 'nights' }, undefined, [], [nights])),
    ).toEqual(['ben']);
    expect(
      ids(recipientsOf(STAFF_ONLY, members, { kind: 'list', listId: 'gone' }, undefined, [], [nights])),
    ).toEqual([]);
  });

  it("reaches people named one by one (a safeguarding lead) even outside the initiative's audience", () => {
    // A disclosure in a comment about the Willow rota must still reach a lead who works on Rowan.
    const lead = { kind: 'members' as const, memberIds: ['ben'] };
    expect(ids(recipientsOf(STAFF_ONLY, members, lead, 'willow-rota', initiatives, []))).toEqual(['ben']);
    expect(
      ids(recipientsOf(STAFF_ONLY, members, { kind: 'members', memberIds: ['dan'] }, undefined, [], [])),
    ).toEqual([]);
  });

  it("never resolves a comment's writer from the member list: only the sealed handle can", () => {
    const writer = { kind: 'writer' as const };
    expect(recipientsOf(STAFF_ONLY, members, writer, undefined, [], [])).toEqual([]);
  });

  it('reaches the champions of the initiative the audience names, in any broadcast', () => {
    const champions = { kind: 'champions' as const, initiativeId: 'everyone-change' };
    expect(ids(recipientsOf(STAFF_ONLY, members, champions, undefined, initiatives, []))).toEqual(['eve']);
  });
});

describe('the figures on the progress card', () => {
  it('counts each status, waiting rows and acknowledgements', () => {
    const now = new Date('2026-11-23T22:00:00Z');
    const figures = figuresOf(
      [
        { status: 'sent', acknowledgedAt: '2026-11-23T21:00:00Z' },
        { status: 'sent' },
        { status: 'pending', notBefore: '2026-11-24T07:00:00Z' },
        { status: 'sending' },
        { status: 'gone' },
        { status: 'unconfirmed' },
      ],
      2,
      now,
    );
    expect(figures).toEqual({
      recipients: 6,
      sent: 2,
      failed: 0,
      gone: 1,
      pending: 2,
      waiting: 1,
      skipped: 0,
      unconfirmed: 1,
      acknowledged: 1,
      concerns: 2,
    });
  });
});
