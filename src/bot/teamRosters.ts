import type { TeamsAdapter } from '@microsoft/teams-ai';
import { type ConversationReference, type TeamsChannelAccount, TeamsInfo } from 'botbuilder';
import type { AccountKind, SeenPerson } from '../domain/people/member.js';
import type { RosterPage, TeamRosters } from '../domain/people/ports.js';

/** Teams' largest roster page. */
const ROSTER_PAGE = 500;

/**
 * Whose account a roster entry is: Teams marks guests with `userRole: 'guest'`, and gives everyone's home
 * tenant, so a member of another organisation (external access, a shared channel) has a tenant that is
 * not the team's.
 */
export function accountKindOf(
  entry: Pick<TeamsChannelAccount, 'userRole' | 'tenantId'>,
  tenantId: string,
): AccountKind {
  if (entry.userRole === 'guest') return 'guest';
  if (entry.tenantId !== undefined && entry.tenantId !== tenantId) return 'external';
  return 'staff';
}

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
                      account: accountKindOf(account, tenantId),
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
