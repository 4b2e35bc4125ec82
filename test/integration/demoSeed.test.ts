import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DisclosureScreen } from '../../src/analysis/disclosureScreen.js';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { ScreenedClassifier } from '../../src/analysis/screenedClassifier.js';
import { LOCAL_ANSWER_KEY } from '../../src/config.js';
import { currentFigures } from '../../src/delivery/progress.js';
import { DEMO_INITIATIVE_ID, DEMO_TENANT_ID } from '../../src/demo/oakView.js';
import { type DemoSetting, ensureDemoData, seedDemo } from '../../src/demo/seed.js';
import { ReplyHandles } from '../../src/domain/feedback/replyHandles.js';
import { RespondentKeys } from '../../src/domain/people/respondentKeys.js';
import { groupLabel } from '../../src/domain/pulses/anonymity.js';
import { pulseResults } from '../../src/domain/pulses/pulseReporting.js';
import { Localizer } from '../../src/i18n/strings.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { STAFF_ONLY } from '../support/members.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';

const english = new Localizer().for('en-GB');
const NOW = new Date('2026-12-01T09:00:00Z');
const DAY = 86_400_000;
const logger = pino({ level: 'silent' });
const ALEX = '00000000-0000-0000-0000-0000000000020';
const THRESHOLD = 5;
let storage: Storage;

/** Loaded as `huddle seed-demo` loads it: comments read by the lexicon and the disclosure screen. */
const setting = (now: Date): DemoSetting => ({
  clock: { now: () => now },
  words: (key) => english(key),
  keys: new RespondentKeys(LOCAL_ANSWER_KEY),
  classifier: new ScreenedClassifier(new LocalClassifier(), screen, (error) => {
    throw error;
  }),
  replyHandles: new ReplyHandles(localBox(), 30 * DAY),
  bootstrap: { manager: [], leader: [], admin: [], safeguardingLead: [] },
  safeguardingResendMs: 15 * 60_000,
  reach: STAFF_ONLY,
  anonymityThreshold: THRESHOLD,
  commentThreshold: 10,
  quietHours: { start: '21:00', end: '07:00' },
});
const screen = new DisclosureScreen();

const results = () =>
  pulseResults({ ...storage, clock: { now: () => NOW }, anonymityThreshold: THRESHOLD }, DEMO_TENANT_ID);

beforeAll(async () => {
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    uniquePrefix(),
    logger,
    localBox(),
  );
});
afterAll(() => storage.close());

describe('the Oak View demo', () => {
  it('loads 40 care staff, a manager, a leader and a safeguarding lead', async () => {
    await seedDemo(storage, setting(NOW));
    const people = await storage.members.list(DEMO_TENANT_ID);
    expect(people).toHaveLength(43);
    const staffOnly = people.filter((person) => person.roles.length === 0);
    expect(staffOnly).toHaveLength(40);
    expect(new Set(staffOnly.map((person) => person.groups.jobRole))).toEqual(
      new Set(['Senior carer', 'Carer', 'Nurse', 'Agency carer']),
    );
    expect(new Set(staffOnly.map((person) => person.groups.shiftPattern))).toEqual(
      new Set(['days', 'nights']),
    );
    const roleOf = (name: string) => people.find((person) => person.name === name)?.roles;
    expect(roleOf('Alex Wilber')).toEqual(['manager', 'admin']);
    expect(roleOf('Megan Bowen')).toEqual(['leader']);
    expect(roleOf('Adele Vance')).toContain('safeguardingLead');
  }, 60_000);

  it('has the initiative six weeks in, at its fourth stage for five days, planned from its first day', async () => {
    const initiative = await storage.initiatives.get(DEMO_TENANT_ID, DEMO_INITIATIVE_ID);
    expect(initiative).toMatchObject({
      model: 'kotter',
      currentStage: 3,
      audience: { kind: 'all' },
      owners: [ALEX],
      createdAt: '2026-10-20T09:00:00.000Z',
    });
    // `advance stage` records when it moved on; the demo moved to this stage five days ago, 09:30 in London.
    expect(initiative?.updatedAt).toBe('2026-11-26T09:30:00.000Z');
    expect(initiative?.stages).toHaveLength(8);
    expect(initiative?.stages[0]).toMatchObject({
      title: 'Why we need to change',
      plannedStart: '2026-10-20',
    });
    expect(initiative?.stages[3]).toMatchObject({ title: 'Sharing the plan', plannedStart: '2026-11-22' });
    expect(initiative?.objectives.map((objective) => objective.kpi.due)).toEqual(Array(3).fill('2027-01-18'));
    expect(initiative?.champions).toHaveLength(5);
    expect(initiative?.champions.every((id) => id !== '')).toBe(true);
  });

  it("shows figures for the latest round: everyone's, some groups', and not those too small to show", async () => {
    const [latest, ...earlier] = await results();
    expect(earlier.length).toBeGreaterThan(0);
    expect(latest?.round.number).toBe(6);
    expect(latest?.results.overall?.readinessIndex).toBeDefined();
    expect(latest?.results.trend?.readinessIndex).toBeDefined();
    expect(latest?.results.responseRate).toBeLessThan(100);
    const shown = new Set(latest?.results.groups.map((group) => groupLabel(group.group)));
    expect(shown).toContain('unit:Willow (ground floor)');
    expect(shown).toContain('shiftPattern:nights');
    // Nurses and senior carers answered, but too few of them to be shown.
    expect(shown).not.toContain('jobRole:Nurse');
    expect(shown).not.toContain('jobRole:Senior carer');
    const readinessOf = (label: string) =>
      latest?.results.groups.find((group) => groupLabel(group.group) === label)?.readinessIndex ?? 0;
    expect(readinessOf('shiftPattern:nights')).toBeLessThan(readinessOf('shiftPattern:days') - 20);
    expect(latest?.themes?.sources.writer).toBeGreaterThan(0);
    expect(latest?.themes?.sources.classifier).toBeGreaterThan(0);
  });

  it('has the weekly digests of past weeks saved, so the first digest has last week and a trend', async () => {
    // Loaded on Tuesday 1 December: the digests of the Mondays before, from the first whole week of history.
    const saved = await storage.digestSnapshots.before(DEMO_TENANT_ID, DEMO_INITIATIVE_ID, '2026-W49', 12);
    expect(saved.map((week) => week.week)).toEqual(['2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    // Built with the initiative as it stood each week, and readiness once rounds had enough answers.
    expect(saved.map((week) => week.stage.index + 1)).toEqual([2, 2, 3, 3]);
    expect(saved.at(-1)?.readiness?.index).toBeDefined();
    // Its response rate is that same round's, and the round is named on the card.
    expect(saved.at(-1)?.pulse?.title).toBe('How is digital care planning going?');
    expect(saved.every((week) => week.engagement.updatesSent <= 1)).toBe(true);
  });

  it('has comments over six weeks, about what care staff worry about, none of them a disclosure', async () => {
    const comments = await storage.comments.recent(DEMO_TENANT_ID, '2026-10-20');
    expect(new Set(comments.map((comment) => comment.week)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(comments.map((comment) => comment.source))).toEqual(
      new Set(['pulse', 'concern', 'feedback']),
    );
    const tagged = comments.filter((comment) => (comment.tags ?? []).length > 0);
    expect(tagged.length).toBeGreaterThan(10);
    expect(comments.length - tagged.length).toBeGreaterThan(10);
    const themes = new Set(comments.map((comment) => comment.analysis?.primaryTheme));
    for (const theme of ['workload_time', 'technology_confidence', 'training_gap', 'not_consulted'] as const)
      expect(themes).toContain(theme);
    expect(comments.filter((comment) => comment.escalationId !== undefined)).toEqual([]);
    expect(await storage.escalations.list(DEMO_TENANT_ID)).toEqual([]);
  });

  it('has stage updates that most, but not all, acknowledged, with concerns raised', async () => {
    const updates = (await storage.broadcasts.list(DEMO_TENANT_ID)).sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
    expect(updates.map((update) => update.stageIndex)).toEqual([0, 1, undefined, 2, 3]);
    for (const update of updates) {
      const figures = await currentFigures(storage, update, NOW);
      expect(figures).toMatchObject({ recipients: 43, sent: 43, pending: 0 });
      expect(figures.acknowledged).toBeGreaterThan(43 / 2);
      expect(figures.acknowledged).toBeLessThan(43);
      expect(figures.concerns).toBeGreaterThan(0);
    }
    // Units named in the updates are the demo's own.
    expect(updates.map((update) => update.content.message).join(' ')).toMatch(/Willow.*Maple/s);
  });

  it('changes nothing when loaded again, the same day or later, and keeps what Teams told Huddle since', async () => {
    const snapshot = async () => ({
      results: JSON.stringify(await results()),
      comments: (await storage.comments.recent(DEMO_TENANT_ID, '2026-01-01'))
        .map((comment) => `${comment.week} ${comment.id} ${comment.text}`)
        .sort(),
      broadcasts: (await storage.broadcasts.list(DEMO_TENANT_ID)).length,
      deliveries: await Promise.all(
        (await storage.broadcasts.list(DEMO_TENANT_ID)).map((one) => storage.deliveries.outcomes(one.id)),
      ),
      rounds: await Promise.all(
        (await storage.pulses.list(DEMO_TENANT_ID)).map((pulse) =>
          storage.rounds.forPulse(DEMO_TENANT_ID, pulse.id),
        ),
      ),
      initiatives: await storage.initiatives.list(DEMO_TENANT_ID),
    });
    const before = await snapshot();
    await storage.members.modify(DEMO_TENANT_ID, ALEX, (current) => ({
      ...(current ?? expect.unreachable()),
      personalConversation: { conversation: { id: 'a:alex' } },
      personalInstalled: true,
      timeZone: 'Europe/Dublin',
    }));
    await seedDemo(storage, setting(NOW));
    await seedDemo(storage, setting(new Date(NOW.getTime() + 10 * DAY)));
    const after = await snapshot();
    expect(after.comments).toEqual(before.comments);
    expect(after).toEqual(before);
    expect(await storage.members.list(DEMO_TENANT_ID)).toHaveLength(43);
    expect(await storage.members.get(DEMO_TENANT_ID, ALEX)).toMatchObject({
      personalInstalled: true,
      timeZone: 'Europe/Dublin',
      personalConversation: { conversation: { id: 'a:alex' } },
    });
  }, 60_000);

  it('is not reloaded at start-up once Oak View has people, so local changes survive', async () => {
    await storage.members.modify(DEMO_TENANT_ID, ALEX, (current) => ({
      ...(current ?? expect.unreachable()),
      roles: ['admin'],
    }));
    await ensureDemoData(storage, setting(NOW), logger);
    expect((await storage.members.get(DEMO_TENANT_ID, ALEX))?.roles).toEqual(['admin']);
  });
});
