import type { TeamsAdapter } from '@microsoft/teams-ai';
import { type ConversationReference, TeamsInfo } from 'botbuilder';
import type { SeenPerson } from '../domain/people/member.js';
import type { RosterPage, TeamRosters } from '../domain/people/ports.js';

/** Teams' largest roster page. */
const ROSTER_PAGE = 500;

/**
 * Team rosters read outside any turn (the scheduler goes through them page by page), through the team's
 * stored reference. With `onTurnError` set the SDK swallows errors thrown in the callback, so the error
 * is carried out of it and thrown here.
 */
export function createTeamRosters(adapter: TeamsAdapter, appId: string): TeamRosters {
  return {
    async page({ tenantId, teamId, reference }, continuationToken) {
      const outcome: { page?: RosterPage; error?: unknown } = { error: new Error('roster not read') };
      await adapter.continueConversationAsync(
        appId,
        reference as Partial<ConversationReference>,
        async (context) => {
          try {
            const page = await TeamsInfo.getPagedTeamMembers(context, teamId, ROSTER_PAGE, continuationToken);
            const people = page.members.flatMap((account): SeenPerson[] =>
              account.aadObjectId === undefined
                ? []
                : [
                    {
                      tenantId,
                      aadObjectId: account.aadObjectId,
                      teamsUserId: account.id,
                      name: account.name ?? '',
                      userPrincipalName: account.userPrincipalName,
                    },
                  ],
            );
            outcome.page = { people, continuationToken: page.continuationToken || undefined };
            outcome.error = undefined;
          } catch (error) {
            outcome.error = error;
          }
        },
      );
      if (outcome.page === undefined) throw outcome.error;
      return outcome.page;
    },
  };
}
