import type { Installation } from './installation.js';
import { type InstallDeps, recordTeamMembers, recordTeamMembersLeft } from './installs.js';
import type { TeamRosters } from './ports.js';

export interface RosterWorkDeps extends InstallDeps {
  rosters: TeamRosters;
}

/** Pages of a roster read per team per call: a tick of the scheduler should not last minutes. */
const PAGES_PER_CALL = 4;

/**
 * Goes on with a team's roster work, outside any turn: reads up to `PAGES_PER_CALL` pages (each member
 * becoming reachable through the team) and stores where the next page starts, so a large roster is read
 * over several calls and a crash resumes from the last stored page; or, after an uninstall, makes the
 * team's members unreachable through it. Each step is written only if the work is still what was read:
 * an uninstall or a reinstall meanwhile replaces it. Returns how many people it went through.
 */
export async function advanceRosterWork(deps: RosterWorkDeps, installation: Installation): Promise<number> {
  const { tenantId, conversationId: teamId, roster } = installation;
  if (roster?.kind === 'forget') {
    const inTeam = (await deps.members.list(tenantId)).filter((member) => member.teamIds?.includes(teamId));
    await recordTeamMembersLeft(
      deps,
      tenantId,
      teamId,
      inTeam.map((member) => ({ aadObjectId: member.aadObjectId })),
    );
    await deps.installations.modify(tenantId, teamId, (current) =>
      current.roster?.kind === 'forget' ? { ...current, roster: undefined } : undefined,
    );
    return inTeam.length;
  }
  if (roster?.kind !== 'read') return 0;
  let token = roster.continuationToken;
  let seen = 0;
  for (let page = 0; page < PAGES_PER_CALL; page++) {
    const read = await deps.rosters.page(
      { tenantId, teamId, reference: installation.conversationReference },
      token,
    );
    await recordTeamMembers(deps, teamId, read.people);
    seen += read.people.length;
    const from = token;
    token = read.continuationToken;
    const stored = await deps.installations.modify(tenantId, teamId, (current) =>
      current.roster?.kind === 'read' && current.roster.continuationToken === from
        ? { ...current, roster: token === undefined ? undefined : { kind: 'read', continuationToken: token } }
        : undefined,
    );
    if (token === undefined || stored?.roster?.kind !== 'read' || stored.roster.continuationToken !== token) {
      break;
    }
  }
  return seen;
}
