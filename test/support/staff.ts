import type { Member, MemberGroups, QuietHours } from '../../src/domain/people/member.js';
import type { Storage } from '../../src/storage/openStorage.js';
import { BOT, type Person, person, TENANT } from './activities.js';

/** Quiet hours that never apply, so a test does not depend on the time of day it runs at. */
export const NO_QUIET_HOURS: QuietHours = { start: '00:00', end: '00:00' };

/** Quiet hours in UTC that cover the present moment (an hour either side). */
export function quietNow(now = new Date()): QuietHours {
  const hhmm = (date: Date) => date.toISOString().slice(11, 16);
  return { start: hhmm(new Date(now.getTime() - 3_600_000)), end: hhmm(new Date(now.getTime() + 3_600_000)) };
}

/**
 * Staff who have installed Huddle personally, written straight to storage as the install handler would
 * (same conversation reference shape), so a test can have a thousand of them in a second. With
 * `personalChat: false`, staff Huddle has only seen in a team, with no chat of their own.
 */
export async function seedStaff(
  storage: Storage,
  serviceUrl: string,
  count: number,
  options: {
    first?: number;
    quietHours?: QuietHours;
    timeZone?: string;
    groups?: (n: number) => MemberGroups;
    personalChat?: boolean;
  } = {},
): Promise<Person[]> {
  const now = new Date().toISOString();
  const people = Array.from({ length: count }, (_, i) =>
    person((options.first ?? 1000) + i, `Carer ${i + 1}`),
  );
  const members: Member[] = people.map((who, i) => ({
    tenantId: TENANT,
    aadObjectId: who.aadObjectId,
    teamsUserId: who.id,
    name: who.name,
    locale: 'en-GB',
    timeZone: options.timeZone ?? 'UTC',
    roles: [],
    groups: options.groups?.(i) ?? { site: 'Oak View', unit: i % 2 === 0 ? 'Willow' : 'Rowan' },
    quietHours: options.quietHours ?? NO_QUIET_HOURS,
    ...(options.personalChat === false
      ? { personalInstalled: false }
      : { personalConversation: conversationOf(who, serviceUrl), personalInstalled: true, welcomedAt: now }),
    createdAt: now,
    updatedAt: now,
  }));
  await storage.members.putMany(members);
  return people;
}

export const conversationIdOf = (who: Person) => `a:personal-${who.aadObjectId}`;

function conversationOf(who: Person, serviceUrl: string) {
  return {
    user: { id: who.id, name: who.name, aadObjectId: who.aadObjectId },
    bot: BOT,
    conversation: { id: conversationIdOf(who), conversationType: 'personal', tenantId: TENANT },
    channelId: 'msteams',
    locale: 'en-GB',
    serviceUrl,
  };
}
