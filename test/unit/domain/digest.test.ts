import { describe, expect, it } from 'vitest';
import { championsToAsk } from '../../../src/domain/champions/championGroups.js';
import { notesFor } from '../../../src/domain/champions/championNote.js';
import { buildDigest, type DigestSources, type UpdateOutcome } from '../../../src/domain/digest/digest.js';
import type { DigestFigures } from '../../../src/domain/digest/figures.js';
import { nextSteps } from '../../../src/domain/digest/nextSteps.js';
import { dueDigest, lastSevenDays } from '../../../src/domain/digest/schedule.js';
import { scrub } from '../../../src/domain/digest/scrub.js';
import type { Comment } from '../../../src/domain/feedback/comment.js';
import type { Theme } from '../../../src/domain/feedback/themes.js';
import type { Initiative } from '../../../src/domain/initiatives/initiative.js';
import { parseKpiReading, withReading } from '../../../src/domain/initiatives/kpiReading.js';
import type { Member, MemberGroups } from '../../../src/domain/people/member.js';
import type { PulseRoundResults } from '../../../src/domain/pulses/pulseReporting.js';
import type { GroupFigures } from '../../../src/domain/pulses/pulseResults.js';

const TO = new Date('2026-11-30T08:00:00Z');
const FROM = new Date('2026-11-23T08:00:00Z');
const DAY = 86_400_000;

const initiative: Initiative = {
  tenantId: 't',
  id: 'care-plans',
  title: 'Digital care plans',
  why: 'why',
  vision: 'vision',
  objectives: [
    {
      text: 'Every care plan digital by March',
      kpi: {
        name: 'Plans digitised',
        unit: '%',
        baseline: 0,
        target: 100,
        due: '2027-03-31',
        readings: [
          { value: 40, on: '2026-11-20', by: 'm' },
          { value: 25, on: '2026-11-06', by: 'm' },
        ],
      },
    },
  ],
  model: 'lewin',
  stages: [
    { key: 'unfreeze', title: 'Getting ready', explanation: '', focus: ['awareness'] },
    {
      key: 'change',
      title: 'Going digital',
      explanation: '',
      focus: ['knowledge'],
      plannedEnd: '2026-11-27',
    },
    { key: 'refreeze', title: 'Making it stick', explanation: '', focus: ['reinforcement'] },
  ],
  currentStage: 1,
  stageStartedAt: new Date(TO.getTime() - 10 * DAY).toISOString(),
  audience: { kind: 'all' },
  owners: ['m'],
  champions: [],
  createdAt: '2026-10-01T00:00:00Z',
  updatedAt: '2026-10-01T00:00:00Z',
};

const member = (n: number, groups: MemberGroups, name = `Carer ${n}`): Member => ({
  tenantId: 't',
  aadObjectId: `p${n}`,
  name,
  locale: 'en-GB',
  timeZone: 'UTC',
  roles: [],
  groups,
  quietHours: { start: '00:00', end: '00:00' },
  personalInstalled: true,
  createdAt: '2026-10-01T00:00:00Z',
  updatedAt: '2026-10-01T00:00:00Z',
});

/** Six on nights, six on days, and two bank staff (too few to name as a group). */
const people = [
  ...Array.from({ length: 6 }, (_, i) =>
    member(i, { shiftPattern: 'Nights' }, i === 0 ? 'Priya Patel' : undefined),
  ),
  ...Array.from({ length: 6 }, (_, i) => member(10 + i, { shiftPattern: 'Days' })),
  member(20, { shiftPattern: 'Bank' }),
  member(21, { shiftPattern: 'Bank' }),
];

let ids = 0;
const comment = (theme: Theme, groups: MemberGroups, extra: Partial<Comment> = {}): Comment => ({
  tenantId: 't',
  id: `c${ids++}`,
  source: 'feedback',
  initiativeId: 'care-plans',
  text: `About ${theme}`,
  anonymous: true,
  groups,
  week: '2026-W48',
  day: '2026-11-26',
  analysis: {
    primaryTheme: theme,
    themes: [theme],
    sentiment: -0.5,
    resistance: 'medium',
    safeguarding: false,
    by: 'local',
  },
  ...extra,
});

const nights = { shiftPattern: 'Nights' };
const days = { shiftPattern: 'Days' };
const comments: Comment[] = [
  ...Array.from({ length: 5 }, () => comment('training_gap', nights, { tags: ['training_gap'] })),
  comment('training_gap', nights, {
    tags: ['training_gap'],
    day: '2026-11-29',
    text: 'Nobody showed Priya Patel or me how to use the tablets, ring me on 07700 900123 or @sam.',
  }),
  ...Array.from({ length: 3 }, () => comment('workload_time', days)),
  comment('workload_time', days, { source: 'concern' }),
  comment('not_consulted', days, { source: 'concern' }),
  comment('resident_safety', nights, { escalationId: 'e1', text: 'Someone is being hurt' }),
];

const figures = (group: GroupFigures['group'], extra: Partial<GroupFigures>): GroupFigures => ({
  group,
  answers: 10,
  items: [],
  dimensions: [],
  barriers: [],
  ...extra,
});

const round: PulseRoundResults = {
  pulse: {} as PulseRoundResults['pulse'],
  round: {} as PulseRoundResults['round'],
  results: {
    recipients: 14,
    answers: 10,
    responseRate: 71,
    overall: figures(
      { field: 'all' },
      {
        readinessIndex: 45,
        dimensions: [
          { dimension: 'awareness', score: 3.8 },
          { dimension: 'knowledge', score: 2.6 },
        ],
        barriers: ['knowledge'],
        enps: 10,
      },
    ),
    groups: [
      figures(
        { field: 'shiftPattern', value: 'Nights' },
        { answers: 5, responseRate: 38, readinessIndex: 30 },
      ),
      figures({ field: 'shiftPattern', value: 'Days' }, { answers: 5, responseRate: 83, readinessIndex: 60 }),
    ],
  },
};

const delivered = (memberId: string, groups: MemberGroups, acknowledged: boolean): UpdateOutcome => ({
  memberId,
  status: 'sent',
  groups,
  acknowledgedAt: acknowledged ? '2026-11-25T10:00:00Z' : undefined,
});

const lastWeek: DigestFigures = {
  week: '2026-W48',
  stage: { index: 1, count: 3, title: 'Going digital' },
  kpis: [],
  engagement: { updatesSent: 2, reached: 12, acknowledgementRate: 75, concerns: 1 },
  readiness: { index: 54, dimensions: [], barriers: [], answers: 9 },
  resistance: [],
  safeguarding: { raised: 0, acknowledgedInTime: 0, waiting: 0 },
};

const sources = (over: Partial<DigestSources> = {}): DigestSources => ({
  initiative,
  period: { from: FROM, to: TO },
  week: '2026-W49',
  people,
  updates: [
    {
      deliveries: [
        ...people.slice(0, 6).map((p, i) => delivered(p.aadObjectId, p.groups, i < 2)),
        ...people.slice(6, 9).map((p) => delivered(p.aadObjectId, p.groups, true)),
        { memberId: 'p21', status: 'gone' },
      ],
    },
  ],
  comments,
  rounds: [round],
  escalations: [
    { status: 'acknowledged', raisedAt: '2026-11-24T10:00:00Z', acknowledgedAt: '2026-11-24T10:10:00Z' },
    { status: 'acknowledged', raisedAt: '2026-11-25T10:00:00Z', acknowledgedAt: '2026-11-25T12:00:00Z' },
    { status: 'dismissed', raisedAt: '2026-11-26T10:00:00Z' },
  ],
  history: [lastWeek],
  actions: [],
  anonymityThreshold: 5,
  commentThreshold: 10,
  safeguardingResendMs: 3_600_000,
  ...over,
});

describe('the weekly digest of one initiative', () => {
  const digest = buildDigest(sources());

  it('says where the change is against its plan, and each KPI with its latest value', () => {
    expect(digest.figures.stage).toEqual({
      index: 1,
      count: 3,
      title: 'Going digital',
      daysIn: 10,
      // Planned to end on the 27th; on the 30th at 08:00 that is 3 days behind.
      behindDays: 3,
      plannedEnd: '2026-11-27',
    });
    expect(digest.figures.kpis).toEqual([
      {
        objective: 'Every care plan digital by March',
        name: 'Plans digitised',
        unit: '%',
        baseline: 0,
        target: 100,
        latest: { value: 40, on: '2026-11-20' },
      },
    ]);
  });

  it('counts engagement over the people actually reached', () => {
    // 9 delivered (one had left); 2 of 6 nights and 3 of 3 days pressed Got it: 5 of 9 = 56%.
    expect(digest.figures.engagement).toEqual({
      updatesSent: 1,
      reached: 9,
      acknowledgementRate: 56,
      concerns: 2,
      pulseResponseRate: 71,
      pulseRecipients: 14,
    });
  });

  it('takes readiness from the published round and keeps last week to compare and a trend', () => {
    expect(digest.figures.readiness).toEqual({
      index: 45,
      dimensions: [
        { dimension: 'awareness', score: 3.8 },
        { dimension: 'knowledge', score: 2.6 },
      ],
      barriers: ['knowledge'],
      enps: 10,
      answers: 10,
    });
    expect(digest.previous).toBe(lastWeek);
    expect(digest.trend).toEqual([
      { week: '2026-W48', readiness: 54 },
      { week: '2026-W49', readiness: 45 },
    ]);
  });

  it('takes the response rate from the round readiness is from, and names that round, not a newer one too small to show', () => {
    const weekly = {
      ...round,
      pulse: { title: 'Weekly check-in' } as PulseRoundResults['pulse'],
      round: { opensAt: '2026-11-23T09:00:00Z' } as PulseRoundResults['round'],
    };
    // Opened since, by another of the change's pulses; too few answers yet for any figure but the rate.
    const newer: PulseRoundResults = {
      pulse: { title: 'Training check' } as PulseRoundResults['pulse'],
      round: { opensAt: '2026-11-27T09:00:00Z' } as PulseRoundResults['round'],
      results: { recipients: 20, answers: 2, responseRate: 10, groups: [] },
    };
    const { figures } = buildDigest(sources({ rounds: [weekly, newer] }));
    expect(figures.readiness?.index).toBe(45);
    expect(figures.engagement).toMatchObject({ pulseResponseRate: 71, pulseRecipients: 14 });
    expect(figures.pulse).toEqual({ title: 'Weekly check-in', opensAt: '2026-11-23T09:00:00Z' });

    // With no round that could be shown, the newest is named with its rate, and readiness is absent.
    const none = buildDigest(sources({ rounds: [newer] })).figures;
    expect(none.readiness).toBeUndefined();
    expect(none.engagement).toMatchObject({ pulseResponseRate: 10, pulseRecipients: 20 });
    expect(none.pulse).toEqual({ title: 'Training check', opensAt: '2026-11-27T09:00:00Z' });

    // A round nobody was sent yet has no rate, rather than 0% answered.
    const unsent = { ...newer, results: { ...newer.results, recipients: 0, answers: 0, responseRate: 0 } };
    expect(buildDigest(sources({ rounds: [unsent] })).figures.engagement.pulseResponseRate).toBeUndefined();
  });

  it('says when the round its response rate is from is still open, and until when', () => {
    const window = { opensAt: '2026-11-30T07:50:00Z', closesAt: '2026-12-04T17:00:00Z' };
    const open = {
      ...round,
      pulse: { title: 'Weekly check-in' } as PulseRoundResults['pulse'],
      round: { ...window, status: 'open' } as PulseRoundResults['round'],
    };
    expect(buildDigest(sources({ rounds: [open] })).figures.pulse).toEqual({
      title: 'Weekly check-in',
      opensAt: '2026-11-30T07:50:00Z',
      openUntil: '2026-12-04T17:00:00Z',
    });
    const closed = { ...open, round: { ...window, status: 'closed' } as PulseRoundResults['round'] };
    expect(buildDigest(sources({ rounds: [closed] })).figures.pulse?.openUntil).toBeUndefined();
  });

  it('counts themes by best source, leaving out what was passed to safeguarding', () => {
    expect(digest.figures.themes).toEqual({
      total: 11,
      top: [
        { theme: 'training_gap', count: 6 },
        { theme: 'workload_time', count: 4 },
        { theme: 'not_consulted', count: 1 },
      ],
      sources: { writer: 6, manager: 0, classifier: 5 },
    });
  });

  it('quotes one comment per top theme, the writer-tagged newest first, with names and numbers taken out', () => {
    expect(digest.quotes.map((quote) => quote.theme)).toEqual([
      'training_gap',
      'workload_time',
      'not_consulted',
    ]);
    expect(digest.quotes[0]?.text).toBe(
      'Nobody showed [name] or me how to use the tablets, ring me on [phone] or [name].',
    );
    expect(digest.quotes.some((quote) => quote.text.includes('hurt'))).toBe(false);
  });

  it('quotes nothing and counts no themes below the comment threshold', () => {
    const few = buildDigest(sources({ commentThreshold: 12 }));
    expect(few.figures.themes).toBeUndefined();
    expect(few.quotes).toEqual([]);
  });

  it('does not read silence into a round still open: its people still have time to answer', () => {
    const open = { ...round, round: { status: 'open' } as PulseRoundResults['round'] };
    const drivers = buildDigest(sources({ rounds: [open] })).figures.resistance.flatMap(
      (signal) => signal.drivers,
    );
    expect(drivers.map((driver) => driver.kind)).not.toContain('silence');
    expect(drivers.map((driver) => driver.kind)).toContain('words');
  });

  it('names where resistance is, strongest first, and never a group below the threshold', () => {
    const [first] = digest.figures.resistance;
    expect(first?.group).toBe('shiftPattern:Nights');
    expect(first?.drivers).toContainEqual({ kind: 'silence', responseRate: 0.38 });
    expect(first?.drivers).toContainEqual({ kind: 'words', theme: 'training_gap' });
    expect(digest.figures.resistance.map((signal) => signal.group)).not.toContain('shiftPattern:Bank');
  });

  it('counts disclosures raised and acknowledged within the resend interval, never their words', () => {
    expect(digest.figures.safeguarding).toEqual({ raised: 2, acknowledgedInTime: 1, waiting: 0 });
    expect(JSON.stringify(digest.figures)).not.toContain('hurt');
  });

  it('counts an alert raised minutes ago and not yet acknowledged as waiting, not as missed', () => {
    const escalations = [
      { status: 'raised' as const, raisedAt: '2026-11-30T07:40:00Z' },
      { status: 'raised' as const, raisedAt: '2026-11-29T07:40:00Z' },
    ];
    expect(buildDigest(sources({ escalations })).figures.safeguarding).toEqual({
      raised: 2,
      acknowledgedInTime: 0,
      waiting: 1,
    });
  });

  it('suggests next steps tied to the figure that set each off, the top barrier first', () => {
    expect(digest.nextSteps).toEqual([
      { id: 'championDropIns', because: { kind: 'barrier', dimension: 'knowledge' } },
      { id: 'slowThePace', because: { kind: 'readinessFell', drop: 9 } },
      { id: 'protectedTime', because: { kind: 'theme', theme: 'workload_time', count: 4 } },
    ]);
  });

  it('works with nothing yet: no pulse, no comments, no updates, no history', () => {
    const empty = buildDigest(
      sources({ updates: [], comments: [], rounds: [], escalations: [], history: [] }),
    );
    expect(empty.figures.readiness).toBeUndefined();
    expect(empty.figures.themes).toBeUndefined();
    expect(empty.figures.engagement).toEqual({ updatesSent: 0, reached: 0, concerns: 0 });
    expect(empty.previous).toBeUndefined();
    expect(empty.nextSteps).toEqual([]);
  });
});

describe('next steps', () => {
  const base: DigestFigures = { ...lastWeek, readiness: undefined };
  it('bring staff into a pilot when not being asked is among the top worries', () => {
    const steps = nextSteps(
      {
        ...base,
        themes: {
          total: 10,
          top: [{ theme: 'not_consulted', count: 6 }],
          sources: { writer: 0, manager: 0, classifier: 10 },
        },
      },
      undefined,
    );
    expect(steps[0]).toEqual({
      id: 'pilotGroup',
      because: { kind: 'theme', theme: 'not_consulted', count: 6 },
    });
  });

  it('answer low trust with an open Q&A and few answers by closing the loop first', () => {
    const steps = nextSteps(
      {
        ...base,
        readiness: { index: 50, dimensions: [], barriers: [], enps: -20, answers: 9 },
        engagement: { ...base.engagement, acknowledgementRate: 90, pulseResponseRate: 30 },
      },
      undefined,
    );
    expect(steps).toEqual([
      { id: 'openQandA', because: { kind: 'enps', enps: -20 } },
      { id: 'closeTheLoop', because: { kind: 'responseRate', rate: 30 } },
    ]);
  });

  it('do not blame few answers on a pulse round that is still open', () => {
    const few = { ...base, engagement: { ...base.engagement, pulseResponseRate: 33 } };
    const pulse = { title: 'Weekly check-in', opensAt: '2026-11-30T07:50:00Z' };
    expect(nextSteps({ ...few, pulse }, undefined).map((step) => step.id)).toContain('closeTheLoop');
    const open = { ...few, pulse: { ...pulse, openUntil: '2026-12-04T17:00:00Z' } };
    expect(nextSteps(open, undefined).map((step) => step.id)).not.toContain('closeTheLoop');
  });
});

describe('scrubbing a quote', () => {
  it('takes out emails, phone numbers, mentions, titled names and known names, and leaves care words alone', () => {
    expect(
      scrub('Mrs Okafor told sam.care@oakview.example and +44 1632 960 001 that Sam Care needs more care', [
        'Sam Care',
      ]),
    ).toBe('[name] told [email] and [phone] that [name] needs more care');
  });
});

describe('when the digest is due', () => {
  const schedule = { weekday: 1, time: '08:00' };
  it('is due from the service-local day and time until the end of that ISO week, filed under that week', () => {
    expect(dueDigest(new Date('2026-11-30T07:59:00Z'), schedule, 'Europe/London')).toBeUndefined();
    const due = dueDigest(new Date('2026-12-03T12:00:00Z'), schedule, 'Europe/London');
    expect(due).toEqual({
      week: '2026-W49',
      from: new Date('2026-11-23T08:00:00Z'),
      to: new Date('2026-11-30T08:00:00Z'),
    });
  });

  it('keeps to local time when the clocks change (08:00 BST is 07:00 UTC)', () => {
    expect(dueDigest(new Date('2026-06-01T07:00:00Z'), schedule, 'Europe/London')?.to).toEqual(
      new Date('2026-06-01T07:00:00Z'),
    );
  });

  it('on demand covers the last seven days up to now', () => {
    const now = new Date('2026-12-02T15:00:00Z');
    expect(lastSevenDays(now, 'UTC')).toEqual({
      week: '2026-W49',
      from: new Date('2026-11-25T15:00:00Z'),
      to: now,
    });
  });
});

describe('recording a KPI value', () => {
  const input = { objective: '0', value: '55', on: '2026-11-29', note: ' after training ' };
  it('accepts a number for a known KPI dated today or earlier', () => {
    const parsed = parseKpiReading(initiative, input, '2026-11-30', 'm');
    expect(parsed).toEqual({
      ok: true,
      objective: 0,
      reading: { value: 55, on: '2026-11-29', note: 'after training', by: 'm' },
    });
    if (!parsed.ok) return;
    const saved = withReading(initiative, parsed.objective, parsed.reading, TO);
    expect(saved.objectives[0]?.kpi.readings?.map((reading) => reading.value)).toEqual([25, 40, 55]);
  });

  it.each([
    [{ value: 'lots' }, 'notNumber'],
    [{ value: '1e400' }, 'notNumber'],
    [{ on: '2026-12-01' }, 'future'],
    [{ on: '2026-02-30' }, 'badDate'],
    [{ objective: '3' }, 'noObjective'],
  ])('refuses %o (%s)', (change, problem) => {
    expect(parseKpiReading(initiative, { ...input, ...change }, '2026-11-30', 'm')).toEqual({
      ok: false,
      problem,
    });
  });
});

describe("the change's champions in the digest and their weekly notes", () => {
  const withChampions = (over: Partial<DigestSources> = {}) =>
    buildDigest(
      sources({
        initiative: { ...initiative, champions: ['p0', 'p20', 'p21'] },
        commentThreshold: 6,
        ...over,
      }),
    );

  it('names the champions of each shift and flags a shift with none; one who has left is not named', () => {
    const left = people.map((person) =>
      person.aadObjectId === 'p21'
        ? { ...person, unreachableAt: TO.toISOString(), unreachableReason: 'left' as const }
        : person,
    );
    expect(withChampions({ people: left }).champions).toEqual([
      { group: { field: 'shiftPattern', value: 'Bank' }, champions: ['Carer 20'] },
      { group: { field: 'shiftPattern', value: 'Days' }, champions: [] },
      { group: { field: 'shiftPattern', value: 'Nights' }, champions: ['Priya Patel'] },
    ]);
  });

  it("has a note only for groups at the threshold, each figure suppressed as the digest's are", () => {
    const notes = withChampions().figures.groups ?? [];
    expect(notes.map((note) => note.group.value)).toEqual(['Days', 'Nights']);
    const [days, nightShift] = notes;
    // Nights: six comments reach the threshold of six; days' five do not, so no themes for them.
    expect(nightShift).toMatchObject({
      people: 6,
      readiness: { now: 30 },
      themes: [{ theme: 'training_gap', count: 6 }],
      step: { id: 'championDropIns', because: { kind: 'theme', theme: 'training_gap', count: 6 } },
    });
    expect(days).toMatchObject({ people: 6, readiness: { now: 60 }, themes: [] });
  });

  it('gives each note one step from the rule table, from its own group', () => {
    const [days] = withChampions({ commentThreshold: 5 }).figures.groups ?? [];
    expect(days?.themes).toEqual([
      { theme: 'workload_time', count: 4 },
      { theme: 'not_consulted', count: 1 },
    ]);
    expect(days?.step).toEqual({
      id: 'protectedTime',
      because: { kind: 'theme', theme: 'workload_time', count: 4 },
    });
  });

  it('gives a champion of small groups only no note at all', () => {
    const notes = withChampions().figures.groups ?? [];
    expect(notesFor({ groups: { shiftPattern: 'Bank' } }, notes)).toEqual([]);
    expect(notesFor({ groups: { shiftPattern: 'Nights' } }, notes).map((note) => note.group.value)).toEqual([
      'Nights',
    ]);
  });
});

describe('who to ask', () => {
  const champions = [
    { name: 'Priya', groups: { unit: 'Willow', shiftPattern: 'Nights' } },
    { name: 'Sean', groups: { unit: 'Maple', shiftPattern: 'Days' } },
  ];

  it("names the champions of the reader's own unit or shift, or all of them when none is in either", () => {
    expect(championsToAsk({ unit: 'Willow', shiftPattern: 'Days' }, champions)).toEqual(['Priya', 'Sean']);
    expect(championsToAsk({ unit: 'Maple', shiftPattern: 'Twilights' }, champions)).toEqual(['Sean']);
    expect(championsToAsk({ unit: 'Oak' }, champions)).toEqual(['Priya', 'Sean']);
    expect(championsToAsk({ unit: 'Willow' }, [])).toEqual([]);
  });
});
