import type { Application } from '@microsoft/teams-ai';
import { TeamsInfo, TurnContext } from 'botbuilder';
import { welcomeCard } from '../../cards/cards.js';
import {
  recordPeopleSeen,
  recordPersonalInstall,
  recordPersonalUninstall,
  recordSharedInstall,
  recordSharedUninstall,
  recordTeamMembers,
  recordTeamMembersLeft,
  releaseWelcome,
  rereadRoster,
} from '../../domain/people/installs.js';
import type { AccountKind, Member, SeenPerson } from '../../domain/people/member.js';
import { type ActivityFacts, activitySchema, personOf, scopeOf, senderOf, tenantOf } from '../activity.js';
import type { BotDeps } from '../deps.js';
import { accountKindOf } from '../teamRosters.js';
import { sendCard } from '../turn.js';

/**
 * Install, uninstall and membership. Teams reports a personal install as `installationUpdate` and often
 * also as `conversationUpdate`; both land here and the use cases are idempotent, so the welcome card is
 * sent once however many events arrive. People joining or leaving a team Huddle is in (`teamMemberAdded`
 * and `teamMemberRemoved`, which arrive as these same member lists) become reachable through it or stop.
 */
export function register(app: Application, deps: BotDeps): void {
  app.activity('installationUpdate', async (context) => {
    const facts = activitySchema.parse(context.activity);
    if (facts.action?.startsWith('remove')) await uninstall(deps, facts);
    else await install(context, deps, facts);
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const facts = activitySchema.parse(context.activity);
    const botId = facts.recipient?.id;
    const added = facts.membersAdded ?? [];
    if (scopeOf(facts) === 'personal' || added.some((member) => member.id === botId)) {
      await install(context, deps, facts);
    }
    const people = added
      .filter((member) => member.id !== botId)
      .map((member) => personOf(facts, member))
      .filter((person): person is SeenPerson => person !== undefined);
    const teamId = facts.channelData?.team?.id;
    if (scopeOf(facts) === 'team' && teamId !== undefined) await joinedTeam(context, deps, teamId, people);
    else if (scopeOf(facts) !== 'personal') await recordPeopleSeen(deps, people);
  });

  app.conversationUpdate('membersRemoved', async (context) => {
    const facts = activitySchema.parse(context.activity);
    const removed = facts.membersRemoved ?? [];
    if (removed.some((member) => member.id === facts.recipient?.id)) {
      await uninstall(deps, facts);
      return;
    }
    const tenantId = tenantOf(facts);
    const teamId = facts.channelData?.team?.id;
    if (scopeOf(facts) !== 'team' || tenantId === undefined || teamId === undefined) return;
    await recordTeamMembersLeft(
      deps,
      tenantId,
      teamId,
      removed.map((member) => ({ aadObjectId: member.aadObjectId, teamsUserId: member.id })),
    );
  });
}

async function install(context: TurnContext, deps: BotDeps, facts: ActivityFacts): Promise<void> {
  const scope = scopeOf(facts);
  const sender = senderOf(facts);
  if (scope === 'personal') {
    if (sender === undefined) {
      deps.logger.warn(
        { activityId: facts.id },
        'personal install without an AAD object id or tenant; not stored',
      );
      return;
    }
    const { welcomed } = await installPersonally(context, deps, sender);
    deps.logger.info({ activityId: facts.id, scope, welcomed }, 'installed');
    return;
  }
  const tenantId = tenantOf(facts);
  const conversationId = sharedConversationId(facts);
  if (tenantId === undefined || conversationId === undefined) return;
  await recordSharedInstall(deps, {
    tenantId,
    conversationId,
    scope,
    name: facts.channelData?.team?.name ?? facts.conversation?.name,
    reference: { ...TurnContext.getConversationReference(context.activity) },
    installer: sender,
  });
  // The team's roster can be thousands of people: the scheduler reads it, starting now.
  if (scope === 'team') deps.scheduler.nudge();
  deps.logger.info({ activityId: facts.id, scope }, 'installed');
}

/**
 * Records that Huddle can reach this person in personal chat (with their name and UPN from the roster) and
 * sends the welcome card if nobody has yet. Used by install events and by `start` after a data deletion,
 * so both give the same record: without the UPN, roles configured by email would be lost.
 */
export async function installPersonally(
  context: TurnContext,
  deps: BotDeps,
  sender: SeenPerson,
): Promise<{ member: Member; welcomed: boolean }> {
  const roster = await fromRoster(context, deps, sender);
  const person = {
    ...sender,
    name: sender.name || roster.name || '',
    userPrincipalName: roster.userPrincipalName,
    account: roster.account,
  };
  const reference: Record<string, unknown> = { ...TurnContext.getConversationReference(context.activity) };
  const { member, needsWelcome } = await recordPersonalInstall(deps, person, reference);
  if (needsWelcome) await sendWelcome(context, deps, member);
  return { member, welcomed: needsWelcome };
}

/** Sends the welcome card claimed by `recordPersonalInstall`; if it cannot be delivered, the claim is released. */
async function sendWelcome(context: TurnContext, deps: BotDeps, member: Member): Promise<void> {
  const t = deps.localizer.for(member.locale);
  try {
    await sendCard(
      context,
      welcomeCard(t, { name: member.name, anonymityThreshold: deps.anonymityThreshold }),
    );
  } catch (error) {
    await releaseWelcome(deps, member);
    throw error;
  }
}

async function uninstall(deps: BotDeps, facts: ActivityFacts): Promise<void> {
  const tenantId = tenantOf(facts);
  if (tenantId === undefined) return;
  if (scopeOf(facts) === 'personal') {
    const sender = senderOf(facts);
    if (sender !== undefined) await recordPersonalUninstall(deps, tenantId, sender.aadObjectId);
  } else {
    const conversationId = sharedConversationId(facts);
    if (conversationId !== undefined) await recordSharedUninstall(deps, tenantId, conversationId);
  }
  deps.logger.info({ activityId: facts.id, scope: scopeOf(facts) }, 'uninstalled');
}

/** A team is one install whatever channel the event came from; its id is the team id, not the thread id. */
function sharedConversationId(facts: ActivityFacts): string | undefined {
  return scopeOf(facts) === 'team'
    ? (facts.channelData?.team?.id ?? facts.conversation?.id)
    : facts.conversation?.id;
}

/** People added to a team at once whose roster entries are read in the turn; more, and the roster is read again. */
const LOOKUPS_IN_TURN = 16;

/**
 * People added to a team Huddle is in: only Teams' roster says whether each is a guest or of another
 * organisation, which the event does not. A few are looked up here; for a larger batch the scheduler reads
 * the team's roster again, outside the turn, and they are recorded meanwhile as the event names them.
 */
async function joinedTeam(
  context: TurnContext,
  deps: BotDeps,
  teamId: string,
  people: readonly SeenPerson[],
): Promise<void> {
  if (people.length > LOOKUPS_IN_TURN) {
    await recordTeamMembers(deps, teamId, people);
    const tenantId = people[0]?.tenantId;
    if (tenantId !== undefined && (await rereadRoster(deps, tenantId, teamId))) deps.scheduler.nudge();
    return;
  }
  const looked = await Promise.all(
    people.map(async (person) => ({ ...person, account: (await fromRoster(context, deps, person)).account })),
  );
  await recordTeamMembers(deps, teamId, looked);
}

/**
 * Teams' roster gives the UPN (so configuration can name admins by email), the display name, which
 * install events often leave out, and whether the account is a guest's or another organisation's. If the
 * call fails the install still succeeds with what the activity had.
 */
async function fromRoster(
  context: TurnContext,
  deps: BotDeps,
  person: SeenPerson,
): Promise<{ name?: string; userPrincipalName?: string; account?: AccountKind }> {
  try {
    const member = await TeamsInfo.getMember(context, person.teamsUserId ?? person.aadObjectId);
    return {
      name: member.name || undefined,
      userPrincipalName: member.userPrincipalName ?? member.email ?? undefined,
      account: accountKindOf(member, person.tenantId),
    };
  } catch (error) {
    deps.logger.warn(
      { activityId: context.activity.id, err: { message: (error as Error).message } },
      'roster lookup failed',
    );
    return {};
  }
}
