import type { Logger } from 'pino';
import { defaultStages, type Initiative, type StageWords } from '../domain/initiatives/initiative.js';
import type { InitiativeStore } from '../domain/initiatives/ports.js';
import type { Member } from '../domain/people/member.js';
import type { MemberStore } from '../domain/people/ports.js';
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

const DEMO_DEFAULTS = {
  locale: 'en-GB',
  timeZone: 'Europe/London',
  quietHours: { start: '21:00', end: '07:00' },
};
const DAY = 24 * 60 * 60 * 1000;

export interface DemoStores {
  members: MemberStore;
  initiatives: InitiativeStore;
}

/**
 * Loads Oak View: its 43 people and the digital care planning initiative at its first stage. Idempotent:
 * running it again resets names, roles, groups and the initiative to the demo's, and keeps what Teams told
 * us since (personal chat, welcome, locale, time zone), so a seeded person who already opened Huddle is
 * not cut off.
 */
export async function seedDemo(
  stores: DemoStores,
  clock: Clock,
  words: StageWords,
): Promise<{ people: number }> {
  const existing = new Map(
    (await stores.members.list(DEMO_TENANT_ID)).map((member) => [member.aadObjectId, member]),
  );
  const now = clock.now();
  const rows = OAK_VIEW_PEOPLE.map((person) =>
    demoMember(person, existing.get(person.aadObjectId), now.toISOString()),
  );
  await stores.members.putMany(rows);
  const previous = await stores.initiatives.get(DEMO_TENANT_ID, DEMO_INITIATIVE_ID);
  await stores.initiatives.put(demoInitiative(now, words, previous?.createdAt));
  return { people: rows.length };
}

/** Seeds Oak View only when its tenant holds nobody yet, so a local run never overwrites your changes. */
export async function ensureDemoData(stores: DemoStores, clock: Clock, words: StageWords, logger: Logger) {
  if ((await stores.members.list(DEMO_TENANT_ID)).length > 0) return;
  const { people } = await seedDemo(stores, clock, words);
  logger.info(
    { tenantId: DEMO_TENANT_ID, people, initiative: DEMO_INITIATIVE_ID },
    'loaded the Oak View demo',
  );
}

function demoMember(person: DemoPerson, existing: Member | undefined, stamp: string): Member {
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
    quietHours: existing?.quietHours ?? DEMO_DEFAULTS.quietHours,
    personalConversation: existing?.personalConversation,
    personalInstalled: existing?.personalInstalled ?? false,
    welcomedAt: existing?.welcomedAt,
    createdAt: existing?.createdAt ?? stamp,
    updatedAt: stamp,
  };
}

/** The initiative starts the day it is seeded, so the demo's dates are always current. */
function demoInitiative(now: Date, words: StageWords, createdAt: string | undefined): Initiative {
  const day = (offset: number) => new Date(now.getTime() + offset * DAY).toISOString().slice(0, 10);
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
    createdAt: createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
}
