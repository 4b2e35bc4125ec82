import type { Logger } from 'pino';
import type { Member } from '../domain/member.js';
import type { Clock, MemberStore } from '../domain/stores.js';
import { DEMO_SITE, DEMO_TENANT_ID, type DemoPerson, OAK_VIEW_PEOPLE } from './oakView.js';

const DEMO_DEFAULTS = {
  locale: 'en-GB',
  timeZone: 'Europe/London',
  quietHours: { start: '21:00', end: '07:00' },
};

/**
 * Loads Oak View. Idempotent: running it again resets names, roles and groups to the demo's, and keeps
 * what Teams told us since (personal chat, welcome, locale, time zone), so a seeded person who already
 * opened Huddle is not cut off.
 */
export async function seedDemo(members: MemberStore, clock: Clock): Promise<number> {
  const existing = new Map(
    (await members.list(DEMO_TENANT_ID)).map((member) => [member.aadObjectId, member]),
  );
  const stamp = clock.now().toISOString();
  const rows = OAK_VIEW_PEOPLE.map((person) => demoMember(person, existing.get(person.aadObjectId), stamp));
  await members.putMany(rows);
  return rows.length;
}

/** Seeds Oak View only when its tenant holds nobody yet, so a local run never overwrites your changes. */
export async function ensureDemoData(members: MemberStore, clock: Clock, logger: Logger): Promise<void> {
  if ((await members.list(DEMO_TENANT_ID)).length > 0) return;
  const count = await seedDemo(members, clock);
  logger.info({ tenantId: DEMO_TENANT_ID, members: count }, 'loaded the Oak View demo');
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
