import type { Clock } from '../shared/ports.js';
import type { Installation, SharedScope } from './installation.js';
import {
  type ConversationReference,
  type Member,
  type MemberDefaults,
  mergeSeenPerson,
  type SeenPerson,
} from './member.js';
import type { InstallationStore, MemberStore } from './ports.js';

export interface InstallDeps {
  members: MemberStore;
  installations: InstallationStore;
  clock: Clock;
  defaults: MemberDefaults;
}

/**
 * Huddle was added to someone's personal scope: remember how to reach them. Returns the member and whether
 * this call should send the welcome card. Teams sends several install events at once, so the welcome is
 * claimed in the same optimistic-concurrency write: exactly one concurrent caller sees `needsWelcome`.
 */
export async function recordPersonalInstall(
  deps: InstallDeps,
  person: SeenPerson,
  conversation: ConversationReference,
): Promise<{ member: Member; needsWelcome: boolean }> {
  let needsWelcome = false;
  const member = await deps.members.modify(person.tenantId, person.aadObjectId, (current) => {
    const now = deps.clock.now();
    needsWelcome = current?.welcomedAt === undefined;
    return {
      ...mergeSeenPerson(current, person, deps.defaults, now),
      personalConversation: conversation,
      personalInstalled: true,
      unreachableAt: undefined,
      unreachableReason: undefined,
      welcomedAt: current?.welcomedAt ?? now.toISOString(),
    };
  });
  return { member, needsWelcome };
}

/** The welcome could not be delivered: release the claim so the next install event tries again. */
export async function releaseWelcome(deps: InstallDeps, member: Member): Promise<void> {
  await deps.members.modify(member.tenantId, member.aadObjectId, (current) => ({
    ...(current ?? member),
    welcomedAt: undefined,
  }));
}

/**
 * Huddle was removed from a personal scope. The record stays (history); proactive messages stop, also
 * through teams they share with Huddle: the person said they do not want it, until they add it again.
 */
export async function recordPersonalUninstall(deps: InstallDeps, tenantId: string, aadObjectId: string) {
  const existing = await deps.members.get(tenantId, aadObjectId);
  if (existing === undefined) return;
  await deps.members.modify(tenantId, aadObjectId, (current) => {
    const now = deps.clock.now().toISOString();
    return {
      ...(current ?? existing),
      personalInstalled: false,
      unreachableAt: now,
      unreachableReason: 'blocked',
      updatedAt: now,
    };
  });
}

/**
 * Huddle was added to a team or group chat; the person who added it is remembered as a member. A team's
 * roster is read afterwards, outside the turn (`Installation.roster`).
 */
export async function recordSharedInstall(
  deps: InstallDeps,
  install: {
    tenantId: string;
    conversationId: string;
    scope: SharedScope;
    name?: string | undefined;
    reference: ConversationReference;
    installer?: SeenPerson | undefined;
  },
): Promise<Installation> {
  const previous = await deps.installations.get(install.tenantId, install.conversationId);
  const installation: Installation = {
    tenantId: install.tenantId,
    conversationId: install.conversationId,
    scope: install.scope,
    name: install.name ?? previous?.name,
    conversationReference: install.reference,
    active: true,
    installedAt: previous?.active ? previous.installedAt : deps.clock.now().toISOString(),
    roster: install.scope === 'team' ? { kind: 'read' } : undefined,
  };
  await deps.installations.put(installation);
  if (install.installer !== undefined) await recordPeopleSeen(deps, [install.installer]);
  return installation;
}

/**
 * Huddle was removed from a team or group chat. A team's members are then forgotten as reachable through
 * it, outside the turn; those who opened a chat with Huddle themselves stay reachable.
 */
export async function recordSharedUninstall(deps: InstallDeps, tenantId: string, conversationId: string) {
  await deps.installations.modify(tenantId, conversationId, (current) =>
    current.active
      ? {
          ...current,
          active: false,
          removedAt: deps.clock.now().toISOString(),
          roster: current.scope === 'team' ? { kind: 'forget' } : undefined,
        }
      : undefined,
  );
}

/**
 * Reads a team's roster again from its start, outside any turn: what an event did not say (whether those
 * added are guests) the roster does. Returns whether there is a team to read.
 */
export async function rereadRoster(deps: InstallDeps, tenantId: string, teamId: string): Promise<boolean> {
  const installation = await deps.installations.modify(tenantId, teamId, (current) =>
    current.active && current.scope === 'team' ? { ...current, roster: { kind: 'read' } } : undefined,
  );
  return installation?.roster?.kind === 'read';
}

/** Member writes in flight at once: a roster page can be hundreds of people. */
const PARALLEL_WRITES = 8;

async function eachInParallel<T>(items: readonly T[], write: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += PARALLEL_WRITES) {
    await Promise.all(items.slice(start, start + PARALLEL_WRITES).map(write));
  }
}

/** People Teams told us about (members added to a group chat, the installer): profile only, no conversation. */
export function recordPeopleSeen(deps: InstallDeps, people: readonly SeenPerson[]): Promise<void> {
  return eachInParallel(people, (person) =>
    deps.members.modify(person.tenantId, person.aadObjectId, (current) =>
      mergeSeenPerson(current, person, deps.defaults, deps.clock.now()),
    ),
  );
}

/**
 * Members of a team Huddle is installed in: each becomes reachable through it. Being in the team again
 * outdates a refusal that said Huddle shared no team with them, that Teams did not know them, or that
 * Graph would not install Huddle for them; a person who blocked Huddle stays unreachable. People Huddle
 * has never seen (most of a team it was just added to) are written together, a roster page in a few
 * writes; the others one by one.
 */
export async function recordTeamMembers(
  deps: InstallDeps,
  teamId: string,
  people: readonly SeenPerson[],
): Promise<void> {
  const now = deps.clock.now();
  const seen = await deps.members.insertNew(
    people.map((person) => ({
      ...mergeSeenPerson(undefined, person, deps.defaults, now),
      teamIds: [teamId],
    })),
  );
  await eachInParallel(
    people.filter((person) => seen.has(person.aadObjectId)),
    (person) =>
      deps.members.modify(person.tenantId, person.aadObjectId, (current) => {
        const member = mergeSeenPerson(current, person, deps.defaults, deps.clock.now());
        const cleared = member.unreachableReason !== undefined && member.unreachableReason !== 'blocked';
        return {
          ...member,
          teamIds: [...new Set([...(member.teamIds ?? []), teamId])],
          ...(cleared ? { unreachableAt: undefined, unreachableReason: undefined } : {}),
        };
      }),
  );
}

/** Who left a team, as Teams says it: its leave events often name people by their Teams id alone. */
export interface LeftTeam {
  aadObjectId?: string | undefined;
  teamsUserId?: string | undefined;
}

/** People who left a team (or all of a team Huddle left): no longer reachable through it. */
export async function recordTeamMembersLeft(
  deps: InstallDeps,
  tenantId: string,
  teamId: string,
  people: readonly LeftTeam[],
): Promise<void> {
  const byTeamsId = people.some((person) => person.aadObjectId === undefined)
    ? new Map((await deps.members.list(tenantId)).map((member) => [member.teamsUserId, member.aadObjectId]))
    : new Map<string | undefined, string>();
  const ids = people.flatMap((person) => {
    const id = person.aadObjectId ?? byTeamsId.get(person.teamsUserId);
    return id === undefined ? [] : [id];
  });
  await eachInParallel(ids, async (aadObjectId) => {
    const existing = await deps.members.get(tenantId, aadObjectId);
    if (!existing?.teamIds?.includes(teamId)) return;
    await deps.members.modify(tenantId, aadObjectId, (current) => ({
      ...(current ?? existing),
      teamIds: (current ?? existing).teamIds?.filter((id) => id !== teamId),
      updatedAt: deps.clock.now().toISOString(),
    }));
  });
}
