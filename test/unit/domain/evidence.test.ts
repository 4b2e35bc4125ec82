import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { LoopAction } from '../../../src/domain/actions/action.js';
import type { Broadcast, Figures } from '../../../src/domain/broadcasts/broadcast.js';
import type { DigestFigures } from '../../../src/domain/digest/figures.js';
import { buildEvidencePack, type EvidenceSources } from '../../../src/domain/evidence/evidencePack.js';
import type { Initiative } from '../../../src/domain/initiatives/initiative.js';
import type { Member, MemberGroups } from '../../../src/domain/people/member.js';
import type { Pulse, PulseRound } from '../../../src/domain/pulses/pulse.js';
import type { PulseRoundResults } from '../../../src/domain/pulses/pulseReporting.js';
import type { GroupFigures } from '../../../src/domain/pulses/pulseResults.js';
import { evidenceFile } from '../../../src/export/evidenceFiles.js';
import { Localizer } from '../../../src/i18n/strings.js';

const t = new Localizer().for('en-GB');
const NOW = new Date('2026-11-30T12:00:00Z');
const MINUTE = 60_000;

const initiative: Initiative = {
  tenantId: 't',
  id: 'care-plans',
  title: 'Digital care plans',
  why: 'Agency staff cannot read handwritten plans.',
  vision: 'Every plan current and readable at the bedside.',
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
          { value: 40, on: '2026-11-20', by: 'm', note: 'Willow done' },
          { value: 25, on: '2026-11-06', by: 'm' },
        ],
      },
    },
  ],
  model: 'lewin',
  stages: [
    {
      key: 'unfreeze',
      title: 'Getting ready',
      explanation: '',
      focus: ['awareness'],
      plannedEnd: '2026-10-31',
    },
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
  stageStartedAt: '2026-11-20T09:00:00Z',
  audience: { kind: 'all' },
  owners: ['m'],
  champions: ['p0', 'left-the-service'],
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

/** Six on nights (Priya, a champion, among them), six on days, two bank staff: too few to name. */
const people = [
  ...Array.from({ length: 6 }, (_, i) =>
    member(i, { shiftPattern: 'Nights' }, i === 0 ? 'Priya Patel' : undefined),
  ),
  ...Array.from({ length: 6 }, (_, i) => member(10 + i, { shiftPattern: 'Days' })),
  member(20, { shiftPattern: 'Bank' }),
  member(21, { shiftPattern: 'Bank' }),
];

const figures = (counts: Partial<Figures>): Figures => ({
  recipients: 14,
  sent: 0,
  failed: 0,
  gone: 0,
  pending: 0,
  waiting: 0,
  skipped: 0,
  unconfirmed: 0,
  acknowledged: 0,
  concerns: 0,
  ...counts,
});
const send = (id: string, sendAt: string, extra: Partial<Broadcast>): Broadcast => ({
  tenantId: 't',
  id,
  initiativeId: 'care-plans',
  content: { headline: `Update ${id}`, message: '' },
  audience: { kind: 'all' },
  urgent: false,
  sendAt,
  status: 'done',
  createdBy: { aadObjectId: 'm', name: 'Alex', locale: 'en-GB', timeZone: 'UTC' },
  recipients: 14,
  createdAt: sendAt,
  updatedAt: sendAt,
  ...extra,
});

const group = (key: GroupFigures['group'], answers: number, readinessIndex: number): GroupFigures => ({
  group: key,
  answers,
  items: [],
  dimensions: [],
  readinessIndex,
  barriers: readinessIndex < 60 ? ['knowledge'] : [],
  enps: 10,
});
const round = (
  number: number,
  opensAt: string,
  answers: number,
  shown: GroupFigures[],
): PulseRoundResults => ({
  pulse: { title: 'How is it going?' } as Pulse,
  round: { number, opensAt, closesAt: opensAt } as PulseRound,
  results: {
    recipients: 12,
    answers,
    responseRate: Math.round((100 * answers) / 12),
    overall: shown.find((figures) => figures.group.field === 'all'),
    groups: shown.filter((figures) => figures.group.field !== 'all'),
    trend:
      number === 1 ? undefined : { responseRate: -10, readinessIndex: 6, dimensions: [], enps: undefined },
  },
});

const week = (name: string, extra: Partial<DigestFigures>): DigestFigures => ({
  week: name,
  stage: { index: 1, count: 3, title: 'Going digital' },
  kpis: [],
  engagement: { updatesSent: 1, reached: 12, acknowledgementRate: 75, concerns: 2 },
  resistance: [],
  safeguarding: { raised: 0, acknowledgedInTime: 0, waiting: 0 },
  ...extra,
});

const action = (id: string, extra: Partial<LoopAction>): LoopAction => ({
  tenantId: 't',
  id,
  initiativeId: 'care-plans',
  heard: 'No time to learn the tablets on shift',
  willDo: 'Paid training hours on each shift',
  owner: { aadObjectId: 'm', name: 'Alex Wilber' },
  due: '2026-12-15',
  audience: 'all',
  status: 'open',
  createdBy: { aadObjectId: 'm', name: 'Alex Wilber' },
  createdAt: '2026-10-10T09:00:00Z',
  updatedAt: '2026-10-10T09:00:00Z',
  published: [],
  ...extra,
});

const raisedAt = '2026-11-02T10:00:00Z';
const after = (minutes: number) => new Date(Date.parse(raisedAt) + minutes * MINUTE).toISOString();

const sources: EvidenceSources = {
  initiative,
  now: NOW,
  people,
  members: people,
  updates: [
    {
      broadcast: send('b1', '2026-10-02T09:00:00Z', { stageIndex: 0 }),
      figures: figures({ sent: 12, acknowledged: 9, concerns: 1 }),
    },
    { broadcast: send('b2', '2026-12-05T09:00:00Z', { status: 'scheduled' }), figures: figures({}) },
    {
      broadcast: send('b3', '2026-11-20T09:00:00Z', { stageIndex: 1 }),
      figures: figures({ sent: 10, unconfirmed: 2, acknowledged: 6 }),
    },
  ],
  rounds: [
    round(1, '2026-10-15T09:00:00Z', 8, [
      group({ field: 'all' }, 8, 56),
      group({ field: 'shiftPattern', value: 'Nights' }, 5, 50),
    ]),
    // Three answers: the round shows nothing about them, whatever a group's figures might have been.
    round(2, '2026-11-15T09:00:00Z', 3, []),
  ],
  weeks: [
    week('2026-W47', {}),
    week('2026-W48', {
      engagement: {
        updatesSent: 1,
        reached: 12,
        acknowledgementRate: 50,
        concerns: 3,
        pulseResponseRate: 25,
      },
      readiness: { index: 62, dimensions: [], barriers: [], answers: 8 },
      themes: {
        total: 12,
        top: [
          { theme: 'training_gap', count: 6 },
          { theme: 'workload_time', count: 4 },
        ],
        sources: { writer: 6, manager: 1, classifier: 5 },
      },
    }),
  ],
  actions: [
    action('a1', {
      status: 'done',
      doneAt: '2026-10-20T09:00:00Z',
      published: ['willDo', 'done'],
      fromComment: { tenantId: 't', initiativeId: 'care-plans', week: '2026-W41', id: 'c1' },
    }),
    action('a2', { status: 'dropped', dropReason: 'Covered by the new rota', fromTheme: 'workload_time' }),
    action('a3', { due: '2026-11-01' }),
    action('elsewhere', { initiativeId: 'other' }),
  ].filter((one) => one.initiativeId === 'care-plans'),
  escalations: [
    { status: 'acknowledged', raisedAt, acknowledgedAt: after(10) },
    { status: 'acknowledged', raisedAt, acknowledgedAt: after(40) },
    { status: 'asked', raisedAt },
    { status: 'raised', raisedAt },
  ],
  showSafeguarding: true,
  anonymityThreshold: 5,
  safeguardingResendMs: 15 * MINUTE,
};

describe('the evidence pack of one change', () => {
  const pack = buildEvidencePack(sources);

  it('puts the change on one page: why, vision, the stage now and each KPI with its latest value', () => {
    expect(pack.initiative).toMatchObject({ why: initiative.why, vision: initiative.vision, model: 'lewin' });
    expect(pack.stage).toMatchObject({
      index: 1,
      count: 3,
      title: 'Going digital',
      daysIn: 10,
      behindDays: 3,
    });
    expect(pack.kpis).toEqual([
      expect.objectContaining({
        name: 'Plans digitised',
        baseline: 0,
        target: 100,
        latest: { value: 40, on: '2026-11-20' },
      }),
    ]);
    expect(pack.kpis[0]?.readings.map((reading) => reading.on)).toEqual(['2026-11-06', '2026-11-20']);
  });

  it('lists sent updates in order with the broadcasts card’s delivery and Got it figures, and when each stage was announced', () => {
    expect(pack.communications).toEqual([
      expect.objectContaining({
        headline: 'Update b1',
        stage: 1,
        delivered: 12,
        acknowledged: 9,
        acknowledgementRate: 75,
      }),
      expect.objectContaining({
        headline: 'Update b3',
        stage: 2,
        delivered: 12,
        acknowledged: 6,
        acknowledgementRate: 50,
      }),
    ]);
    expect(pack.stages.map((stage) => [stage.state, stage.announcedAt])).toEqual([
      ['done', '2026-10-02T09:00:00Z'],
      ['current', '2026-11-20T09:00:00Z'],
      ['upcoming', undefined],
    ]);
  });

  it('shows a round below the threshold as how many answered only, with no group', () => {
    const [first, second] = pack.rounds;
    expect(first).toMatchObject({ answers: 8, responseRate: 67, overall: { readinessIndex: 56 } });
    expect(first?.groups.map((figures) => figures.answers)).toEqual([5]);
    expect(second).toMatchObject({ answers: 3, responseRate: 25, overall: undefined, groups: [] });
  });

  it('works out the loop over the whole change: 1 open and overdue, 1 done in 10 days, 1 dropped, half closed as done', () => {
    expect(pack.actions.figures).toEqual({
      open: 1,
      overdue: 1,
      doneThisWeek: 1,
      closureRate: 50,
      medianDaysToClose: 10,
    });
    expect(pack.actions.dropped).toBe(1);
    expect(pack.actions.items.map((item) => [item.status, item.overdue, item.fromStaffComment])).toEqual([
      ['done', false, true],
      ['dropped', false, false],
      ['open', true, false],
    ]);
  });

  it('names the champions still in the service and the groups of five or more with none, never the small group', () => {
    expect(pack.champions.names).toEqual(['Priya Patel']);
    expect(pack.champions.notMembers).toBe(1);
    expect(pack.champions.groupsWithout).toEqual([{ field: 'shiftPattern', value: 'Days' }]);
  });

  it('counts escalations raised (not those still asking the writer) and how long a lead took, without any words', () => {
    expect(pack.safeguarding).toMatchObject({
      raised: 3,
      acknowledged: 2,
      acknowledgedInTime: 1,
      medianMinutesToAcknowledge: 25,
    });
    expect(pack.safeguarding?.log.map((entry) => entry.minutesToAcknowledge)).toEqual([10, 40, undefined]);
  });

  it('adds up how staff took part from the same figures', () => {
    expect(pack.involvement).toEqual({
      people: 14,
      updatesSent: 2,
      delivered: 24,
      acknowledged: 15,
      pulseRounds: 2,
      pulseAnswers: 11,
      concerns: 5,
      actionsFromComments: 1,
      champions: 1,
    });
  });

  it('leaves safeguarding out, and out of the framework map, for a reader the digest does not show it to', () => {
    const hidden = buildEvidencePack({ ...sources, showSafeguarding: false });
    expect(hidden.safeguarding).toBeUndefined();
    expect(hidden.frameworks.flatMap((link) => link.sections)).not.toContain('safeguarding');
    expect(pack.frameworks.find((link) => link.key === 'speakUp')?.sections).toContain('safeguarding');
  });

  it('says plainly when nothing has happened yet', () => {
    const empty = buildEvidencePack({
      ...sources,
      updates: [],
      rounds: [],
      weeks: [],
      actions: [],
      escalations: [],
    });
    expect(empty.empty).toBe(true);
    expect(pack.empty).toBe(false);
  });
});

describe('the evidence pack’s files', () => {
  const pack = buildEvidencePack(sources);

  it('writes Markdown with the numbered sections, the framework map and lettered appendices', async () => {
    const file = await evidenceFile(t, pack, 'md', 'Europe/London');
    expect(file.name).toBe('evidence-care-plans.md');
    const text = new TextDecoder().decode(file.content);
    const headings = text.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toEqual([
      '# Evidence pack: Digital care plans',
      '## 1. The change on one page',
      '## 2. Timeline of stages and communications',
      '## 3. Pulse results by round and trends',
      '## 4. Themes over time',
      '## 5. Actions and outcomes ("You said, we did")',
      '## 6. Champion involvement',
      '## 7. Safeguarding escalations',
      '## 8. How staff were involved',
      '## What this pack evidences',
      '## Appendix A: Communication log',
      '## Appendix B: Pulse results by round and group',
      '## Appendix C: Action log',
      '## Appendix D: KPI readings',
      '## Appendix E: Safeguarding acknowledgement times',
    ]);
    expect(text).toContain(
      '| Freedom to speak up | 4. Themes over time; 5. Actions and outcomes ("You said, we did"); 7. Safeguarding escalations |',
    );
    expect(text).toMatch(
      /\| 18 \| Ensure that the contribution of individuals, key people and workers .* \| 6\. Champion involvement; 5\./,
    );
  });

  it('writes every table figure as one CSV row, and a withheld round as not shown', async () => {
    const file = await evidenceFile(t, pack, 'csv', 'Europe/London');
    const rows = new TextDecoder()
      .decode(file.content)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toBe('Section,Row,Column,Value');
    const section = '3. Pulse results by round and trends';
    expect(rows).toContain(`${section},How is it going? · 1,Readiness index (0-100),56`);
    expect(rows).toContain(`${section},How is it going? · 2,Readiness index (0-100),Not shown`);
    expect(rows).toContain(`${section},How is it going? · 2,Answers,3`);
    expect(rows).toContain(`${section},2026-W48,Readiness index (0-100),62`);
    expect(rows).toContain('4. Themes over time,2026-W48,Top themes,"training 6, workload and time 4"');
    expect(rows).toContain('7. Safeguarding escalations,Median minutes to acknowledge,Value,25');
    // Nothing of the round three people answered appears by group.
    const appendixB = rows.filter((row) => row.startsWith('Appendix B'));
    expect(appendixB).toContain(
      'Appendix B: Pulse results by round and group,How is it going? · 1 · Shift Nights,Answers,5',
    );
    expect(appendixB.filter((row) => row.includes('How is it going? · 2'))).toEqual([]);
    // The action log says which theme an action answers: the dropped one was recorded from a theme.
    expect(
      rows
        .filter((row) => row.startsWith('Appendix C') && row.includes(',Answers the theme,'))
        .map((row) => row.split(',').at(-1)),
    ).toEqual(['none', 'time and workload', 'none']);
  });

  it('writes a Word document whose text and tables read back', async () => {
    const file = await evidenceFile(t, pack, 'docx', 'Europe/London');
    const xml = strFromU8(unzipSync(file.content)['word/document.xml'] ?? new Uint8Array());
    const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((match) =>
      [...match[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((text) => text[1]).join(''),
    );
    expect(paragraphs).toContain('Evidence pack: Digital care plans');
    expect(paragraphs).toContain('Why: Agency staff cannot read handwritten plans.');
    const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((match) =>
      [...match[0].matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((row) =>
        [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) =>
          [...cell[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((text) => text[1]).join(''),
        ),
      ),
    );
    expect(tables.find((rows) => rows[0]?.[0] === 'Objective')?.[1]).toEqual([
      'Every care plan digital by March',
      'Plans digitised',
      '%',
      '0',
      '100',
      '2027-03-31',
      '40',
      '2026-11-20',
    ]);
    expect(xml).toContain('w:tblHeader');
  });
});
