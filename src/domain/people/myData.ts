import { type Broadcast, withoutRecipient } from '../broadcasts/broadcast.js';
import type { BroadcastStore, DeliveryStore, SavedListStore } from '../broadcasts/ports.js';
import type { InitiativeStore } from '../initiatives/ports.js';
import type { Member } from './member.js';
import type { MemberStore } from './ports.js';
import { type BootstrapRoles, effectiveRoles, type Role } from './roles.js';

/** Everything Huddle holds that identifies a person, as they will see it in `my data`. */
export interface MyData {
  name: string;
  userPrincipalName?: string | undefined;
  roles: Role[];
  groups: Member['groups'];
  locale: string;
  timeZone: string;
  quietHours: Member['quietHours'];
  personalChatInstalled: boolean;
  firstSeen: string;
  lastUpdated: string;
}

export function describeMyData(member: Member, bootstrap: BootstrapRoles): MyData {
  return {
    name: member.name,
    userPrincipalName: member.userPrincipalName,
    roles: effectiveRoles(member, bootstrap),
    groups: member.groups,
    locale: member.locale,
    timeZone: member.timeZone,
    quietHours: member.quietHours,
    personalChatInstalled: member.personalInstalled,
    firstSeen: member.createdAt,
    lastUpdated: member.updatedAt,
  };
}

export interface ForgetDeps {
  members: MemberStore;
  initiatives: Pick<InitiativeStore, 'list' | 'modify'>;
  broadcasts: Pick<BroadcastStore, 'list' | 'modify'>;
  deliveries: Pick<DeliveryStore, 'rekey'>;
  savedLists: Pick<SavedListStore, 'list' | 'put'>;
  newId: () => string;
}

/**
 * Removes everything that identifies the person: the member record (profile, groups, roles granted through
 * the bot, the conversation reference), their place on saved lists and among an initiative's owners and
 * champions, their name in the "who to ask" of updates already sent, their id among a send's named
 * recipients and as a champion volunteer, and their id on each delivery row,
 * which stays under a random id so the update's figures do not change. Anonymous answers carry no identity, so they cannot be
 * found from here and stay in the aggregates. The member record goes last: if anything fails on the way,
 * asking again finishes the job.
 */
export async function deleteMyData(
  deps: ForgetDeps,
  tenantId: string,
  aadObjectId: string,
): Promise<boolean> {
  const member = await deps.members.get(tenantId, aadObjectId);
  const others = (ids: string[]) => ids.filter((id) => id !== aadObjectId);
  for (const initiative of await deps.initiatives.list(tenantId)) {
    if (!initiative.owners.includes(aadObjectId) && !initiative.champions.includes(aadObjectId)) continue;
    await deps.initiatives.modify(tenantId, initiative.id, (current) => ({
      ...current,
      owners: others(current.owners),
      champions: others(current.champions),
    }));
  }
  for (const list of await deps.savedLists.list(tenantId)) {
    if (list.memberIds.includes(aadObjectId))
      await deps.savedLists.put({ ...list, memberIds: others(list.memberIds) });
  }
  for (const broadcast of await deps.broadcasts.list(tenantId)) {
    await deps.deliveries.rekey(broadcast.id, aadObjectId, (delivery) =>
      withoutRecipient(delivery, `${FORGOTTEN_PREFIX}${deps.newId()}`),
    );
    if (!names(broadcast, aadObjectId, member?.name)) continue;
    await deps.broadcasts.modify(tenantId, broadcast.id, (current) => ({
      ...current,
      content: {
        ...current.content,
        whoToAsk: current.content.whoToAsk?.filter((name) => name !== member?.name),
        champions: current.content.champions?.filter((champion) => champion.name !== member?.name),
      },
      audience:
        current.audience.kind === 'members'
          ? { ...current.audience, memberIds: others(current.audience.memberIds) }
          : current.audience,
      champion:
        current.champion?.volunteerId === aadObjectId
          ? { ...current.champion, volunteerId: undefined }
          : current.champion,
    }));
  }
  return deps.members.delete(tenantId, aadObjectId);
}

/**
 * Whether a send names the person: in the "who to ask" of an update, among the people it was addressed to
 * one by one (a digest, a champion's note), or as the volunteer of a step of becoming a champion.
 */
function names(broadcast: Broadcast, aadObjectId: string, name: string | undefined): boolean {
  const { content, audience, champion } = broadcast;
  return (
    (name !== undefined &&
      (content.whoToAsk?.includes(name) === true ||
        content.champions?.some((one) => one.name === name) === true)) ||
    (audience.kind === 'members' && audience.memberIds.includes(aadObjectId)) ||
    champion?.volunteerId === aadObjectId
  );
}

/** The start of the id a deleted person's delivery rows are kept under. */
const FORGOTTEN_PREFIX = 'forgotten-';
