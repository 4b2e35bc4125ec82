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

/** Huddle was removed from a personal scope. The record stays (history); proactive messages stop. */
export async function recordPersonalUninstall(deps: InstallDeps, tenantId: string, aadObjectId: string) {
  const existing = await deps.members.get(tenantId, aadObjectId);
  if (existing === undefined) return;
  await deps.members.modify(tenantId, aadObjectId, (current) => ({
    ...(current ?? existing),
    personalInstalled: false,
    updatedAt: deps.clock.now().toISOString(),
  }));
}

/** Huddle was added to a team or group chat; the person who added it is remembered as a member. */
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
  };
  await deps.installations.put(installation);
  if (install.installer !== undefined) await recordPeopleSeen(deps, [install.installer]);
  return installation;
}

export async function recordSharedUninstall(deps: InstallDeps, tenantId: string, conversationId: string) {
  const existing = await deps.installations.get(tenantId, conversationId);
  if (existing === undefined || !existing.active) return;
  await deps.installations.put({ ...existing, active: false, removedAt: deps.clock.now().toISOString() });
}

/** Member writes in flight at once: a team's roster can be hundreds of people, read inside one turn. */
const PARALLEL_WRITES = 8;

/** People Teams told us about (members added to a team, the installer): profile only, no conversation. */
export async function recordPeopleSeen(deps: InstallDeps, people: readonly SeenPerson[]): Promise<void> {
  for (let start = 0; start < people.length; start += PARALLEL_WRITES) {
    await Promise.all(
      people
        .slice(start, start + PARALLEL_WRITES)
        .map((person) =>
          deps.members.modify(person.tenantId, person.aadObjectId, (current) =>
            mergeSeenPerson(current, person, deps.defaults, deps.clock.now()),
          ),
        ),
    );
  }
}
