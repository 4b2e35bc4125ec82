import type { Initiative } from '../initiatives/initiative.js';
import type { Member, MemberGroups } from '../people/member.js';
import type { GroupKey } from '../pulses/anonymity.js';

/**
 * The groups champions are named for: staff ask someone they work beside, on their own unit or their own
 * shift (the demo's night staff had champions on days only, and nobody to ask at 2am).
 */
export const CHAMPION_GROUP_FIELDS = ['unit', 'shiftPattern'] as const;

/** A champion as an update carries them: a name to ask and the groups they work in. */
export interface ChampionContact {
  name: string;
  groups: MemberGroups;
}

/**
 * Still with the team: a champion who deleted their data has no record; one Teams says has left the
 * organisation, or who was taken off every team Huddle is in and has no chat of their own with it, has left.
 * Someone Huddle never met in a team (a roster not read yet, the demo) is still here.
 */
export function stillHere(member: Member): boolean {
  if (member.unreachableReason === 'left') return false;
  return !(member.teamIds !== undefined && member.teamIds.length === 0 && !member.personalInstalled);
}

/** The initiative's champions who are still with the team, in the order they were named. */
export function currentChampions(initiative: Initiative, members: readonly Member[]): Member[] {
  const byId = new Map(members.map((member) => [member.aadObjectId, member]));
  return initiative.champions.flatMap((id) => {
    const member = byId.get(id);
    return member !== undefined && stillHere(member) ? [member] : [];
  });
}

export const contactOf = (member: Member): ChampionContact => ({ name: member.name, groups: member.groups });

/** True when two people share a unit or a shift pattern. */
export const sameGroup = (a: MemberGroups, b: MemberGroups) =>
  CHAMPION_GROUP_FIELDS.some((field) => a[field] !== undefined && a[field] === b[field]);

/**
 * Who a reader should ask: the champions of their own unit or shift, or every champion of the change when
 * their group has none (someone to ask beats nobody). Without a reader (a manager's preview), all of them.
 */
export function championsToAsk(
  reader: MemberGroups | undefined,
  champions: readonly ChampionContact[],
): string[] {
  const theirs =
    reader === undefined ? [] : champions.filter((champion) => sameGroup(reader, champion.groups));
  return (theirs.length > 0 ? theirs : champions).map((champion) => champion.name);
}

/** One group of a change's people and the champions in it (none: a group with nobody to ask). */
export interface ChampionGroup {
  group: GroupKey & { field: (typeof CHAMPION_GROUP_FIELDS)[number] };
  champions: string[];
}

/** Each unit and shift pattern the change's people work in, with its champions, by field then name. */
export function championRoll(people: readonly Member[], champions: readonly Member[]): ChampionGroup[] {
  return CHAMPION_GROUP_FIELDS.flatMap((field) =>
    [...new Set(people.flatMap((person) => person.groups[field] ?? []))]
      .sort((a, b) => a.localeCompare(b))
      .map((value) => ({
        group: { field, value },
        champions: champions
          .filter((champion) => champion.groups[field] === value)
          .map((champion) => champion.name),
      })),
  );
}
