import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  recordSharedInstall,
  recordSharedUninstall,
  recordTeamMembers,
} from '../../src/domain/people/installs.js';
import type { SeenPerson } from '../../src/domain/people/member.js';
import type { TeamRosters } from '../../src/domain/people/ports.js';
import { advanceRosterWork } from '../../src/domain/people/teamRosters.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';

let storage: Storage;
const teamId = '19:large-home@thread.tacv2';
const PAGE = 500;
const people: SeenPerson[] = Array.from({ length: 2_100 }, (_, i) => ({
  tenantId: TENANT,
  aadObjectId: `aad-roster-${i}`,
  teamsUserId: `29:roster-${i}`,
  name: `Carer ${i}`,
}));

/** Teams' paged roster of the team; `failOn` pages (by where they start) answer 502 once. */
function teams(failOn: number[] = []) {
  const pagesRead: number[] = [];
  const failing = new Set(failOn);
  const rosters: TeamRosters = {
    async page(_team, token) {
      const from = Number(token ?? 0);
      if (failing.delete(from)) throw Object.assign(new Error('Bad gateway'), { statusCode: 502 });
      pagesRead.push(from);
      const next = from + PAGE < people.length ? String(from + PAGE) : undefined;
      return { people: people.slice(from, from + PAGE), continuationToken: next };
    },
  };
  return { rosters, pagesRead };
}

const deps = (rosters: TeamRosters) => ({
  ...storage,
  rosters,
  clock: { now: () => new Date() },
  defaults: { locale: 'en-GB', timeZone: 'UTC', quietHours: { start: '21:00', end: '07:00' } },
});
const installation = async () =>
  (await storage.installations.get(TENANT, teamId)) ?? expect.fail('no install');
const inTeam = async () =>
  (await storage.members.list(TENANT)).filter((member) => member.teamIds?.includes(teamId)).length;

beforeAll(async () => {
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    uniquePrefix(),
    pino({ level: 'silent' }),
    localBox(),
  );
});
afterAll(() => storage.close());

describe("a team's roster, worked through outside the install's turn", () => {
  it('reads a large roster a few pages at a time, resumes where it stopped after a failure, and finishes', async () => {
    const { rosters, pagesRead } = teams([2_000]);
    await recordSharedInstall(deps(rosters), {
      tenantId: TENANT,
      conversationId: teamId,
      scope: 'team',
      name: 'Large home',
      reference: { conversation: { id: teamId } },
    });
    expect((await storage.installations.withRosterWork()).map((found) => found.conversationId)).toEqual([
      teamId,
    ]);

    expect(await advanceRosterWork(deps(rosters), await installation())).toBe(2_000);
    expect((await installation()).roster).toEqual({ kind: 'read', continuationToken: '2000' });
    // Teams fails the last page: the work stays where it was, nothing read twice.
    await expect(advanceRosterWork(deps(rosters), await installation())).rejects.toThrow('Bad gateway');
    expect((await installation()).roster).toEqual({ kind: 'read', continuationToken: '2000' });
    expect(await advanceRosterWork(deps(rosters), await installation())).toBe(100);

    expect(pagesRead).toEqual([0, 500, 1_000, 1_500, 2_000]);
    expect((await installation()).roster).toBeUndefined();
    expect(await storage.installations.withRosterWork()).toEqual([]);
    expect(await inTeam()).toBe(2_100);
  }, 60_000);

  it('after an uninstall, forgets the team on every member, and a read in flight does not bring it back', async () => {
    const { rosters } = teams();
    await recordSharedInstall(deps(rosters), {
      tenantId: TENANT,
      conversationId: teamId,
      scope: 'team',
      reference: { conversation: { id: teamId } },
    });
    const reading = await installation();
    await recordSharedUninstall(deps(rosters), TENANT, teamId);
    // The read that started before the uninstall stores nothing of its progress.
    await advanceRosterWork(deps(rosters), reading);
    expect((await installation()).roster).toEqual({ kind: 'forget' });

    expect(await advanceRosterWork(deps(rosters), await installation())).toBe(2_100);
    expect(await inTeam()).toBe(0);
    expect(await installation()).toMatchObject({ active: false, roster: undefined });
  }, 60_000);

  it('writes people new to Huddle together, and changes those it knows one by one, keeping their chat', async () => {
    const secondHome = '19:second-home@thread.tacv2';
    const known = people[0] as SeenPerson;
    await storage.members.modify(TENANT, known.aadObjectId, (current) => ({
      ...(current ?? expect.fail('no member')),
      personalInstalled: true,
      personalConversation: { conversation: { id: 'a:own-chat' } },
    }));
    const newcomers: SeenPerson[] = Array.from({ length: 150 }, (_, i) => ({
      tenantId: TENANT,
      aadObjectId: `aad-second-${i}`,
      teamsUserId: `29:second-${i}`,
      name: `Second ${i}`,
    }));
    // The one already known sits in the first batch of a hundred, which is then written person by person.
    await recordTeamMembers(deps(teams().rosters), secondHome, [
      ...newcomers.slice(0, 50),
      known,
      ...newcomers.slice(50),
    ]);
    const members = await storage.members.list(TENANT);
    expect(members.filter((member) => member.teamIds?.includes(secondHome))).toHaveLength(151);
    expect(members.find((member) => member.aadObjectId === known.aadObjectId)).toMatchObject({
      personalInstalled: true,
      personalConversation: { conversation: { id: 'a:own-chat' } },
      teamIds: [secondHome],
    });
    expect(members.find((member) => member.aadObjectId === 'aad-second-149')).toMatchObject({
      name: 'Second 149',
      teamsUserId: '29:second-149',
      teamIds: [secondHome],
    });
  });
});
