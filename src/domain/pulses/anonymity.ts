import type { MemberGroups } from '../people/member.js';
import { GROUP_FIELDS, type GroupField } from '../people/member.js';

/** A group figures could be shown for: everyone, or everyone with one value of one group field. */
export type GroupKey = { field: 'all' } | { field: GroupField; value: string };

export const groupLabel = (key: GroupKey) => (key.field === 'all' ? 'all' : `${key.field}:${key.value}`);

/**
 * Which groups may be shown (DESIGN.md privacy rules). A group with fewer than `threshold` answers is
 * suppressed, and so is any group that would let a suppressed one be worked out by subtraction: for every
 * shown group P and every group field, P minus the shown groups of that field lying inside P must be
 * nobody or at least `threshold` people ("all" minus the other sites, a site minus its units). When that
 * remainder is too small the smallest of those groups is hidden as well, until no such remainder is left.
 *
 * `respondents` are the groups of each answer, in any order; the result lists the groups that may be shown.
 */
export function publishableGroups(respondents: readonly MemberGroups[], threshold: number): GroupKey[] {
  const candidates: { key: GroupKey; members: Set<number> }[] = [
    { key: { field: 'all' }, members: new Set(respondents.map((_, index) => index)) },
  ];
  for (const field of GROUP_FIELDS) {
    const byValue = new Map<string, Set<number>>();
    respondents.forEach((groups, index) => {
      const value = groups[field];
      if (value === undefined) return;
      const members = byValue.get(value) ?? new Set<number>();
      members.add(index);
      byValue.set(value, members);
    });
    for (const [value, members] of [...byValue].sort(([a], [b]) => a.localeCompare(b))) {
      candidates.push({ key: { field, value }, members });
    }
  }
  const shown = new Set(candidates.filter((group) => group.members.size >= threshold));
  // Nothing can be shown about part of a population whose whole is too small to show.
  if (![...shown].some((group) => group.key.field === 'all')) return [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const parent of shown) {
      for (const field of GROUP_FIELDS) {
        const inside = [...shown].filter(
          (group) =>
            group !== parent &&
            group.key.field === field &&
            group.members.size < parent.members.size &&
            isSubset(group.members, parent.members),
        );
        if (inside.length === 0) continue;
        const remainder = parent.members.size - inside.reduce((sum, group) => sum + group.members.size, 0);
        if (remainder > 0 && remainder < threshold) {
          const smallest = inside.reduce((a, b) => (b.members.size < a.members.size ? b : a));
          shown.delete(smallest);
          changed = true;
        }
      }
    }
  }
  return candidates.filter((group) => shown.has(group)).map((group) => group.key);
}

function isSubset(small: ReadonlySet<number>, large: ReadonlySet<number>): boolean {
  for (const member of small) if (!large.has(member)) return false;
  return true;
}

/** Whether a respondent's groups put them in a group. */
export const belongsTo = (groups: MemberGroups, key: GroupKey) =>
  key.field === 'all' || groups[key.field] === key.value;
