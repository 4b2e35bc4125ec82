import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { rolesCard } from '../../cards/cards.js';
import { argumentsOf, type CommandName } from '../../domain/chat/commands.js';
import { grantRole, listRoleHolders, revokeRole } from '../../domain/people/roleAdmin.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard, sendText, type Turn } from '../turn.js';

/** Admin-only: `roles`, `grant <role> to <who>`, `revoke <role> from <who>` (roles checked by onCommand). */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'roles', async (context, turn) => {
    await sendCard(context, rolesCard(turn.t, await listRoleHolders(deps, actorOf(turn).tenantId)));
  });

  onCommand(app, deps, 'grant', async (context, turn) => {
    const args = commandArguments('grant', context);
    const result = await grantRole(deps, actorOf(turn).tenantId, args.role, args.who);
    deps.logger.info(
      { activityId: turn.facts.id, role: result.role, changed: result.changed },
      'role granted',
    );
    const role = turn.t(`role.${result.role}`);
    await sendText(
      context,
      turn.t(result.changed ? 'roles.granted' : 'roles.alreadyHas', { name: result.member.name, role }),
    );
  });

  onCommand(app, deps, 'revoke', async (context, turn) => {
    const actor = actorOf(turn);
    const args = commandArguments('revoke', context);
    const result = await revokeRole(deps, actor.tenantId, actor.aadObjectId, args.role, args.who);
    deps.logger.info(
      { activityId: turn.facts.id, role: result.role, changed: result.changed },
      'role revoked',
    );
    const role = turn.t(`role.${result.role}`);
    await sendText(
      context,
      turn.t(result.changed ? 'roles.revoked' : 'roles.didNotHave', { name: result.member.name, role }),
    );
  });
}

/** Role changes are scoped to the admin's own tenant; an activity without one cannot act. */
function actorOf(turn: Turn): { tenantId: string; aadObjectId: string } {
  if (turn.person === undefined) throw new UserInputError('error.notAllowed', { role: 'admin' });
  return turn.person;
}

function commandArguments(name: CommandName, context: TurnContext): { role: string; who: string } {
  const args = argumentsOf(name, context.activity.text ?? '');
  const role = args?.role;
  const who = args?.who;
  if (role === undefined || who === undefined) throw new UserInputError('unknown.help', {});
  return { role, who };
}
