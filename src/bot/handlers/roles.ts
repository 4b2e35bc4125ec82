import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { rolesCard } from '../../cards/cards.js';
import { argumentsOf, type CommandName, patternOf } from '../../domain/commands.js';
import { UserInputError } from '../../domain/errors.js';
import { grantRole, listRoleHolders, revokeRole } from '../../domain/roleAdmin.js';
import type { BotDeps } from '../deps.js';
import { readTurn, requireRole, sendCard, type Turn } from '../turn.js';

/** Admin-only: `roles`, `grant <role> to <who>`, `revoke <role> from <who>`. */
export function register(app: Application, deps: BotDeps): void {
  app.message(patternOf('roles'), async (context) => {
    const { turn, tenantId } = await adminTurn(context, deps);
    await sendCard(context, rolesCard(turn.t, await listRoleHolders(deps, tenantId)));
  });

  app.message(patternOf('grant'), async (context) => {
    const { turn, tenantId } = await adminTurn(context, deps);
    const args = commandArguments('grant', context);
    const result = await grantRole(deps, tenantId, args.role, args.who);
    deps.logger.info(
      { activityId: turn.facts.id, role: result.role, changed: result.changed },
      'role granted',
    );
    const role = turn.t(`role.${result.role}`);
    await context.sendActivity(
      turn.t(result.changed ? 'roles.granted' : 'roles.alreadyHas', { name: result.member.name, role }),
    );
  });

  app.message(patternOf('revoke'), async (context) => {
    const { turn, tenantId, actor } = await adminTurn(context, deps);
    const args = commandArguments('revoke', context);
    const result = await revokeRole(deps, tenantId, actor, args.role, args.who);
    deps.logger.info(
      { activityId: turn.facts.id, role: result.role, changed: result.changed },
      'role revoked',
    );
    const role = turn.t(`role.${result.role}`);
    await context.sendActivity(
      turn.t(result.changed ? 'roles.revoked' : 'roles.didNotHave', { name: result.member.name, role }),
    );
  });
}

async function adminTurn(
  context: TurnContext,
  deps: BotDeps,
): Promise<{ turn: Turn; tenantId: string; actor: string }> {
  const turn = await readTurn(context, deps);
  requireRole(turn, 'admin');
  if (turn.person === undefined) throw new UserInputError('error.notAllowed', { role: 'admin' });
  return { turn, tenantId: turn.person.tenantId, actor: turn.person.aadObjectId };
}

function commandArguments(name: CommandName, context: TurnContext): { role: string; who: string } {
  const args = argumentsOf(name, context.activity.text ?? '');
  const role = args?.role;
  const who = args?.who;
  if (role === undefined || who === undefined) throw new UserInputError('unknown.help', {});
  return { role, who };
}
