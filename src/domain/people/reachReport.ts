import type { Clock } from '../shared/ports.js';
import { INSTALL_REFUSALS, type Member, type UnreachableReason } from './member.js';
import type { InstallRefusals, MemberStore } from './ports.js';
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

/** Member writes in flight at once while lifting refusals. */
const PARALLEL_WRITES = 8;

/**
 * Once an admin has granted Huddle the Graph permission (or put its catalog id right): the people Graph refused are again people Huddle
 * installs itself for, at their next message (with proactive installation on), and the report says so.
 * Nothing is installed here: installing is the send workers' queued work.
 */
export async function installAgain(
  deps: { members: MemberStore; clock: Clock; reach: ReachPolicy; installRefusals: InstallRefusals },
  tenantId: string,
): Promise<ReachReport> {
  const members = await deps.members.list(tenantId);
  if (!deps.reach.proactiveInstall) return reachReport(members, deps.reach);
  deps.installRefusals.forget(tenantId);
  const refused = members.filter((member) => isInstallRefusal(member.unreachableReason));
  const lifted: Member[] = [];
  for (let start = 0; start < refused.length; start += PARALLEL_WRITES) {
    const written = await Promise.all(
      refused.slice(start, start + PARALLEL_WRITES).map((member) =>
        deps.members.modify(tenantId, member.aadObjectId, (current) =>
          current !== undefined && !isInstallRefusal(current.unreachableReason)
            ? current
            : {
                ...(current ?? member),
                unreachableAt: undefined,
                unreachableReason: undefined,
                updatedAt: deps.clock.now().toISOString(),
              },
        ),
      ),
    );
    lifted.push(...written);
  }
  const others = members.filter((member) => !isInstallRefusal(member.unreachableReason));
  return reachReport([...others, ...lifted], deps.reach);
}

const isInstallRefusal = (reason: UnreachableReason | undefined) =>
  reason !== undefined && INSTALL_REFUSALS.includes(reason);
