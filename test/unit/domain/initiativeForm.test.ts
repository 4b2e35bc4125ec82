import { describe, expect, it } from 'vitest';
import {
  advanceConfirmed,
  advanceStage,
  initiativesNamed,
  UNDO_ADVANCE_MS,
  undoAdvance,
} from '../../../src/domain/initiatives/changes.js';
import type { Initiative } from '../../../src/domain/initiatives/initiative.js';
import {
  applyEdits,
  type InitiativeInput,
  inputOf,
  validateEdits,
  validateInitiative,
  validateStages,
} from '../../../src/domain/initiatives/initiativeForm.js';
import { UserInputError } from '../../../src/domain/shared/errors.js';
import { memberFixture } from '../../support/members.js';

const now = new Date('2026-11-23T10:00:00Z');
const member = (id: string, unit: string) => memberFixture(id, { unit });
const members = [member('alex', 'Willow'), member('grace', 'Rowan')];
const objective = {
  text: 'All plans digital',
  kpiName: 'Plans on system',
  unit: '%',
  baseline: '0',
  target: '100',
  due: '2027-02-28',
};
const valid: InitiativeInput = {
  title: 'Digital care planning',
  why: 'Paper plans get lost.',
  vision: 'One plan, up to date, on every device.',
  model: 'pdsa',
  audience: 'unit:Willow',
  owners: 'alex',
  champions: 'grace',
  objectives: [objective],
};
const check = (input: InitiativeInput) =>
  validateInitiative(input, { members, now, words: (key) => key, tenantId: 't', id: 'dcp' });
const keysOf = (result: ReturnType<typeof check>) =>
  result.ok ? [] : result.errors.map((error) => error.key);

describe('a new initiative', () => {
  it('is built with its model stages, a PDSA cycle number and a group audience', () => {
    const result = check(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.initiative.stages.map((stage) => stage.key)).toEqual(['plan', 'do', 'study', 'act']);
    expect(result.initiative.pdsaCycle).toBe(1);
    expect(result.initiative.audience).toEqual({ kind: 'groups', groups: [{ unit: 'Willow' }] });
    expect(result.initiative.objectives[0]?.kpi).toEqual({
      name: 'Plans on system',
      unit: '%',
      baseline: 0,
      target: 100,
      due: '2027-02-28',
    });
  });

  it('reports every problem at once', () => {
    const keys = keysOf(
      check({
        ...valid,
        why: ' ',
        model: 'agile',
        audience: 'unit:Nowhere',
        champions: 'someone-who-left',
        objectives: [
          { ...objective, target: 'lots' },
          { ...objective, kpiName: '' },
          { ...objective, due: '2026-01-01' },
        ],
      }),
    );
    expect(keys).toEqual([
      'initiative.error.missing',
      'initiative.error.model',
      'broadcast.error.unknownAudience',
      'initiative.error.unknownPerson',
      'initiative.error.objectiveNumbers',
      'initiative.error.objectiveIncomplete',
      'initiative.error.objectivePast',
    ]);
  });

  it('needs at least one objective and an owner', () => {
    expect(keysOf(check({ ...valid, objectives: [], owners: '' }))).toEqual([
      'initiative.error.missing',
      'initiative.error.noObjective',
    ]);
  });

  it('ignores rows left untouched, even where the client put 0 in the number boxes', () => {
    const empty = { text: '', kpiName: '', unit: '', baseline: '', target: '', due: '' };
    const zeroed = { ...empty, baseline: '0', target: ' 0 ' };
    const result = check({ ...valid, objectives: [objective, empty, zeroed] });
    expect(result.ok ? result.initiative.objectives.length : keysOf(result)).toBe(1);
    expect(keysOf(check({ ...valid, objectives: [objective, { ...empty, target: '5' }] }))).toEqual([
      'initiative.error.objectiveIncomplete',
    ]);
  });
});

describe('editing stages', () => {
  const initiative = (() => {
    const result = check({ ...valid, model: 'lewin' });
    if (!result.ok) throw new Error('fixture');
    return { ...result.initiative, currentStage: 1 } as Initiative;
  })();
  const row = (title: string, start = '', end = '') => ({
    title,
    explanation: `${title} explained`,
    start,
    end,
  });

  it('keeps focus for existing stages, adds new ones from spare rows and drops empty rows', () => {
    const result = validateStages(
      initiative,
      [
        row('A', '2026-12-01', '2026-12-14'),
        row('B'),
        row('C'),
        { title: '', explanation: '', start: '', end: '' },
        row('D'),
      ],
      now,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.initiative.stages.map((stage) => stage.title)).toEqual(['A', 'B', 'C', 'D']);
    expect(result.initiative.stages[0]?.focus).toEqual(['awareness', 'desire']);
    expect(result.initiative.stages[3]?.focus).toEqual(['reinforcement']);
    expect(result.initiative.stages[0]?.plannedEnd).toBe('2026-12-14');
  });

  it('refuses an end before the start, a stage without a title, and removing the current stage', () => {
    const bad = validateStages(
      initiative,
      [row('A', '2026-12-14', '2026-12-01'), { title: '', explanation: 'x', start: '', end: '' }],
      now,
    );
    expect(bad.ok ? [] : bad.errors.map((error) => error.key)).toEqual([
      'stages.error.endBeforeStart',
      'stages.error.noTitle',
    ]);
    const removed = validateStages(initiative, [row('Only one')], now);
    expect(removed.ok ? [] : removed.errors.map((error) => error.key)).toEqual(['stages.error.current']);
  });
});

describe('advancing a stage', () => {
  it('starts the next PDSA cycle after "act", and stops other models at their last stage', () => {
    const result = check(valid);
    if (!result.ok) throw new Error('fixture');
    const atAct = { ...result.initiative, currentStage: 3 };
    const next = advanceStage(atAct, now);
    expect(next.currentStage).toBe(0);
    expect(next.pdsaCycle).toBe(2);
    const lewin = check({ ...valid, model: 'lewin' });
    if (!lewin.ok) throw new Error('fixture');
    expect(() => advanceStage({ ...lewin.initiative, currentStage: 2 }, now)).toThrow(UserInputError);
  });

  it('moves on only from the stage the manager confirmed, so a second confirmation skips nothing', () => {
    const result = check({ ...valid, model: 'kotter' });
    if (!result.ok) throw new Error('fixture');
    const atThree = { ...result.initiative, currentStage: 2 };
    const atFour = advanceConfirmed(atThree, { stage: 2, cycle: 1 }, now);
    expect(atFour.currentStage).toBe(3);
    expect(() => advanceConfirmed(atFour, { stage: 2, cycle: 1 }, now)).toThrow('advance.movedSince');
  });

  it('undoes a move for a few minutes, back to the stage (and PDSA cycle) before it, and not after', () => {
    const result = check(valid);
    if (!result.ok) throw new Error('fixture');
    const atAct = { ...result.initiative, currentStage: 3, pdsaCycle: 1 };
    const newCycle = advanceConfirmed(atAct, { stage: 3, cycle: 1 }, now);
    const soon = new Date(now.getTime() + UNDO_ADVANCE_MS - 1_000);
    const back = undoAdvance(newCycle, { stage: 0, cycle: 2 }, soon);
    expect([back.currentStage, back.pdsaCycle]).toEqual([3, 1]);
    // Moving on stamped when the new stage began; going back does not know when the old one did.
    expect(newCycle.stageStartedAt).toBe(now.toISOString());
    expect(back.stageStartedAt).toBeUndefined();
    expect(() => undoAdvance(back, { stage: 0, cycle: 2 }, soon)).toThrow('advance.movedSince');
    const late = new Date(now.getTime() + UNDO_ADVANCE_MS + 1_000);
    expect(() => undoAdvance(newCycle, { stage: 0, cycle: 2 }, late)).toThrow('advance.undoTooLate');
    const first = { ...result.initiative, currentStage: 0, pdsaCycle: 1, updatedAt: now.toISOString() };
    expect(() => undoAdvance(first, { stage: 0, cycle: 1 }, now)).toThrow('advance.movedSince');
  });

  it('offers every initiative when no name is given, the matching ones when one is', () => {
    const result = check(valid);
    if (!result.ok) throw new Error('fixture');
    const a = { ...result.initiative, id: 'a', title: 'Digital care planning' };
    const b = { ...result.initiative, id: 'b', title: 'Digital rota' };
    const c = { ...result.initiative, id: 'c', title: 'Falls' };
    expect(initiativesNamed([a, b, c], undefined)).toEqual([a, b, c]);
    expect(initiativesNamed([a, b, c], 'digital')).toEqual([a, b]);
    expect(initiativesNamed([a, b, c], 'FALLS')).toEqual([c]);
    expect(() => initiativesNamed([a, b, c], 'hoists')).toThrow('advance.unknown');
    expect(() => initiativesNamed([], undefined)).toThrow('advance.noInitiatives');
  });
});

describe('editing an initiative', () => {
  const stored = (): Initiative => {
    const result = check(valid);
    if (!result.ok) throw new Error('fixture is invalid');
    return {
      ...result.initiative,
      currentStage: 2,
      objectives: result.initiative.objectives.map((one) => ({
        ...one,
        kpi: { ...one.kpi, due: '2026-11-01', readings: [{ value: 40, on: '2026-11-20', by: 'alex' }] },
      })),
    };
  };
  const edit = (current: Initiative, changes: Partial<InitiativeInput>) =>
    validateEdits(current, { ...inputOf(current), ...changes }, { members, now, words: (key) => key });

  it('reads back as the form it was made from, and saves unchanged though its objective is overdue', () => {
    const current = stored();
    expect(inputOf(current)).toEqual({ ...valid, objectives: [{ ...objective, due: '2026-11-01' }] });
    expect(edit(current, {}).ok).toBe(true);
    const moved = edit(current, { objectives: [{ ...objective, due: '2026-11-02' }] });
    expect(moved.ok ? [] : moved.errors.map((error) => error.key)).toEqual([
      'initiative.error.objectivePast',
    ]);
  });

  it('changes the words and objectives only; stages, model and the values recorded for a measure stay', () => {
    const current = stored();
    const result = edit(current, {
      why: 'Plans went missing twice this month.',
      model: 'kotter',
      objectives: [
        { ...objective, due: '2026-11-01', text: 'Every plan digital' },
        { ...objective, kpiName: 'Tablets in use', due: '2027-01-31' },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const saved = applyEdits(current, result.edits, now);
    expect(saved).toMatchObject({
      why: 'Plans went missing twice this month.',
      model: 'pdsa',
      currentStage: 2,
    });
    expect(saved.stages).toEqual(current.stages);
    expect(saved.objectives.map((one) => [one.text, one.kpi.readings?.length ?? 0])).toEqual([
      ['Every plan digital', 1],
      ['All plans digital', 0],
    ]);
  });
});
