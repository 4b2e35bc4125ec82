import type { Member } from './member.js';
import type { MemberStore } from './ports.js';
import { countReach, type ReachCount, type ReachPolicy } from './reach.js';

/** One site and unit (either may be unknown) and how many of its people Huddle can reach. */
export interface GroupReach {
  site?: string | undefined;
  unit?: string | undefined;
  count: ReachCount;
}

export interface ReachReport {
  overall: ReachCount;
  groups: GroupReach[];
}

/** Everyone Huddle knows in a tenant, by site and unit, with how many it can reach and why not the rest. */
export function reachReport(members: readonly Member[], policy: ReachPolicy): ReachReport {
  const byGroup = new Map<string, Member[]>();
  for (const member of members) {
    const key = JSON.stringify([member.groups.site ?? '', member.groups.unit ?? '']);
    byGroup.set(key, [...(byGroup.get(key) ?? []), member]);
  }
  const groups = [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, people]): GroupReach => {
      const [site, unit] = JSON.parse(key) as [string, string];
      return { site: site || undefined, unit: unit || undefined, count: countReach(people, policy) };
    });
  return { overall: countReach(members, policy), groups };
}

/** The reach report for a manager or admin's tenant. */
export async function tenantReach(
  deps: { members: MemberStore; reach: ReachPolicy },
  tenantId: string,
): Promise<ReachReport> {
  return reachReport(await deps.members.list(tenantId), deps.reach);
}
