import type { Logger } from 'pino';
import { defaultStages, type Initiative, type StageWords } from '../domain/initiatives/initiative.js';
import type { Member, QuietHours } from '../domain/people/member.js';
import type { Clock } from '../domain/shared/ports.js';
import {
  DEMO_CHAMPIONS,
  DEMO_INITIATIVE,
  DEMO_INITIATIVE_ID,
  DEMO_SITE,
  DEMO_TENANT_ID,
  type DemoPerson,
  OAK_VIEW_PEOPLE,
} from './oakView.js';
import { HISTORY_DAYS } from './oakViewHistory.js';
import { type DigestStores, seedPastDigests } from './seedDigests.js';
import { type HistoryReading, type HistoryStores, initiativeOn, seedHistory } from './seedHistory.js';

const DEMO_DEFAULTS = {
  locale: 'en-GB',
  timeZone: 'Europe/London',
};
const DAY = 24 * 60 * 60 * 1000;

export type DemoStores = HistoryStores & DigestStores;

/** What the demo is loaded with: the clock and stage words, and how Huddle reads and keys what staff say. */
export interface DemoSetting extends HistoryReading {
  clock: Clock;
  words: StageWords;
  commentThreshold: number;
  /** The service's default quiet hours (HUDDLE_QUIET_HOURS), which demo people take as anyone installing does. */
  quietHours: QuietHours;
}

/**
 * Loads Oak View: its 43 people, and the digital care planning initiative six weeks in, with its history
 * (see oakViewHistory.ts). The history starts six weeks before the demo is first loaded, so it looks fresh;
 * loading again keeps that start, so every row of the history lands where it did and nothing is doubled.
 * Running it again also resets names, roles, groups and the initiative to the demo's, and keeps what Teams
 * told us since (personal chat, welcome, locale, time zone), so a seeded person who already opened Huddle
 * is not cut off.
 */
export async function seedDemo(stores: DemoStores, setting: DemoSetting): Promise<{ people: number }> {
  const existing = new Map(
    (await stores.members.list(DEMO_TENANT_ID)).map((member) => [member.aadObjectId, member]),
  );
  const now = setting.clock.now();
  const rows = OAK_VIEW_PEOPLE.map((person) =>
    demoMember(person, existing.get(person.aadObjectId), now.toISOString(), setting.quietHours),
  );
  await stores.members.putMany(rows);
  const previous = await stores.initiatives.get(DEMO_TENANT_ID, DEMO_INITIATIVE_ID);
  const start = historyStart(now, previous?.createdAt);
  const atStart = demoInitiative(start, setting.words);
  await stores.initiatives.put(initiativeOn(atStart, start, HISTORY_DAYS));
  await seedHistory(stores, setting, atStart, start);
  const dayOf = (moment: Date) => Math.floor((moment.getTime() - start.getTime()) / DAY);
  await seedPastDigests(stores, setting, (moment) => initiativeOn(atStart, start, dayOf(moment)), start, now);
  return { people: rows.length };
}

/**
 * When the history starts: six weeks ago on first loading, and where it started before on loading again
 * (unless that was less than six weeks ago, as a demo loaded before it had a history was).
 */
function historyStart(now: Date, previousStart: string | undefined): Date {
  const sixWeeksAgo = now.getTime() - HISTORY_DAYS * DAY;
  const previous = previousStart === undefined ? Number.NaN : Date.parse(previousStart);
  return new Date(previous <= sixWeeksAgo ? previous : sixWeeksAgo);
}

/** Seeds Oak View only when its tenant holds nobody yet, so a local run never overwrites your changes. */
export async function ensureDemoData(stores: DemoStores, setting: DemoSetting, logger: Logger) {
  if ((await stores.members.list(DEMO_TENANT_ID)).length > 0) return;
  const { people } = await seedDemo(stores, setting);
  logger.info(
    { tenantId: DEMO_TENANT_ID, people, initiative: DEMO_INITIATIVE_ID },
    'loaded the Oak View demo',
  );
}

function demoMember(
  person: DemoPerson,
  existing: Member | undefined,
  stamp: string,
  quietHours: QuietHours,
): Member {
  return {
    tenantId: DEMO_TENANT_ID,
    aadObjectId: person.aadObjectId,
    name: person.name,
    userPrincipalName: person.userPrincipalName,
    locale: existing?.locale ?? DEMO_DEFAULTS.locale,
    timeZone: existing?.timeZone ?? DEMO_DEFAULTS.timeZone,
    roles: person.roles,
    groups: {
      site: DEMO_SITE,
      unit: person.unit,
      jobRole: person.jobRole,
      shiftPattern: person.shiftPattern,
    },
    quietHours: existing?.quietHours ?? quietHours,
    personalConversation: existing?.personalConversation,
    personalInstalled: existing?.personalInstalled ?? false,
    welcomedAt: existing?.welcomedAt,
    createdAt: existing?.createdAt ?? stamp,
    updatedAt: stamp,
  };
}

/** The initiative on the day it started, at its first stage, with its plan dated from that day. */
function demoInitiative(start: Date, words: StageWords): Initiative {
  const day = (offset: number) => new Date(start.getTime() + offset * DAY).toISOString().slice(0, 10);
  const length = DEMO_INITIATIVE.stageLengthDays;
  const idOf = (name: string) => OAK_VIEW_PEOPLE.find((person) => person.name === name)?.aadObjectId ?? '';
  return {
    tenantId: DEMO_TENANT_ID,
    id: DEMO_INITIATIVE_ID,
    title: DEMO_INITIATIVE.title,
    why: DEMO_INITIATIVE.why,
    vision: DEMO_INITIATIVE.vision,
    objectives: DEMO_INITIATIVE.objectives.map(({ text, kpi: { dueInDays, ...kpi } }) => ({
      text,
      kpi: { ...kpi, due: day(dueInDays) },
    })),
    model: DEMO_INITIATIVE.model,
    stages: defaultStages(DEMO_INITIATIVE.model, words).map((stage, index) => ({
      ...stage,
      plannedStart: day(index * length),
      plannedEnd: day((index + 1) * length - 1),
    })),
    currentStage: 0,
    audience: { kind: 'all' },
    owners: [idOf('Alex Wilber')],
    champions: DEMO_CHAMPIONS.map(idOf),
    createdAt: start.toISOString(),
    updatedAt: start.toISOString(),
  };
}
