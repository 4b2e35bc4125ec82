import { describe, expect, it } from 'vitest';
import {
  type LoopAction,
  loopFigures,
  moveAction,
  publishable,
  validateAction,
} from '../../../src/domain/actions/action.js';
import { initiativeFixture } from '../../support/initiatives.js';
import { memberFixture } from '../../support/members.js';

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.parse('2026-11-01T09:00:00Z') + days * DAY).toISOString();
const action = (over: Partial<LoopAction>): LoopAction => ({
  tenantId: 't',
  id: Math.random().toString(36).slice(2),
  heard: 'heard',
  willDo: 'will do',
  owner: { aadObjectId: 'm', name: 'Manager' },
  due: '2026-11-20',
  audience: 'all',
  status: 'open',
  createdBy: { aadObjectId: 'm', name: 'Manager' },
  createdAt: at(0),
  updatedAt: at(0),
  published: [],
  ...over,
});

describe('an action', () => {
  it('moves open -> in progress -> done, or is dropped with a reason; done and dropped are final', () => {
    const now = new Date(at(3));
    const started = moveAction(action({}), 'inProgress', now);
    expect(started.status).toBe('inProgress');
    expect(moveAction(started, 'done', now)).toMatchObject({ status: 'done', doneAt: now.toISOString() });
    expect(() => moveAction(started, 'dropped', now, '  ')).toThrow('action.error.reason');
    expect(moveAction(started, 'dropped', now, 'Budget moved to spring')).toMatchObject({
      status: 'dropped',
      dropReason: 'Budget moved to spring',
    });
    expect(() => moveAction(action({ status: 'done' }), 'inProgress', now)).toThrow('action.error.move');
  });

  it('publishes what will be done once, then that it was done once, and nothing when dropped', () => {
    expect(publishable(action({}))).toBe('willDo');
    expect(publishable(action({ published: ['willDo'] }))).toBeUndefined();
    expect(publishable(action({ status: 'done', published: ['willDo'] }))).toBe('done');
    expect(publishable(action({ status: 'dropped' }))).toBeUndefined();
  });

  it('counts open, overdue, done this week, closure rate and median days to close', () => {
    const figures = loopFigures(
      [
        action({ status: 'open', due: '2026-11-30' }),
        action({ status: 'inProgress', due: '2026-11-10' }),
        action({ status: 'done', doneAt: at(4) }),
        action({ status: 'done', doneAt: at(16) }),
        action({ status: 'done', doneAt: at(20) }),
        action({ status: 'dropped' }),
      ],
      { from: new Date(at(14)), to: new Date(at(21)) },
    );
    // 22 November: one of the two still open is past its due date; two were done in the week;
    // three of four decided were done; days to close 4, 16, 20.
    expect(figures).toEqual({ open: 2, overdue: 1, doneThisWeek: 2, closureRate: 75, medianDaysToClose: 16 });
  });
});

describe('checking an action', () => {
  const owner = memberFixture('aad-owner', { unit: 'Willow' }, { name: 'Alex Wilber' });
  const input = {
    heard: 'Nights did not know who to ask about the tablets.',
    willDo: 'A champion on every night shift from Monday.',
    owner: owner.aadObjectId,
    due: '2026-12-14',
  };
  const options = [
    {
      key: 'all',
      audience: { kind: 'all' as const },
      label: { key: 'broadcast.audience.all', values: {} },
      reachable: 1,
    },
  ];

  it('keeps the loop open after a change has landed: an action on a finished change is accepted and stays with it', () => {
    // Every stage over: the change sits at its last stage, whose planned end has passed.
    const finished = initiativeFixture({
      stages: [
        {
          key: 'unfreeze',
          title: 'Why paper has to go',
          explanation: '',
          focus: ['awareness'],
          plannedEnd: '2026-10-01',
        },
        {
          key: 'refreeze',
          title: 'How we work now',
          explanation: '',
          focus: ['reinforcement'],
          plannedEnd: '2026-11-20',
        },
      ],
      currentStage: 1,
    });
    const checked = validateAction(
      { ...input, initiativeId: finished.id, audience: 'all' },
      { members: [owner], initiatives: [finished], options, today: '2026-12-01' },
    );
    expect(checked.ok && checked.action.initiativeId).toBe(finished.id);
  });

  it('refuses an owner who is not a member, a due date already past and an empty promise, all at once', () => {
    const checked = validateAction(
      {
        ...input,
        willDo: '  ',
        owner: 'aad-nobody',
        due: '2026-11-30',
        initiativeId: 'none',
        audience: 'all',
      },
      { members: [owner], initiatives: [], options, today: '2026-12-01' },
    );
    expect(checked.ok ? [] : checked.errors.map((error) => error.key)).toEqual([
      'action.error.willDo',
      'action.error.owner',
      'action.error.duePast',
    ]);
  });
  it('refuses a due date that is no day, with its message rather than a crash', () => {
    for (const due of ['2026-13-01', '2026-02-30', 'next week']) {
      const checked = validateAction(
        { ...input, due, initiativeId: 'none', audience: 'all' },
        { members: [owner], initiatives: [], options, today: '2026-12-01' },
      );
      expect(checked.ok ? [] : checked.errors.map((error) => error.key), due).toEqual(['action.error.due']);
    }
  });
});
